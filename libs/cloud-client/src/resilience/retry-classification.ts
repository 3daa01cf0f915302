/**
 * What to do after a failed attempt (docs/operations.md (retry table)):
 * - `clock_skew`: correct the clock offset from the server time, re-sign, retry once;
 * - `credentials`: fetch credentials again and retry once if they changed;
 * - `throttle`: retry with the throttle backoff and halve the account's rate;
 * - `timeout`: retry, charging the retry budget double;
 * - `transient`: retry (5xx, reset, refused, broken pipe);
 * - `terminal`: never retried (AccessDenied, NoSuchBucket, other 4xx, malformed answers).
 */
export type FailureClass = 'clock_skew' | 'credentials' | 'throttle' | 'timeout' | 'transient' | 'terminal';

// 503/429 codes of the OSS "HTTP 503" and "429" error pages, plus the generic throttling families
// other gateways (and OSS Tables) use.
const THROTTLING_CODES = new Set([
  'MetaOperationQpsLimitExceeded',
  'QpsLimitExceeded',
  'TotalQpsLimitExceeded',
  'ActiveRequestLimitExceeded',
  'CpuLimitExceeded',
  'DownloadTrafficRateLimitExceeded',
  'UploadTrafficRateLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'SlowDown',
]);
const THROTTLING_PREFIXES = ['Throttling', 'TooManyRequests'];

// Codes saying the credentials themselves were refused; a refreshed STS token may cure them. OSS
// codes, then the Alibaba Cloud API gateway's (KMS and the other OpenAPI products).
const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SecurityTokenExpired',
  'InvalidSecurityToken',
  'InvalidAccessKeyId.NotFound',
  'MissingSecurityToken',
]);
const CREDENTIAL_PREFIXES = ['InvalidSecurityToken.'];

// OSS's RequestTimeTooSkewed and the API gateway's InvalidTimeStamp.Expired (15-minute window).
const CLOCK_SKEW_CODES = new Set(['RequestTimeTooSkewed', 'InvalidTimeStamp.Expired']);

/** True for the throttling answers that must also slow the account down. */
export function isThrottling(code: string, httpStatus: number): boolean {
  return (
    httpStatus === 429 ||
    THROTTLING_CODES.has(code) ||
    THROTTLING_PREFIXES.some((prefix) => code.startsWith(prefix))
  );
}

/**
 * Classifies an error answer by its code first: the status is unreliable (docs/wire/oss.md §5.2), and
 * the API gateway throttles with a 400 (`Throttling`, `Throttling.User`, `Throttling.Api`).
 */
export function classifyServiceError(code: string, httpStatus: number): FailureClass {
  if (CLOCK_SKEW_CODES.has(code)) return 'clock_skew';
  if (CREDENTIAL_CODES.has(code) || CREDENTIAL_PREFIXES.some((prefix) => code.startsWith(prefix))) {
    return 'credentials';
  }
  if (isThrottling(code, httpStatus)) return 'throttle';
  if (httpStatus >= 500) return 'transient';
  return 'terminal';
}

const TIMEOUT_CODES = new Set([
  'AttemptTimeout',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Classifies a transport failure by its error code; unknown codes (DNS NXDOMAIN, TLS) are terminal. */
export function classifyTransportError(code: string): FailureClass {
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (TRANSIENT_NETWORK_CODES.has(code)) return 'transient';
  return 'terminal';
}

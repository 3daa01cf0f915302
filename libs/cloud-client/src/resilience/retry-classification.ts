/**
 * What to do after a failed attempt (docs/operations.md (retry table)):
 * - `clock_skew`: correct the clock offset from the server time, re-sign, retry once;
 * - `credentials`: fetch credentials again and retry once if they changed;
 * - `throttle`: retry with the throttle backoff and halve the account's rate;
 * - `timeout`: retry, charging the retry budget double;
 * - `transient`: retry (5xx, reset, refused, broken pipe, a malformed or truncated 2xx body);
 * - `terminal`: never retried (AccessDenied, NoSuchBucket, other 4xx, an answer over the size cap).
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

// OSS Tables names every refusal `ForbiddenException`: what it refused is only in the OSS error
// code behind it (`x-oss-ec`, docs/wire/oss.md §5.3) and in the message. ECs may change, so the
// message is read too.
const CLOCK_SKEW_ECS = new Set(['0002-00000504']);
const CLOCK_SKEW_MESSAGE = /request time and the current time is too large|RequestTimeTooSkewed/i;
const CREDENTIAL_ECS = new Set(['0002-00000002', '0002-00000003', '0002-00000004', '0002-00000007']);
const CREDENTIAL_MESSAGE =
  /access key id you provided does not exist|security token\b.*\b(?:expired|invalid|lost|not match)/i;

/** What an error answer says, as the classification reads it. */
export interface ServiceErrorSignals {
  readonly code: string;
  readonly httpStatus: number;
  /** `x-oss-ec` (or the body's EC); null when absent. */
  readonly ec?: string | null;
  readonly message?: string | null;
}

/**
 * Classifies an error answer by its code first: the status is unreliable (docs/wire/oss.md §5.2), and
 * the API gateway throttles with a 400 (`Throttling`, `Throttling.User`, `Throttling.Api`). A 403
 * under a generic code (OSS Tables' `ForbiddenException`) is read by its EC and message, so a clock
 * skew or an expired token on Tables is corrected as on OSS instead of failing the scope.
 */
export function classifyServiceError({ code, httpStatus, ec, message }: ServiceErrorSignals): FailureClass {
  if (CLOCK_SKEW_CODES.has(code)) return 'clock_skew';
  if (CREDENTIAL_CODES.has(code) || CREDENTIAL_PREFIXES.some((prefix) => code.startsWith(prefix))) {
    return 'credentials';
  }
  if (httpStatus === 403) {
    if (CLOCK_SKEW_ECS.has(ec ?? '') || CLOCK_SKEW_MESSAGE.test(message ?? '')) return 'clock_skew';
    if (CREDENTIAL_ECS.has(ec ?? '') || CREDENTIAL_MESSAGE.test(message ?? '')) return 'credentials';
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

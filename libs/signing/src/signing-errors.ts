/**
 * An authentication failure as OSS reports it: the `<Error>` code, HTTP status, message, EC and
 * the extra elements OSS adds (in OSS's element names). Never carries a secret or an STS token.
 */
export interface SigningError {
  readonly code:
    | 'AccessDenied'
    | 'InvalidArgument'
    | 'InvalidAccessKeyId'
    | 'SignatureDoesNotMatch'
    | 'RequestTimeTooSkewed'
    | 'InvalidSecurityToken'
    | 'SecurityTokenExpired'
    | (string & {});
  readonly httpStatus: number;
  readonly message: string;
  readonly ec: string;
  readonly details: Record<string, string>;
}

// ECs marked "documented" come from OSS's EC pages or SDK fixtures (docs/wire/oss.md §5.1-5.2); the others
// are not published for that exact case and are indicative only. OSS warns ECs may change, and
// clients must key on the code.

/** No credentials at all. EC indicative. */
export function anonymousAccessDenied(): SigningError {
  return {
    code: 'AccessDenied',
    httpStatus: 403,
    message: 'Anonymous access is forbidden for this operation.',
    ec: '0003-00000001',
    details: {},
  };
}

/** A malformed Authorization header or presign parameter set. EC indicative. */
export function invalidArgument(reason: string, details: Record<string, string> = {}): SigningError {
  return { code: 'InvalidArgument', httpStatus: 400, message: reason, ec: '0002-00000020', details };
}

/** The date is missing (documented EC 0002-00000503). */
export function missingDate(headerName: string): SigningError {
  return {
    code: 'AccessDenied',
    httpStatus: 403,
    message: `Missing ${headerName} in the request.`,
    ec: '0002-00000503',
    details: {},
  };
}

/** The date is not in the form the signature version requires (documented EC 0002-00000502). */
export function invalidDate(headerName: string, value: string, expected: string): SigningError {
  return {
    code: 'AccessDenied',
    httpStatus: 403,
    message: `Invalid ${headerName} value '${value}': expected ${expected}.`,
    ec: '0002-00000502',
    details: {},
  };
}

const UNKNOWN_KEY_MESSAGE = 'The OSS Access Key Id you provided does not exist in our records.';

/**
 * Unknown AccessKey ID. `stsRequest` marks a request that carried a security token (documented
 * EC 0002-00000002: an STS request whose key is not a valid STS key).
 */
export function invalidAccessKeyId(accessKeyId: string, stsRequest: boolean): SigningError {
  return {
    code: 'InvalidAccessKeyId',
    httpStatus: 403,
    message: UNKNOWN_KEY_MESSAGE,
    ec: stsRequest ? '0002-00000002' : '0002-00000001',
    details: { OSSAccessKeyId: accessKeyId },
  };
}

/** An STS key sent without its token (documented message and EC 0002-00000003). */
export function securityTokenMissing(accessKeyId: string): SigningError {
  return {
    code: 'InvalidAccessKeyId',
    httpStatus: 403,
    message: `${UNKNOWN_KEY_MESSAGE} The Security Token may be lost to specify that it is a STS Access Id.`,
    ec: '0002-00000003',
    details: { OSSAccessKeyId: accessKeyId },
  };
}

/** The token does not belong to the key (documented EC 0002-00000006). */
export function invalidSecurityToken(accessKeyId: string): SigningError {
  return {
    code: 'InvalidSecurityToken',
    httpStatus: 403,
    message: 'The security token you provided is invalid.',
    ec: '0002-00000006',
    details: { OSSAccessKeyId: accessKeyId },
  };
}

/** The STS token has expired (documented EC 0002-00000007; the code string is unconfirmed). */
export function securityTokenExpired(accessKeyId: string): SigningError {
  return {
    code: 'SecurityTokenExpired',
    httpStatus: 403,
    message: 'The security token you provided has expired.',
    ec: '0002-00000007',
    details: { OSSAccessKeyId: accessKeyId },
  };
}

/** More than the allowed skew between request and server time (documented EC 0002-00000504). */
export function requestTimeTooSkewed(requestTime: Date, serverTime: Date, maxSkewMs: number): SigningError {
  return {
    code: 'RequestTimeTooSkewed',
    httpStatus: 403,
    message: 'The difference between the request time and the current time is too large.',
    ec: '0002-00000504',
    details: {
      RequestTime: requestTime.toISOString(),
      ServerTime: serverTime.toISOString(),
      MaxAllowedSkewMilliseconds: String(maxSkewMs),
    },
  };
}

/** A presigned URL used after its expiry. EC indicative. */
export function requestExpired(expiresAt: Date, serverTime: Date): SigningError {
  return {
    code: 'AccessDenied',
    httpStatus: 403,
    message: 'Request has expired.',
    ec: '0002-00000069',
    details: { Expires: expiresAt.toISOString(), ServerTime: serverTime.toISOString() },
  };
}

function hexBytes(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

export interface SignatureMismatch {
  readonly accessKeyId: string;
  readonly signatureProvided: string;
  /** Must not contain the STS token (V1 strings to sign are rebuilt with it redacted). */
  readonly stringToSign: string;
  readonly canonicalRequest?: string;
}

/** The recomputed signature differs (documented EC 0002-00000040). */
export function signatureDoesNotMatch(mismatch: SignatureMismatch): SigningError {
  const details: Record<string, string> = {
    StringToSign: mismatch.stringToSign,
    StringToSignBytes: hexBytes(mismatch.stringToSign),
    SignatureProvided: mismatch.signatureProvided,
    OSSAccessKeyId: mismatch.accessKeyId,
  };
  if (mismatch.canonicalRequest !== undefined) details.CanonicalRequest = mismatch.canonicalRequest;
  return {
    code: 'SignatureDoesNotMatch',
    httpStatus: 403,
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    ec: '0002-00000040',
    details,
  };
}

/**
 * An authentication failure as the Alibaba Cloud API gateway reports it for V3-signed calls:
 * the JSON `Code`, the HTTP status, the `Message`, and details for debugging. Codes, statuses and
 * messages follow the gateway's public error codes (docs/wire/kms-and-acs3.md §3); the ones marked
 * "unconfirmed" are our choice where no source gives the V3 case. Never carries a secret or token.
 */
export interface Acs3SigningError {
  readonly code:
    | 'IncompleteSignature'
    | 'IllegalTimestamp'
    | 'InvalidTimeStamp.Format'
    | 'InvalidTimeStamp.Expired'
    | 'MissingSignatureNonce'
    | 'SignatureNonceUsed'
    | 'InvalidAccessKeyId.NotFound'
    | 'MissingSecurityToken'
    | 'InvalidSecurityToken.MismatchWithAccessKey'
    | 'InvalidSecurityToken.Expired'
    | 'SignatureDoesNotMatch';
  readonly httpStatus: number;
  readonly message: string;
  readonly details: Readonly<Record<string, string>>;
}

/** Missing or garbled Authorization, or a required header left unsigned (KMS common errors: 400). */
export function incompleteSignature(reason: string): Acs3SigningError {
  return {
    code: 'IncompleteSignature',
    httpStatus: 400,
    message: `The request signature does not conform to Aliyun standards. ${reason}`,
    details: {},
  };
}

/** No `x-acs-date` (KMS common errors: IllegalTimestamp, 400). */
export function illegalTimestamp(): Acs3SigningError {
  return {
    code: 'IllegalTimestamp',
    httpStatus: 400,
    message:
      'The input parameter "x-acs-date" that is mandatory for processing this request is not supplied.',
    details: {},
  };
}

/** `x-acs-date` is not `YYYY-MM-DDTHH:mm:ssZ` (gateway public codes: 400). */
export function invalidTimestampFormat(value: string): Acs3SigningError {
  return {
    code: 'InvalidTimeStamp.Format',
    httpStatus: 400,
    message: 'Specified time stamp or date value is not well formatted.',
    details: { Timestamp: value },
  };
}

/**
 * More than the allowed skew between `x-acs-date` and the server clock (gateway public codes:
 * 400). The body names no server time; clients read the response `Date` header.
 */
export function timestampExpired(requestTime: Date, serverTime: Date, maxSkewMs: number): Acs3SigningError {
  return {
    code: 'InvalidTimeStamp.Expired',
    httpStatus: 400,
    message: 'Specified time stamp or date value is expired.',
    details: {
      RequestTime: requestTime.toISOString(),
      ServerTime: serverTime.toISOString(),
      MaxAllowedSkewMilliseconds: String(maxSkewMs),
    },
  };
}

/** No `x-acs-signature-nonce` (the gateway's Missing{Parameter} pattern; V3 form unconfirmed). */
export function missingSignatureNonce(): Acs3SigningError {
  return {
    code: 'MissingSignatureNonce',
    httpStatus: 400,
    message:
      'The input parameter "x-acs-signature-nonce" that is mandatory for processing this request is not supplied.',
    details: {},
  };
}

/** A nonce seen before within the replay window (gateway public codes: 400). */
export function signatureNonceUsed(): Acs3SigningError {
  return {
    code: 'SignatureNonceUsed',
    httpStatus: 400,
    message: 'Specified signature nonce was used already.',
    details: {},
  };
}

/** Unknown AccessKey ID (KMS common errors: 404). */
export function accessKeyNotFound(accessKeyId: string): Acs3SigningError {
  return {
    code: 'InvalidAccessKeyId.NotFound',
    httpStatus: 404,
    message: 'Specified access key is not found.',
    details: { AccessKeyId: accessKeyId },
  };
}

/** An STS AccessKey without its token (code from the gateway's public list; status unconfirmed). */
export function missingSecurityToken(accessKeyId: string): Acs3SigningError {
  return {
    code: 'MissingSecurityToken',
    httpStatus: 400,
    message: 'The x-acs-security-token header is required for an STS AccessKey.',
    details: { AccessKeyId: accessKeyId },
  };
}

/** A token that does not belong to the key, or one sent with a permanent key (status unconfirmed). */
export function securityTokenMismatch(accessKeyId: string): Acs3SigningError {
  return {
    code: 'InvalidSecurityToken.MismatchWithAccessKey',
    httpStatus: 400,
    message: 'Specified SecurityToken mismatch with the AccessKey.',
    details: { AccessKeyId: accessKeyId },
  };
}

/** The STS token has expired (status unconfirmed). */
export function securityTokenExpired(accessKeyId: string): Acs3SigningError {
  return {
    code: 'InvalidSecurityToken.Expired',
    httpStatus: 400,
    message: 'Specified SecurityToken is expired.',
    details: { AccessKeyId: accessKeyId },
  };
}

export interface Acs3SignatureMismatch {
  readonly accessKeyId: string;
  readonly signatureProvided: string;
  /** Holds only a hash of the canonical request, so it never carries the token. */
  readonly stringToSign: string;
  /** Must have the STS token redacted. */
  readonly canonicalRequest: string;
}

/**
 * The recomputed signature differs (gateway public codes: 400). The gateway appends its string to
 * sign to the message; we add the canonical request (token redacted) to the details.
 */
export function signatureDoesNotMatch(mismatch: Acs3SignatureMismatch): Acs3SigningError {
  return {
    code: 'SignatureDoesNotMatch',
    httpStatus: 400,
    message: `Specified signature is not matched with our calculation. server string to sign is:${mismatch.stringToSign}`,
    details: {
      AccessKeyId: mismatch.accessKeyId,
      SignatureProvided: mismatch.signatureProvided,
      StringToSign: mismatch.stringToSign,
      CanonicalRequest: mismatch.canonicalRequest,
    },
  };
}

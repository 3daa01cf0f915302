/**
 * Why a call failed:
 * - `service`: the service answered with an error status (code, request id and EC as it sent them);
 * - `network`: the connection failed (reset, refused, broken pipe, DNS);
 * - `timeout`: connect, headers, body or the per-attempt deadline ran out;
 * - `malformed_response`: a 2xx answer that could not be parsed, or a hostile document
 *   (DOCTYPE/ENTITY declarations, nesting beyond the limit);
 * - `response_too_large`: the body exceeded the response-size cap and was aborted unread;
 * - `credentials`: the credential source could not produce credentials.
 */
export type OssErrorKind =
  'service' | 'network' | 'timeout' | 'malformed_response' | 'response_too_large' | 'credentials';

/** A failed call, as plain data that is safe to log and persist (it never carries secrets). */
export interface OssErrorInfo {
  /** Service error code (`AccessDenied`, `ForbiddenException`, ...) or a client code (`ECONNRESET`, `Timeout`, ...). */
  readonly code: string;
  readonly message: string;
  readonly requestId: string | null;
  /** OSS detailed error code (`x-oss-ec`); informative only, never used for decisions. */
  readonly ec: string | null;
  readonly httpStatus: number | null;
  /**
   * `ListBuckets`, `GetBucketEncryption`, `ListTableBuckets`, `GetTableBucketEncryption`,
   * `ListNamespaces`, `ListTables`, `GetTableEncryption`.
   */
  readonly operation: string;
  /** Attempts made, including the first. */
  readonly attempts: number;
  readonly kind: OssErrorKind;
  /** The endpoint host the call went to (never a credential). */
  readonly host: string;
}

/** Thrown by listings (a failed listing is not a per-resource result); carries {@link OssErrorInfo}. */
export class OssError extends Error {
  override readonly name = 'OssError';
  readonly code: string;

  constructor(
    readonly info: OssErrorInfo,
    options?: { cause?: unknown },
  ) {
    super(`${info.operation} failed: ${info.code}: ${info.message}`, options);
    this.code = info.code;
  }
}

/** A caller passed something the client cannot address (bad bucket name, region or ARN). */
export class OssArgumentError extends Error {
  override readonly name = 'OssArgumentError';
  readonly code = 'InvalidArgument';
}

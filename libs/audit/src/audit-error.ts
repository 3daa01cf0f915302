/** Codes of the errors the audit domain raises; each names a broken precondition of its caller. */
export type AuditErrorCode = 'INVALID_TABLE_BUCKET_ARN' | 'INCOMPLETE_OBSERVATION';

/** An error of the pure audit domain: always a programming or input error, never an I/O failure. */
export class AuditError extends Error {
  override readonly name = 'AuditError';

  constructor(
    readonly code: AuditErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Codes of the errors the compliance domain raises; each names a broken precondition of its caller. */
export type ComplianceErrorCode =
  | 'SELF_APPROVAL'
  | 'NOT_THE_NAMED_APPROVER'
  | 'EXCEPTION_NOT_PENDING'
  | 'EXCEPTION_NOT_REVOCABLE'
  | 'INVALID_CHANGE'
  | 'FACTS_MISMATCH';

/** An error of the pure compliance domain: a refused operation, never an I/O failure. */
export class ComplianceError extends Error {
  override readonly name = 'ComplianceError';

  constructor(
    readonly code: ComplianceErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

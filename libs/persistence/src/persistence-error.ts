/** Why a persistence operation refused to proceed. */
export type PersistenceErrorCode =
  | 'SCAN_NOT_FOUND'
  | 'SCAN_NOT_RUNNING'
  | 'SCAN_START_CONFLICT'
  | 'INVALID_CURSOR'
  | 'INVALID_INPUT'
  | 'INVALID_EVALUATION_OUTPUT'
  | 'EXCEPTION_NOT_FOUND'
  | 'EXCEPTION_CONFLICT';

/** A refusal of the storage layer, with a stable code and, when another error caused it, its cause. */
export class PersistenceError extends Error {
  override readonly name = 'PersistenceError';

  constructor(
    readonly code: PersistenceErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Codes of errors the emulator raises to its callers (not service errors sent on the wire). */
export type EmulatorErrorCode =
  | 'INVALID_FLEET'
  | 'FLEET_FILE_UNREADABLE'
  | 'UNKNOWN_ACCOUNT'
  | 'DUPLICATE_BUCKET'
  | 'DUPLICATE_TABLE_BUCKET'
  | 'UNKNOWN_TABLE_BUCKET'
  | 'UNKNOWN_NAMESPACE'
  | 'DUPLICATE_NAMESPACE'
  | 'DUPLICATE_TABLE'
  | 'DUPLICATE_KMS_KEY'
  | 'INVALID_FAULT_RULE'
  | 'INVALID_ARGUMENT';

export class EmulatorError extends Error {
  constructor(
    readonly code: EmulatorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmulatorError';
  }
}

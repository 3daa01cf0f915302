/** What went wrong in the demo, as a string the exit message names. */
export type DemoErrorCode =
  | 'INVALID_ARGUMENT'
  | 'FLEET_UNSUITABLE'
  | 'FLEET_CHANGE_FAILED'
  | 'SCAN_NOT_AS_EXPECTED'
  | 'API_NOT_AVAILABLE';

/** A failure of the demo itself (the libraries throw their own coded errors). */
export class DemoError extends Error {
  constructor(
    readonly code: DemoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DemoError';
  }
}

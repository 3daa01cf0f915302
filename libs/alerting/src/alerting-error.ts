/** Why alerting refused to proceed. */
export type AlertingErrorCode = 'INVALID_OPTIONS';

/** A refusal of the alerting library, with a stable code and, when another error caused it, its cause. */
export class AlertingError extends Error {
  override readonly name = 'AlertingError';

  constructor(
    readonly code: AlertingErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

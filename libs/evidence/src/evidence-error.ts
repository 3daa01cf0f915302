/** Why an export or an evidence pack could not be made or checked. */
export type EvidenceErrorCode = 'INVALID_SIGNING_KEY' | 'SIGNING_KEY_MISSING' | 'INVALID_PERIOD';

export class EvidenceError extends Error {
  constructor(
    readonly code: EvidenceErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'EvidenceError';
  }
}

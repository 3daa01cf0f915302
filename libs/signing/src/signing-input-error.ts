/** Why a signer refused its inputs. */
export type SigningInputErrorCode =
  'ProductMismatch' | 'UnsupportedTarget' | 'InvalidExpiry' | 'MissingHost' | 'InvalidNonce';

/** A signer was called with inputs no valid request can have; a programming error on the caller's side. */
export class SigningInputError extends Error {
  override readonly name = 'SigningInputError';

  constructor(
    readonly code: SigningInputErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * OSS request signing, pure: V1 (HMAC-SHA1) and V4 (OSS4-HMAC-SHA256) for `oss`, `osstables` and
 * `oss-cloudbox`, signer and server-side verifier sharing one canonicalisation. Spec:
 * docs/wire/oss.md §1-§3, §8.
 */
export type {
  PresignedQuery,
  QueryParam,
  SignableRequest,
  SignedRequest,
  SigningCredentials,
  SigningProduct,
  SigningTarget,
} from './types';
export { signV4, presignV4, type SignV4Input, type PresignV4Input } from './v4-signer';
export { signV1, presignV1, type SignV1Input, type PresignV1Input } from './v1-signer';
export { uriEncode } from './uri-encode';
export { encodeQueryString, decodeQueryString } from './canonical-query';
export {
  tablesRequestPath,
  tablesSigningTarget,
  tablesResourcePath,
  tablesResourceSigningTarget,
  tablesTargetFromRequestPath,
  type TablesResourceFamily,
  type TablesSigningTarget,
} from './tables-path';
export { V1_SUB_RESOURCES } from './v1-sub-resources';
export {
  verifyRequest,
  DEFAULT_MAX_SKEW_MS,
  type CredentialRecord,
  type VerifyOptions,
  type VerifyResult,
} from './verifier';
export type { SigningError } from './signing-errors';
export { SigningInputError, type SigningInputErrorCode } from './signing-input-error';

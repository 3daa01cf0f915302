/**
 * Request signing, pure: OSS V1 (HMAC-SHA1) and V4 (OSS4-HMAC-SHA256) for `oss`, `osstables` and
 * `oss-cloudbox`, and the Alibaba Cloud OpenAPI V3 signature (ACS3-HMAC-SHA256, KMS and the other
 * RPC/ROA APIs); each with a signer and a server-side verifier sharing one canonicalisation.
 * Specs: docs/wire/oss.md §1-§3, §8; docs/wire/kms-and-acs3.md.
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
export {
  signAcs3,
  acs3Authorization,
  type Acs3Request,
  type Acs3Signature,
  type Acs3AuthorizationInput,
  type SignAcs3Input,
  type Acs3SignedRequest,
} from './acs3-signer';
export {
  verifyAcs3Request,
  type Acs3ReceivedRequest,
  type Acs3VerifyOptions,
  type Acs3VerifyResult,
} from './acs3-verifier';
export { signatureNonceUsed, type Acs3SigningError } from './acs3-errors';
export { ACS3_ALGORITHM, acs3CanonicalQueryString, sha256Hex } from './acs3-canonical-request';

import { normalizeAdditionalHeaders, normalizeHeaders } from './canonical-headers';
import { formatIsoBasic } from './dates';
import { SigningInputError } from './signing-input-error';
import type {
  PresignedQuery,
  QueryParam,
  SignableRequest,
  SignedRequest,
  SigningCredentials,
  SigningProduct,
} from './types';
import {
  buildV4CanonicalRequest,
  computeV4Signature,
  formatV4Authorization,
  MAX_PRESIGN_SECONDS,
  UNSIGNED_PAYLOAD,
  V4_ALGORITHM,
  v4Scope,
} from './v4-canonical-request';

/** Inputs of a V4 signature. The signing time is an input: the signer never reads the clock. */
export interface SignV4Input {
  readonly request: SignableRequest;
  readonly credentials: SigningCredentials;
  /** The region ID (`cn-hangzhou`, no `oss-` prefix) or, for `oss-cloudbox`, the CloudBox ID. */
  readonly region: string;
  /** Must equal `request.target.product`. */
  readonly product: SigningProduct;
  readonly signingTime: Date;
  /** Extra header names to sign; normalised as docs/wire/oss.md §2.2 says (absent ones are dropped). */
  readonly additionalHeaders?: readonly string[];
}

/** Inputs of a V4 presigned URL. */
export interface PresignV4Input extends SignV4Input {
  /** Validity from `signingTime`, 1 s to 7 days. */
  readonly expiresInSeconds: number;
}

function assertProductMatchesTarget(input: SignV4Input): void {
  if (input.product !== input.request.target.product) {
    throw new SigningInputError(
      'ProductMismatch',
      `Signing product '${input.product}' does not match the target's product '${input.request.target.product}'.`,
    );
  }
}

/** Signs in header mode: returns the headers to send, Authorization included. */
export function signV4(input: SignV4Input): SignedRequest {
  assertProductMatchesTarget(input);
  const { request, credentials } = input;
  const dateTime = formatIsoBasic(input.signingTime);
  const headers = normalizeHeaders(request.headers);
  headers.delete('authorization');
  headers.set('x-oss-date', dateTime);
  if ((headers.get('x-oss-content-sha256') ?? '') === '')
    headers.set('x-oss-content-sha256', UNSIGNED_PAYLOAD);
  if (credentials.securityToken !== undefined) headers.set('x-oss-security-token', credentials.securityToken);

  const additionalHeaders = normalizeAdditionalHeaders(input.additionalHeaders, headers);
  const canonicalRequest = buildV4CanonicalRequest({
    method: request.method,
    target: request.target,
    region: input.region,
    query: request.query,
    headers,
    additionalHeaders,
  });
  const { scope, stringToSign, signature } = computeV4Signature({
    accessKeySecret: credentials.accessKeySecret,
    dateTime,
    region: input.region,
    product: input.product,
    canonicalRequest,
  });
  const authorization = formatV4Authorization(credentials.accessKeyId, scope, additionalHeaders, signature);
  headers.set('authorization', authorization);
  return { headers: Object.fromEntries(headers), authorization, canonicalRequest, stringToSign };
}

/**
 * Signs in query mode (presigned URL): adds `x-oss-signature-version`, `x-oss-date`,
 * `x-oss-expires`, `x-oss-credential`, optional `x-oss-security-token` and
 * `x-oss-additional-headers`, all signed, then the unsigned `x-oss-signature` (GO2 `authQuery`).
 * The request's headers are signed as given; send them unchanged.
 */
export function presignV4(input: PresignV4Input): PresignedQuery {
  assertProductMatchesTarget(input);
  const { expiresInSeconds } = input;
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new SigningInputError(
      'InvalidExpiry',
      `expiresInSeconds must be an integer from 1 to ${MAX_PRESIGN_SECONDS}.`,
    );
  }
  const { request, credentials } = input;
  const dateTime = formatIsoBasic(input.signingTime);
  const headers = normalizeHeaders(request.headers);
  const additionalHeaders = normalizeAdditionalHeaders(input.additionalHeaders, headers);
  const credentialScope = `${credentials.accessKeyId}/${v4Scope(dateTime.slice(0, 8), input.region, input.product)}`;
  const query: QueryParam[] = [
    ...request.query,
    ...(credentials.securityToken === undefined
      ? []
      : [['x-oss-security-token', credentials.securityToken] as const]),
    ['x-oss-signature-version', V4_ALGORITHM],
    ['x-oss-date', dateTime],
    ['x-oss-expires', String(expiresInSeconds)],
    ['x-oss-credential', credentialScope],
    ...(additionalHeaders.length === 0
      ? []
      : [['x-oss-additional-headers', additionalHeaders.join(';')] as const]),
  ];
  const canonicalRequest = buildV4CanonicalRequest({
    method: request.method,
    target: request.target,
    region: input.region,
    query,
    headers,
    additionalHeaders,
  });
  const { stringToSign, signature } = computeV4Signature({
    accessKeySecret: credentials.accessKeySecret,
    dateTime,
    region: input.region,
    product: input.product,
    canonicalRequest,
  });
  return { query: [...query, ['x-oss-signature', signature]], canonicalRequest, stringToSign, signature };
}

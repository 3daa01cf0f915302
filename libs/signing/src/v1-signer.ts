import { normalizeHeaders } from './canonical-headers';
import { formatRfc1123 } from './dates';
import { SigningInputError } from './signing-input-error';
import type { PresignedQuery, QueryParam, SignableRequest, SignedRequest, SigningCredentials } from './types';
import { computeV1Signature, v1StringToSign, type V1SigningTarget } from './v1-string-to-sign';

/** Inputs of a V1 header signature. The signing time is an input: the signer never reads the clock. */
export interface SignV1Input {
  readonly request: SignableRequest;
  readonly credentials: SigningCredentials;
  readonly signingTime: Date;
}

/** Inputs of a V1 presigned URL; `expires` is the absolute expiry (whole seconds are signed). */
export interface PresignV1Input {
  readonly request: SignableRequest;
  readonly credentials: SigningCredentials;
  readonly expires: Date;
}

function v1Target(request: SignableRequest): V1SigningTarget {
  const { target } = request;
  if (target.product === 'osstables') {
    throw new SigningInputError('UnsupportedTarget', 'OSS Tables accepts V4 signatures only.');
  }
  return target;
}

/**
 * Signs in header mode: sets `date` to the signing time, adds `x-oss-security-token` for STS and
 * `authorization: OSS AK:signature`. The date line is the request's `x-oss-date` when it has one
 * (as ali-oss sends), else the `date` set here (docs/wire/oss.md §1.3).
 */
export function signV1(input: SignV1Input): SignedRequest {
  const { request, credentials } = input;
  const target = v1Target(request);
  const headers = normalizeHeaders(request.headers);
  headers.delete('authorization');
  const date = formatRfc1123(input.signingTime);
  headers.set('date', date);
  if (credentials.securityToken !== undefined) headers.set('x-oss-security-token', credentials.securityToken);

  const stringToSign = v1StringToSign({
    method: request.method,
    target,
    query: request.query,
    headers,
    dateLine: headers.get('x-oss-date') ?? date,
  });
  const authorization = `OSS ${credentials.accessKeyId}:${computeV1Signature(credentials.accessKeySecret, stringToSign)}`;
  headers.set('authorization', authorization);
  return { headers: Object.fromEntries(headers), authorization, canonicalRequest: '', stringToSign };
}

/**
 * Signs in query mode: the date line is the `Expires` unix seconds; STS adds the
 * `security-token` parameter, a signed sub-resource; then `Expires`, `OSSAccessKeyId` and
 * `Signature` are appended (GO2 `authQuery`). The request's headers are signed as given.
 */
export function presignV1(input: PresignV1Input): PresignedQuery {
  const { request, credentials } = input;
  const target = v1Target(request);
  const expires = String(Math.floor(input.expires.getTime() / 1000));
  const query: QueryParam[] = [
    ...request.query,
    ...(credentials.securityToken === undefined
      ? []
      : [['security-token', credentials.securityToken] as const]),
  ];
  const stringToSign = v1StringToSign({
    method: request.method,
    target,
    query,
    headers: normalizeHeaders(request.headers),
    dateLine: expires,
  });
  const signature = computeV1Signature(credentials.accessKeySecret, stringToSign);
  return {
    query: [
      ...query,
      ['Expires', expires],
      ['OSSAccessKeyId', credentials.accessKeyId],
      ['Signature', signature],
    ],
    canonicalRequest: '',
    stringToSign,
    signature,
  };
}

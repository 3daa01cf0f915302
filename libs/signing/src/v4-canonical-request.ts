import { createHash, createHmac } from 'node:crypto';
import { canonicalHeadersV4, type NormalizedHeaders } from './canonical-headers';
import { canonicalQueryString } from './canonical-query';
import { canonicalUri } from './canonical-uri';
import { signingKeyFor, V4_REQUEST_TERMINATOR } from './signing-key';
import type { QueryParam, SigningTarget } from './types';

export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** The longest `x-oss-expires` OSS accepts: 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** What the canonical request is built from; the signer and the verifier both fill it. */
export interface V4CanonicalInput {
  readonly method: string;
  readonly target: SigningTarget;
  /** The scope's region: part of the ARN-less tables canonical URI. */
  readonly region: string;
  /** Every query parameter that is signed (in query mode: all but `x-oss-signature`). */
  readonly query: readonly QueryParam[];
  readonly headers: NormalizedHeaders;
  /** The AdditionalHeaders names exactly as announced (line 5 of the canonical request). */
  readonly additionalHeaders: readonly string[];
}

/** The six-line V4 canonical request (docs/wire/oss.md §2.2). */
export function buildV4CanonicalRequest(input: V4CanonicalInput): string {
  return [
    input.method.toUpperCase(),
    canonicalUri(input.target, input.region),
    canonicalQueryString(input.query),
    canonicalHeadersV4(input.headers, input.additionalHeaders),
    input.additionalHeaders.join(';'),
    // An empty value counts as absent, as in GO2.
    input.headers.get('x-oss-content-sha256') || UNSIGNED_PAYLOAD,
  ].join('\n');
}

/** `YYYYMMDD/region/product/aliyun_v4_request`. */
export function v4Scope(date: string, region: string, product: string): string {
  return `${date}/${region}/${product}/${V4_REQUEST_TERMINATOR}`;
}

/** `OSS4-HMAC-SHA256\n{x-oss-date}\n{scope}\n{hex sha256 of the canonical request}`. */
export function v4StringToSign(dateTime: string, scope: string, canonicalRequest: string): string {
  const hashedRequest = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return [V4_ALGORITHM, dateTime, scope, hashedRequest].join('\n');
}

export interface V4SignatureInput {
  readonly accessKeySecret: string;
  /** The `x-oss-date` value; its first eight characters are the scope date. */
  readonly dateTime: string;
  readonly region: string;
  readonly product: string;
  readonly canonicalRequest: string;
}

export interface V4Signature {
  readonly scope: string;
  readonly stringToSign: string;
  readonly signature: string;
}

/** Scope, string to sign and the lowercase-hex signature for a canonical request. */
export function computeV4Signature(input: V4SignatureInput): V4Signature {
  const date = input.dateTime.slice(0, 8);
  const scope = v4Scope(date, input.region, input.product);
  const stringToSign = v4StringToSign(input.dateTime, scope, input.canonicalRequest);
  const signingKey = signingKeyFor(input.accessKeySecret, date, input.region, input.product);
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return { scope, stringToSign, signature };
}

/** `OSS4-HMAC-SHA256 Credential=AK/scope[,AdditionalHeaders=a;b],Signature=hex` (no spaces, as the SDKs). */
export function formatV4Authorization(
  accessKeyId: string,
  scope: string,
  additionalHeaders: readonly string[],
  signature: string,
): string {
  const additional = additionalHeaders.length > 0 ? `,AdditionalHeaders=${additionalHeaders.join(';')}` : '';
  return `${V4_ALGORITHM} Credential=${accessKeyId}/${scope}${additional},Signature=${signature}`;
}

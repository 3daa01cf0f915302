import { createHmac } from 'node:crypto';
import { comparePairs } from './byte-order';
import { canonicalOssHeadersV1, type NormalizedHeaders } from './canonical-headers';
import type { QueryParam, SigningTarget } from './types';
import { isV1SubResource } from './v1-sub-resources';

/** The targets V1 can address; OSS Tables accepts V4 only. */
export type V1SigningTarget = Extract<SigningTarget, { product: 'oss' | 'oss-cloudbox' }>;

/**
 * `/`, `/{bucket}/` or `/{bucket}/{key}` with raw (unencoded) names, then `?` and the signed
 * sub-resources sorted by name, `k=v` with decoded values, or bare `k` when empty (docs/wire/oss.md §1.5).
 */
export function canonicalizedResource(target: V1SigningTarget, query: readonly QueryParam[]): string {
  const path = `/${target.bucket === undefined ? '' : `${target.bucket}/`}${target.key ?? ''}`;
  const subResources = query
    .filter(([name]) => isV1SubResource(name))
    .map(([name, value]): [string, string] => [name, value])
    .sort(comparePairs)
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  return subResources.length === 0 ? path : `${path}?${subResources.join('&')}`;
}

export interface V1StringToSignInput {
  readonly method: string;
  readonly target: V1SigningTarget;
  readonly query: readonly QueryParam[];
  readonly headers: NormalizedHeaders;
  /** Header mode: `x-oss-date` if present else `Date`; query mode: the `Expires` seconds. */
  readonly dateLine: string;
}

/** VERB, Content-MD5, Content-Type, date, CanonicalizedOSSHeaders + CanonicalizedResource (docs/wire/oss.md §1.2). */
export function v1StringToSign(input: V1StringToSignInput): string {
  return (
    [
      input.method.toUpperCase(),
      input.headers.get('content-md5') ?? '',
      input.headers.get('content-type') ?? '',
      input.dateLine,
    ].join('\n') +
    '\n' +
    canonicalOssHeadersV1(input.headers) +
    canonicalizedResource(input.target, input.query)
  );
}

/** `base64(HMAC-SHA1(secret, stringToSign))`. */
export function computeV1Signature(accessKeySecret: string, stringToSign: string): string {
  return createHmac('sha1', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
}

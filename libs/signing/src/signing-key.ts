import { createHmac } from 'node:crypto';

/** Every intermediate key of the V4 derivation (docs/wire/oss.md §2.3), to debug a mismatch step by step. */
export interface SigningKeyChain {
  readonly dateKey: Buffer;
  readonly regionKey: Buffer;
  readonly productKey: Buffer;
  readonly signingKey: Buffer;
}

export const V4_REQUEST_TERMINATOR = 'aliyun_v4_request';

export function hmacSha256(key: string | Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}

/**
 * `HMAC("aliyun_v4" + secret, date)` -> region -> product -> `aliyun_v4_request`.
 * `date` is `YYYYMMDD`; `region` is the region ID (`cn-hangzhou`) or the CloudBox ID.
 */
export function deriveSigningKeyChain(
  accessKeySecret: string,
  date: string,
  region: string,
  product: string,
): SigningKeyChain {
  const dateKey = hmacSha256(`aliyun_v4${accessKeySecret}`, date);
  const regionKey = hmacSha256(dateKey, region);
  const productKey = hmacSha256(regionKey, product);
  const signingKey = hmacSha256(productKey, V4_REQUEST_TERMINATOR);
  return { dateKey, regionKey, productKey, signingKey };
}

const SIGNING_KEY_CACHE_LIMIT = 1024;
const signingKeyCache = new Map<string, Buffer>();

/**
 * The V4 signing key, memoised: it only changes with the day, so deriving it (four HMACs) on every
 * request is the largest share of signing and verification cost. A pure function of its inputs;
 * the cache lives in memory only and is dropped whole when it fills up.
 */
export function signingKeyFor(
  accessKeySecret: string,
  date: string,
  region: string,
  product: string,
): Buffer {
  const cacheKey = `${date}\n${region}\n${product}\n${accessKeySecret}`;
  const cached = signingKeyCache.get(cacheKey);
  if (cached !== undefined) return cached;
  if (signingKeyCache.size >= SIGNING_KEY_CACHE_LIMIT) signingKeyCache.clear();
  const { signingKey } = deriveSigningKeyChain(accessKeySecret, date, region, product);
  signingKeyCache.set(cacheKey, signingKey);
  return signingKey;
}

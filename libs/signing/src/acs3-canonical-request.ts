import { createHash, createHmac } from 'node:crypto';
import { compareByteOrder, comparePairs } from './byte-order';
import type { QueryParam } from './types';
import { uriEncode } from './uri-encode';

/**
 * The Alibaba Cloud OpenAPI V3 signature (docs/wire/kms-and-acs3.md §1): one canonical request,
 * a SHA-256 of it, an HMAC-SHA256 keyed with the raw AccessKey secret. No scope, no derived key.
 */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** Lowercase header name -> its canonical value. */
export type Acs3Headers = Map<string, string>;

/** Received or given headers, names in any case, repeats as arrays. */
export type Acs3HeaderInput = Readonly<Record<string, string | readonly string[] | undefined>>;

const ACS_HEADER_PREFIX = 'x-acs-';

/**
 * Lowercases names, trims values and joins repeated values (array values, or one name in several
 * cases) with `,` after sorting them, as every official SDK does (`getAuthorizationHeaders` in
 * aliyun/darabonba-openapi-util, all languages).
 */
export function normalizeAcs3Headers(headers: Acs3HeaderInput): Acs3Headers {
  const values = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lowerName = name.toLowerCase();
    const list = values.get(lowerName) ?? [];
    for (const item of typeof value === 'string' ? [value] : value) list.push(item.trim());
    values.set(lowerName, list);
  }
  const normalized: Acs3Headers = new Map();
  for (const [name, list] of values) {
    if (list.length > 0) normalized.set(name, list.sort(compareByteOrder).join(','));
  }
  return normalized;
}

/** The headers a V3 signer signs: `host`, `content-type` and every `x-acs-*`. */
export function isAcs3SignedHeader(lowerName: string): boolean {
  return lowerName === 'host' || lowerName === 'content-type' || lowerName.startsWith(ACS_HEADER_PREFIX);
}

/** The SignedHeaders list of a request: its signable header names, sorted. */
export function acs3SignedHeaderNames(headers: Acs3Headers): string[] {
  return [...headers.keys()].filter(isAcs3SignedHeader).sort(compareByteOrder);
}

/**
 * The CanonicalQueryString: parameters sorted by name (then value), byte order, before encoding,
 * as the documentation orders the steps; names and values RFC 3986-encoded (`%20` for a space);
 * `name=value` always, `name=` for an empty value. It is also what our clients put on the wire.
 */
export function acs3CanonicalQueryString(query: readonly QueryParam[]): string {
  return [...query]
    .sort(comparePairs)
    .map(([name, value]) => `${uriEncode(name, false)}=${uriEncode(value, false)}`)
    .join('&');
}

/** The CanonicalURI: the decoded path encoded once, `/` kept (`/` for RPC-style APIs). */
export function acs3CanonicalUri(path: string): string {
  return uriEncode(path, true);
}

/** Lowercase hex SHA-256, the HashedRequestPayload and `x-acs-content-sha256`. */
export function sha256Hex(payload: string | Uint8Array): string {
  return createHash('sha256').update(payload).digest('hex');
}

/** What the canonical request is built from; the signer and the verifier both fill it. */
export interface Acs3CanonicalInput {
  readonly method: string;
  /** Decoded path; `/` for RPC-style APIs. */
  readonly path: string;
  readonly query: readonly QueryParam[];
  readonly headers: Acs3Headers;
  /** The SignedHeaders names exactly as announced (absent headers sign as empty values). */
  readonly signedHeaders: readonly string[];
  readonly hashedPayload: string;
}

/**
 * `Method\nCanonicalURI\nCanonicalQueryString\nCanonicalHeaders\nSignedHeaders\nHashedPayload`,
 * where CanonicalHeaders is `name:value\n` per signed header (so a blank line follows it).
 */
export function buildAcs3CanonicalRequest(input: Acs3CanonicalInput): string {
  const canonicalHeaders = input.signedHeaders
    .map((name) => `${name}:${input.headers.get(name) ?? ''}\n`)
    .join('');
  return [
    input.method,
    acs3CanonicalUri(input.path),
    acs3CanonicalQueryString(input.query),
    canonicalHeaders,
    input.signedHeaders.join(';'),
    input.hashedPayload,
  ].join('\n');
}

/** `ACS3-HMAC-SHA256\n{hex sha256 of the canonical request}`. */
export function acs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(Buffer.from(canonicalRequest, 'utf8'))}`;
}

/** Lowercase hex HMAC-SHA256 of the string to sign, keyed with the raw AccessKey secret. */
export function computeAcs3Signature(accessKeySecret: string, stringToSign: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
}

/** `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex` (no spaces, as the SDKs). */
export function formatAcs3Authorization(
  accessKeyId: string,
  signedHeaders: readonly string[],
  signature: string,
): string {
  return `${ACS3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
}

import { compareByteOrder } from './byte-order';
import type { SignableRequest } from './types';

/** Lowercase header name -> its values, each trimmed, joined by `,` (docs/wire/oss.md §1.4, §2.2). */
export type NormalizedHeaders = Map<string, string>;

const OSS_HEADER_PREFIX = 'x-oss-';

/**
 * Lowercases names, trims each value and joins repeated values (array values, or the same name
 * in different cases) with `,`. Servers should pass repeated headers as arrays (Node's
 * `headersDistinct`), since Node's joined form uses `, ` and would not match what was signed.
 */
export function normalizeHeaders(headers: SignableRequest['headers']): NormalizedHeaders {
  const normalized: NormalizedHeaders = new Map();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : value;
    if (values.length === 0) continue;
    const lowerName = name.toLowerCase();
    const joined = values.map((item) => item.trim()).join(',');
    const previous = normalized.get(lowerName);
    normalized.set(lowerName, previous === undefined ? joined : `${previous},${joined}`);
  }
  return normalized;
}

function isOssHeader(name: string): boolean {
  return name.startsWith(OSS_HEADER_PREFIX);
}

/** Headers V4 signs without being asked: `x-oss-*`, `content-type`, `content-md5`. */
export function isDefaultSignedV4Header(lowerName: string): boolean {
  return isOssHeader(lowerName) || lowerName === 'content-type' || lowerName === 'content-md5';
}

/**
 * The AdditionalHeaders list a signer announces: lowercased, de-duplicated, without default-signed
 * names and without names the request does not carry (or carries empty), sorted (docs/wire/oss.md §2.2).
 */
export function normalizeAdditionalHeaders(
  requested: readonly string[] | undefined,
  headers: NormalizedHeaders,
): string[] {
  const names = new Set((requested ?? []).map((name) => name.toLowerCase()));
  return [...names]
    .filter((name) => !isDefaultSignedV4Header(name) && (headers.get(name) ?? '') !== '')
    .sort(compareByteOrder);
}

function renderHeaders(headers: NormalizedHeaders, names: Iterable<string>): string {
  return [...names]
    .sort(compareByteOrder)
    .map((name) => `${name}:${headers.get(name) ?? ''}\n`)
    .join('');
}

/**
 * The V4 CanonicalHeaders block: the default-signed headers present plus the listed additional
 * headers present, `name:value\n` each, sorted by name.
 */
export function canonicalHeadersV4(headers: NormalizedHeaders, additionalHeaders: readonly string[]): string {
  const signed = new Set([...headers.keys()].filter(isDefaultSignedV4Header));
  for (const name of additionalHeaders) {
    const lowerName = name.toLowerCase();
    if (headers.has(lowerName)) signed.add(lowerName);
  }
  return renderHeaders(headers, signed);
}

/** The V1 CanonicalizedOSSHeaders block: every `x-oss-*` header, `name:value\n` each, sorted. */
export function canonicalOssHeadersV1(headers: NormalizedHeaders): string {
  return renderHeaders(headers, [...headers.keys()].filter(isOssHeader));
}

import { comparePairs } from './byte-order';
import type { QueryParam } from './types';
import { percentDecode, uriEncode } from './uri-encode';

/**
 * The V4 CanonicalQueryString (docs/wire/oss.md §2.2): names and values RFC 3986-encoded, sorted by encoded
 * name (byte order, then by encoded value for repeated names), `name=value`, or bare `name` when
 * the value is empty, joined by `&`. It is also exactly what our clients put on the wire, so what
 * is signed is what is sent.
 */
export function canonicalQueryString(query: readonly QueryParam[]): string {
  return query
    .map(([name, value]): [string, string] => [uriEncode(name, false), uriEncode(value, false)])
    .sort(comparePairs)
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .join('&');
}

/**
 * The query string our clients send: identical to {@link canonicalQueryString}, so that what is
 * signed is exactly what travels (`''` when there are no parameters).
 */
export function encodeQueryString(query: readonly QueryParam[]): string {
  return canonicalQueryString(query);
}

/**
 * Splits a raw query string (with or without the leading `?`) into decoded pairs, decoding each
 * name and value once (server side). `+` decodes to a space: GO2 and PY2 sign a raw `+` as `%20` (they replace
 * `+` by `%20` in the raw query before canonicalising), and clients that re-encode decoded values
 * (J1, ali-oss, ours) never send a raw `+`, so reading it as a space agrees with every signer.
 */
export function decodeQueryString(raw: string): QueryParam[] {
  const query = raw.startsWith('?') ? raw.slice(1) : raw;
  const params: QueryParam[] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const separator = part.indexOf('=');
    const name = separator === -1 ? part : part.slice(0, separator);
    const value = separator === -1 ? '' : part.slice(separator + 1);
    params.push([percentDecode(name, true), percentDecode(value, true)]);
  }
  return params;
}

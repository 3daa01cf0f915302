/**
 * Orders strings by their UTF-8 bytes, the order Go's `sort.Strings` and the OSS service use.
 * `localeCompare` (what ali-oss uses) differs for mixed case, and UTF-16 code-unit order differs
 * from byte order above U+FFFF.
 */
export function compareByteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Orders name/value pairs by name, then by value, both in byte order. */
export function comparePairs(a: readonly [string, string], b: readonly [string, string]): number {
  return compareByteOrder(a[0], b[0]) || compareByteOrder(a[1], b[1]);
}

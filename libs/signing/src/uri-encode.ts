const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

// One entry per byte value: the byte itself when RFC 3986 leaves it unreserved, else `%XX`.
const BYTE_ENCODING: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const char = String.fromCharCode(byte);
  return UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

const SLASH = 0x2f;

/**
 * Percent-encodes the UTF-8 bytes of `value`, leaving only `A-Z a-z 0-9 - . _ ~` (and `/` when
 * `keepSlash`) unencoded, with uppercase hex. A space becomes `%20`, never `+`.
 */
export function uriEncode(value: string, keepSlash: boolean): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    encoded += keepSlash && byte === SLASH ? '/' : (BYTE_ENCODING[byte] ?? '');
  }
  return encoded;
}

const PERCENT = 0x25;
const PLUS = 0x2b;
const SPACE = 0x20;

function hexValue(byte: number | undefined): number | undefined {
  if (byte === undefined) return undefined;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  return undefined;
}

/**
 * Decodes `%XX` sequences once and reads the bytes as UTF-8. A `%` not followed by two hex digits
 * is kept as is, so a server never fails on a malformed escape (the signature then decides).
 */
export function percentDecode(value: string, plusIsSpace: boolean): string {
  if (!value.includes('%') && !(plusIsSpace && value.includes('+'))) return value;
  const input = Buffer.from(value, 'utf8');
  const output = Buffer.alloc(input.length);
  let length = 0;
  for (let index = 0; index < input.length; index++) {
    const byte = input[index] ?? 0;
    const high = byte === PERCENT ? hexValue(input[index + 1]) : undefined;
    const low = byte === PERCENT ? hexValue(input[index + 2]) : undefined;
    if (high !== undefined && low !== undefined) {
      output[length++] = high * 16 + low;
      index += 2;
    } else {
      output[length++] = plusIsSpace && byte === PLUS ? SPACE : byte;
    }
  }
  return output.subarray(0, length).toString('utf8');
}

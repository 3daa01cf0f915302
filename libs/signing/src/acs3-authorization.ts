import { ACS3_ALGORITHM } from './acs3-canonical-request';
import type { ParseResult } from './authorization-parser';

/** The parts of `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`. */
export interface Acs3Authorization {
  readonly accessKeyId: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const FIELDS = ['Credential', 'SignedHeaders', 'Signature'] as const;
const ACCESS_KEY_ID = /^[^\s,;=]+$/;
// A lowercase RFC 9110 token: what a header name may contain, as the signer lowercases it.
const SIGNED_HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

function fail<T>(reason: string): ParseResult<T> {
  return { ok: false, reason };
}

/**
 * Parses a V3 Authorization header. Fields in any order, optional whitespace after the commas;
 * each exactly once. SignedHeaders must be lowercase, distinct names (possibly none).
 */
export function parseAcs3Authorization(value: string): ParseResult<Acs3Authorization> {
  const prefix = `${ACS3_ALGORITHM} `;
  if (!value.startsWith(prefix))
    return fail(`The Authorization header must use the ${ACS3_ALGORITHM} scheme.`);
  const fields = new Map<string, string>();
  for (const field of value.slice(prefix.length).trim().split(/,\s*/)) {
    const separator = field.indexOf('=');
    const name = separator === -1 ? field : field.slice(0, separator);
    if (separator === -1 || !(FIELDS as readonly string[]).includes(name)) {
      return fail(`Unexpected field '${name}' in the Authorization header.`);
    }
    if (fields.has(name)) return fail(`Duplicate field '${name}' in the Authorization header.`);
    fields.set(name, field.slice(separator + 1));
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (accessKeyId === undefined || !ACCESS_KEY_ID.test(accessKeyId)) {
    return fail('Missing or invalid Credential in the Authorization header.');
  }
  if (signedHeaders === undefined) return fail('Missing SignedHeaders in the Authorization header.');
  if (signature === undefined || !SIGNATURE.test(signature)) {
    return fail('Missing or invalid Signature in the Authorization header.');
  }
  const names = signedHeaders === '' ? [] : signedHeaders.split(';');
  if (!names.every((name) => SIGNED_HEADER_NAME.test(name)) || new Set(names).size !== names.length) {
    return fail(`Invalid SignedHeaders '${signedHeaders}'.`);
  }
  return { ok: true, value: { accessKeyId, signedHeaders: names, signature } };
}

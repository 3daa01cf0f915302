import { V4_REQUEST_TERMINATOR } from './signing-key';
import { V4_ALGORITHM } from './v4-canonical-request';

/** The `Credential` of a V4 signature: `AK/YYYYMMDD/region/product/aliyun_v4_request`. */
export interface V4Credential {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly product: string;
}

export type ParsedAuthorization =
  | { readonly version: 'v1'; readonly accessKeyId: string; readonly signature: string }
  | {
      readonly version: 'v4';
      readonly credential: V4Credential;
      readonly additionalHeaders: readonly string[];
      readonly signature: string;
    };

export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const V1_AUTHORIZATION = /^OSS ([^\s:]+):([A-Za-z0-9+/]+={0,2})$/;
const V4_SIGNATURE = /^[0-9a-f]{64}$/;
const ACCESS_KEY_ID = /^[^\s/]+$/;
const SCOPE_DATE = /^\d{8}$/;
const SCOPE_NAME = /^[a-z0-9-]+$/;
// RFC 9110 token: what a header name may contain.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function fail<T>(reason: string): ParseResult<T> {
  return { ok: false, reason };
}

/** Parses `AK/date/region/product/aliyun_v4_request`. */
export function parseV4Credential(value: string): ParseResult<V4Credential> {
  const parts = value.split('/');
  const [accessKeyId, date, region, product, terminator] = parts;
  if (
    parts.length !== 5 ||
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    product === undefined ||
    terminator !== V4_REQUEST_TERMINATOR
  ) {
    return fail(
      `Invalid credential '${value}': expected <AccessKeyId>/<date>/<region>/<product>/aliyun_v4_request.`,
    );
  }
  if (!ACCESS_KEY_ID.test(accessKeyId)) return fail('Invalid AccessKeyId in the credential.');
  if (!SCOPE_DATE.test(date)) return fail(`Invalid date '${date}' in the credential: expected YYYYMMDD.`);
  if (!SCOPE_NAME.test(region)) return fail(`Invalid region '${region}' in the credential.`);
  if (!SCOPE_NAME.test(product)) return fail(`Invalid product '${product}' in the credential.`);
  return { ok: true, value: { accessKeyId, date, region, product } };
}

/** Parses the `a;b` list of AdditionalHeaders names. */
export function parseAdditionalHeaders(value: string): ParseResult<string[]> {
  if (value === '') return { ok: true, value: [] };
  const names = value.split(';');
  if (!names.every((name) => HEADER_NAME.test(name))) return fail(`Invalid AdditionalHeaders '${value}'.`);
  return { ok: true, value: names };
}

/** Checks the hex form of a V4 signature. */
export function isV4SignatureShape(value: string): boolean {
  return V4_SIGNATURE.test(value);
}

function parseV4Fields(fields: string): ParseResult<ParsedAuthorization> {
  const values = new Map<string, string>();
  for (const field of fields.split(/,\s*/)) {
    const separator = field.indexOf('=');
    const name = separator === -1 ? field : field.slice(0, separator);
    if (separator === -1 || !['Credential', 'AdditionalHeaders', 'Signature'].includes(name)) {
      return fail(`Unexpected field '${name}' in the Authorization header.`);
    }
    if (values.has(name)) return fail(`Duplicate field '${name}' in the Authorization header.`);
    values.set(name, field.slice(separator + 1));
  }
  const credentialValue = values.get('Credential');
  const signature = values.get('Signature');
  if (credentialValue === undefined) return fail('Missing Credential in the Authorization header.');
  if (signature === undefined) return fail('Missing Signature in the Authorization header.');
  if (!isV4SignatureShape(signature)) return fail('Invalid Signature in the Authorization header.');
  const credential = parseV4Credential(credentialValue);
  if (!credential.ok) return credential;
  const additionalHeaders = parseAdditionalHeaders(values.get('AdditionalHeaders') ?? '');
  if (!additionalHeaders.ok) return additionalHeaders;
  return {
    ok: true,
    value: {
      version: 'v4',
      credential: credential.value,
      additionalHeaders: additionalHeaders.value,
      signature,
    },
  };
}

/**
 * Parses `OSS <AK>:<base64 signature>` (V1) or
 * `OSS4-HMAC-SHA256 Credential=..., AdditionalHeaders=..., Signature=...` (V4), accepting optional
 * whitespace after the commas as the documentation's format line shows (docs/wire/oss.md §2.3, §8).
 */
export function parseAuthorizationHeader(value: string): ParseResult<ParsedAuthorization> {
  const v1 = V1_AUTHORIZATION.exec(value);
  if (v1 !== null) {
    return { ok: true, value: { version: 'v1', accessKeyId: v1[1] ?? '', signature: v1[2] ?? '' } };
  }
  const v4Prefix = `${V4_ALGORITHM} `;
  if (value.startsWith(v4Prefix)) return parseV4Fields(value.slice(v4Prefix.length).trimStart());
  return fail('The Authorization header is invalid: expected the OSS or OSS4-HMAC-SHA256 scheme.');
}

import type { IncomingHttpHeaders } from 'node:http';

/**
 * API keys belong in `Authorization: Bearer`, which every log redacts. Clients used to other APIs
 * send them in the URL (`?api_key=`, `?access_token=`, `?key=`) or in an `X-Api-Key` header, where
 * access logs, proxies and browser histories keep them. Such requests are refused, and whatever the
 * API logs of a request is first stripped of anything shaped like a key.
 */

/** Query parameters and headers (lowercase) that carry API keys in other services' conventions. */
const KEY_QUERY_PARAMETERS = new Set(['api_key', 'apikey', 'api-key', 'access_token', 'token', 'key']);
const KEY_HEADERS = new Set(['x-api-key', 'api-key', 'x-auth-token', 'x-access-token']);

/** A whole token, as `issueApiKeyToken` draws it. */
const TOKEN = /seed_[A-Za-z0-9_-]{43}/;
/**
 * Anything that starts like a token, also with `_` or `-` percent-encoded, for redaction: a log
 * may show less, never part of a key.
 */
const TOKEN_LIKE = /seed(?:_|%5f)(?:[A-Za-z0-9_-]|%5f|%2d)*/gi;
const REDACTED = '[redacted]';

/**
 * Where a request carries an API key outside `Authorization` (`query parameter api_key`,
 * `header x-api-key`); null when it does not. A key-named parameter or header counts whatever its
 * value; any other query value or header holding a whole token counts too.
 */
export function misplacedApiKey(url: string, headers: IncomingHttpHeaders): string | null {
  const queryStart = url.indexOf('?');
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  for (const [name, value] of new URLSearchParams(query)) {
    if (KEY_QUERY_PARAMETERS.has(name.toLowerCase()) || TOKEN.test(value) || TOKEN.test(name)) {
      return `query parameter ${name}`;
    }
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'authorization' || value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    if (KEY_HEADERS.has(name) || values.some((text) => TOKEN.test(text))) {
      return `header ${name}`;
    }
  }
  return null;
}

/** `text` with everything shaped like an API key replaced. */
export function redactApiKeys(text: string): string {
  return text.replace(TOKEN_LIKE, `seed_${REDACTED}`);
}

/** A URL whose key-named query parameters have their values replaced, and any key-shaped text too. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return redactApiKeys(url);
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const separator = pair.indexOf('=');
      if (separator === -1) return pair;
      const name = pair.slice(0, separator);
      return KEY_QUERY_PARAMETERS.has(safeDecode(name).toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return redactApiKeys(`${url.slice(0, queryStart)}?${query}`);
}

/** The request as pino-http serialises it (pino-std-serializers), with every key taken out. */
export interface SerializedRequest {
  url?: unknown;
  query?: unknown;
  params?: unknown;
  headers?: unknown;
  [field: string]: unknown;
}

/** Headers that are credentials whatever they hold: logged as `[redacted]`, never in part. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie']);
/**
 * A URL that might name or hold a key: a token, a key-named parameter (each of them contains `key`
 * or `token`), or percent-encoding that could spell either. Any other URL, and the query and
 * params parsed from it, is logged as it is without being taken apart.
 */
const MAY_CARRY_KEY = /seed|key|token|%/i;

/**
 * The serialised request of a log line with `url`, `query`, `params` and `headers` redacted, and
 * the `Authorization` and `Cookie` headers replaced whole. Called for every logged request, so the
 * common request (a key in `Authorization` only) costs one pass over its headers.
 */
export function redactRequestLog(request: SerializedRequest): SerializedRequest {
  const urlIsPlain = typeof request.url === 'string' && !MAY_CARRY_KEY.test(request.url);
  return {
    ...request,
    ...(typeof request.url === 'string' && !urlIsPlain ? { url: redactUrl(request.url) } : {}),
    ...(isRecord(request.query) && !urlIsPlain
      ? { query: redactFields(request.query, KEY_QUERY_PARAMETERS) }
      : {}),
    ...(isRecord(request.params) && !urlIsPlain ? { params: redactFields(request.params, new Set()) } : {}),
    ...(isRecord(request.headers) ? { headers: redactHeaders(request.headers) } : {}),
  };
}

/** The response as pino-http serialises it: `statusCode` and `headers`. */
export interface SerializedResponse {
  headers?: unknown;
  [field: string]: unknown;
}

/** The serialised response of a log line with its `Set-Cookie` header replaced whole. */
export function redactResponseLog(response: SerializedResponse): SerializedResponse {
  return isRecord(response.headers) && response.headers['set-cookie'] !== undefined
    ? { ...response, headers: { ...response.headers, 'set-cookie': REDACTED } }
    : response;
}

function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const redacted: Record<string, unknown> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    redacted[redactApiKeys(name)] =
      CREDENTIAL_HEADERS.has(name) || KEY_HEADERS.has(name.toLowerCase()) ? REDACTED : redactValue(value);
  }
  return redacted;
}

function redactFields(
  fields: Record<string, unknown>,
  keyNames: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      redactApiKeys(name),
      keyNames.has(name.toLowerCase()) ? REDACTED : redactValue(value),
    ]),
  );
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactApiKeys(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (isRecord(value)) return redactFields(value, new Set());
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

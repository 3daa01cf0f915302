/**
 * Whether an error says the database could not be reached or dropped the connection, rather than
 * refusing a statement: the caller can answer "unavailable, retry later" instead of failing.
 */

/** Socket errors of a connection to a server that is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away or not accepting sessions: class 08 (connection
 * exception) is matched by prefix. https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, recovery)
  '53300', // too_many_connections
]);

/**
 * Errors node-postgres raises without a code (pg/lib/client.js, pg-pool/index.js 8.x): the
 * connection ended under a query, or the pool waited too long for one.
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
];

/** How deep causes are followed (TypeORM's `driverError`, `cause`, an AggregateError's errors). */
const MAX_DEPTH = 5;

/** True when `error`, or an error it wraps, is a connection failure of the database. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return false;
  const { code, message, cause, driverError, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    driverError?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) return true;
  if (typeof code === 'string' && /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)))
    return true;
  const wrapped = [cause, driverError, ...(Array.isArray(errors) ? (errors as unknown[]) : [])];
  return wrapped.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

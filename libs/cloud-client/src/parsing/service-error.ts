import { STATUS_CODES } from 'node:http';

/** An HTTP answer, body read in full (under the size cap). Header names are lowercase. */
export interface RawResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** An error answer from either product, normalised. */
export interface ServiceErrorDetails {
  readonly code: string;
  readonly message: string;
  readonly requestId: string | null;
  readonly ec: string | null;
  readonly httpStatus: number;
  /** `ServerTime` from a RequestTimeTooSkewed body, when present (ISO 8601). */
  readonly serverTime: string | null;
  /** Throttling delay the service asked for (`Retry-After`, `x-oss-qos-delay-time`), in ms. */
  readonly retryAfterMs: number | null;
}

/** The reason phrase of a status, used as the code when the body names none (GO2 does the same). */
export function reasonPhrase(response: RawResponse): string {
  const phrase = response.statusText.trim() || STATUS_CODES[response.status];
  return phrase ?? `HTTP ${response.status}`;
}

/** Non-empty header value, else null. */
export function headerValue(response: RawResponse, name: string): string | null {
  const value = response.headers[name];
  return value === undefined || value === '' ? null : value;
}

/**
 * The delay a throttled answer asks for: `x-oss-qos-delay-time` (milliseconds, OSS limits page)
 * or `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3). Null when neither is usable.
 */
export function retryAfterMs(response: RawResponse, nowMs: number): number | null {
  const qosDelay = headerValue(response, 'x-oss-qos-delay-time');
  if (qosDelay !== null && /^\d+$/.test(qosDelay)) return Number(qosDelay);
  const retryAfter = headerValue(response, 'retry-after');
  if (retryAfter === null) return null;
  if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const at = Date.parse(retryAfter);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

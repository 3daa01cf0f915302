import { createHmac } from 'node:crypto';

/**
 * The generic webhook's signature, sent as `X-Signature`: `sha256=` and the lowercase hex
 * HMAC-SHA256, keyed with the channel's shared secret, of `{timestamp}.{body}`, where `timestamp`
 * is the `X-Seed-Timestamp` header (Unix seconds, decimal) and `body` the exact request body bytes
 * (UTF-8 JSON). A consumer recomputes it over the raw body, compares in constant time, and rejects
 * timestamps far from its clock (5 minutes is usual) so a captured request cannot be replayed later.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * DingTalk's custom-robot signature ("加签"): base64 of HMAC-SHA256, keyed with the robot's `SEC...`
 * secret, of `{timestampMs}\n{secret}`. Not yet URL-encoded. The robot accepts timestamps within
 * one hour of its clock. (DingTalk open platform, custom robot security settings.)
 */
export function dingTalkSignature(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs.toString()}\n${secret}`, 'utf8').digest('base64');
}

/** The robot URL with `&timestamp=<ms>&sign=<URL-encoded signature>` appended, as DingTalk expects. */
export function dingTalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const separator = url.includes('?') ? '&' : '?';
  const sign = encodeURIComponent(dingTalkSignature(secret, timestampMs));
  return `${url}${separator}timestamp=${timestampMs.toString()}&sign=${sign}`;
}

import type { AlertChannelType } from '@app/persistence';

/** What came back from one HTTP attempt. */
export type HttpOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      /** The `Retry-After` header, as sent. */
      readonly retryAfter: string | null;
      /** The start of the body (capped by the transport). */
      readonly body: string;
    }
  | {
      readonly kind: 'network_error';
      /** e.g. `ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, `TIMEOUT`. */
      readonly code: string;
    };

/**
 * The meaning of an attempt for delivery. `retry`: worth another attempt (receiver down, overloaded,
 * throttling); `rejected`: the receiver refused this message and would refuse it again (bad URL,
 * token, signature or payload): the delivery fails at once and says why.
 */
export type AttemptVerdict =
  | { readonly kind: 'delivered' }
  | {
      readonly kind: 'retry';
      readonly error: string;
      /** Not before: the receiver's `Retry-After`, or DingTalk's throttling pause. */
      readonly retryAfterMs: number | null;
      /** The receiver throttles the whole channel: nothing is sent to it until then. */
      readonly pauseChannelMs: number | null;
    }
  | { readonly kind: 'rejected'; readonly error: string };

/** DingTalk throttles a robot for 10 minutes once it exceeds 20 messages a minute. */
export const DINGTALK_THROTTLE_PAUSE_MS = 10 * 60_000;

/** DingTalk errcode: more than 20 messages in a minute. */
const DINGTALK_SEND_TOO_FAST = 130101;
/** DingTalk errcode: system busy, try later. */
const DINGTALK_BUSY = -1;

/** Receiver text kept in an error: short, and printable ASCII only. */
const ERROR_BODY_MAX = 200;

/**
 * Reads one attempt's outcome for a channel type:
 * - webhook: any 2xx is delivered; 408, 425, 429 and 5xx are retried (honouring `Retry-After`);
 *   other statuses reject the message.
 * - Slack: 2xx is delivered; 429 (with `Retry-After`) pauses the channel and retries; 5xx retries;
 *   other 4xx (`invalid_payload`, `no_service`, `channel_is_archived`...) reject the message.
 * - DingTalk: answers 200 with `{"errcode","errmsg"}`: errcode 0 is delivered; 130101 (too fast)
 *   and a 302 (the redirect it answers with while it throttles) pause the robot 10 minutes; -1
 *   (busy) retries; any other errcode (signature, keyword, IP allow-list, token) rejects.
 * Network errors and timeouts are always retried.
 */
export function judgeAttempt(type: AlertChannelType, outcome: HttpOutcome, now: Date): AttemptVerdict {
  if (outcome.kind === 'network_error') {
    return retry(`network error ${outcome.code}`);
  }
  const { status } = outcome;
  const retryAfterMs = parseRetryAfter(outcome.retryAfter, now);
  switch (type) {
    case 'webhook':
      if (status >= 200 && status < 300) {
        return { kind: 'delivered' };
      }
      if (status === 429) {
        return retry(`HTTP ${status.toString()}`, retryAfterMs, retryAfterMs);
      }
      if (status === 408 || status === 425 || status >= 500) {
        return retry(`HTTP ${status.toString()}`, retryAfterMs);
      }
      return { kind: 'rejected', error: `HTTP ${status.toString()}` };
    case 'slack':
      if (status >= 200 && status < 300) {
        return { kind: 'delivered' };
      }
      if (status === 429) {
        return retry(`HTTP 429 ${printable(outcome.body)}`.trim(), retryAfterMs, retryAfterMs);
      }
      if (status >= 500) {
        return retry(`HTTP ${status.toString()} ${printable(outcome.body)}`.trim(), retryAfterMs);
      }
      return { kind: 'rejected', error: `HTTP ${status.toString()} ${printable(outcome.body)}`.trim() };
    case 'dingtalk':
      return judgeDingTalk(status, outcome.body, retryAfterMs);
  }
}

function judgeDingTalk(status: number, body: string, retryAfterMs: number | null): AttemptVerdict {
  if (status === 302 || status === 429) {
    return retry(
      `HTTP ${status.toString()} (throttled)`,
      DINGTALK_THROTTLE_PAUSE_MS,
      DINGTALK_THROTTLE_PAUSE_MS,
    );
  }
  if (status >= 500) {
    return retry(`HTTP ${status.toString()}`, retryAfterMs);
  }
  if (status < 200 || status >= 300) {
    return { kind: 'rejected', error: `HTTP ${status.toString()}` };
  }
  const answer = dingTalkAnswer(body);
  if (answer === null) {
    return retry(`HTTP ${status.toString()} without a DingTalk answer`);
  }
  const error = `errcode ${answer.errcode.toString()} ${printable(answer.errmsg)}`.trim();
  if (answer.errcode === 0) {
    return { kind: 'delivered' };
  }
  if (answer.errcode === DINGTALK_SEND_TOO_FAST) {
    return retry(error, DINGTALK_THROTTLE_PAUSE_MS, DINGTALK_THROTTLE_PAUSE_MS);
  }
  if (answer.errcode === DINGTALK_BUSY) {
    return retry(error);
  }
  return { kind: 'rejected', error };
}

function dingTalkAnswer(body: string): { errcode: number; errmsg: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return null;
  }
  const { errcode, errmsg } = parsed as Record<string, unknown>;
  if (typeof errcode !== 'number') {
    return null;
  }
  return { errcode, errmsg: typeof errmsg === 'string' ? errmsg : '' };
}

function retry(
  error: string,
  retryAfterMs: number | null = null,
  pauseChannelMs: number | null = null,
): AttemptVerdict {
  return { kind: 'retry', error, retryAfterMs, pauseChannelMs };
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) {
    return null;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function printable(text: string): string {
  return text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, ERROR_BODY_MAX);
}

import type { AlertChannelType, DeliveryAttemptResult } from '@app/persistence';

import type { AttemptVerdict } from './delivery-verdict';

/** How long a failing delivery keeps being retried, and how far apart. */
export interface RetryPolicy {
  /** Attempts in total before a delivery is given up as `failed`. */
  readonly maxAttempts: number;
  /** Backoff before retry n (n >= 1) is uniform in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * 12 attempts, full jitter from a 15 s base capped at 30 min: an outage of a few hours is ridden
 * out, while a broken channel shows as failed the same day.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 12,
  baseDelayMs: 15_000,
  maxDelayMs: 30 * 60_000,
});

/**
 * Least time between two messages to one channel, shared by every dispatcher: DingTalk robots take
 * 20 messages a minute (one per 3 s keeps any minute at 20), Slack incoming webhooks about one a
 * second; a generic webhook is not limited.
 */
export const DEFAULT_MIN_SEND_INTERVAL_MS: Readonly<Record<AlertChannelType, number>> = Object.freeze({
  dingtalk: 3_000,
  slack: 1_000,
  webhook: 0,
});

/** "Full jitter" backoff (as in the AWS SDKs and docs/operations.md) before retry `retry` (1-based). */
export function fullJitterDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

export interface AttemptContext {
  /** Attempts recorded before this one. */
  readonly attemptsBefore: number;
  readonly attemptedAt: Date;
  readonly minSendIntervalMs: number;
  readonly policy: RetryPolicy;
  readonly random: () => number;
}

/** What to record after an attempt: delivered, due again later, or failed for good. */
export function attemptResult(verdict: AttemptVerdict, context: AttemptContext): DeliveryAttemptResult {
  const at = context.attemptedAt.getTime();
  const rateLimitedUntil = context.minSendIntervalMs > 0 ? new Date(at + context.minSendIntervalMs) : null;
  switch (verdict.kind) {
    case 'delivered':
      return { status: 'delivered', attemptedAt: context.attemptedAt, nextSendAt: rateLimitedUntil };
    case 'rejected':
      return {
        status: 'failed',
        attemptedAt: context.attemptedAt,
        error: verdict.error,
        nextSendAt: rateLimitedUntil,
      };
    case 'retry': {
      const attempts = context.attemptsBefore + 1;
      const paused =
        verdict.pauseChannelMs === null
          ? rateLimitedUntil
          : new Date(at + Math.max(verdict.pauseChannelMs, context.minSendIntervalMs));
      if (attempts >= context.policy.maxAttempts) {
        return {
          status: 'failed',
          attemptedAt: context.attemptedAt,
          error: `${verdict.error} (gave up after ${attempts.toString()} attempts)`,
          nextSendAt: paused,
        };
      }
      const delay = Math.max(
        fullJitterDelay(attempts, context.policy, context.random),
        verdict.retryAfterMs ?? 0,
      );
      return {
        status: 'pending',
        attemptedAt: context.attemptedAt,
        error: verdict.error,
        nextAttemptAt: new Date(at + delay),
        nextSendAt: paused,
      };
    }
  }
}

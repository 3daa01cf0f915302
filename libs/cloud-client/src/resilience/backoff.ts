/** Backoff numbers (OSS SDK v2 defaults, docs/operations.md). */
export interface BackoffPolicy {
  /** Base delay of ordinary retries (5xx, network, timeouts); default 200 ms. */
  readonly baseDelayMs: number;
  /** Base delay after a throttling answer; default 500 ms (AWS guidance for throttles). */
  readonly throttleBaseDelayMs: number;
  /** No delay exceeds this, hinted ones included; default 20 s. */
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseDelayMs: 200,
  throttleBaseDelayMs: 500,
  maxDelayMs: 20_000,
};

/**
 * Full-jitter delay before the next attempt: `random[0,1) × min(base × 2^attempts, cap)`, where
 * `attempts` is the number of attempts already made (1 after the first failure), as in
 * docs/wire/oss.md §5.4. A delay the service asked for (`Retry-After`, `x-oss-qos-delay-time`) wins,
 * capped at `maxDelayMs`.
 */
export function retryDelayMs(
  policy: BackoffPolicy,
  attempts: number,
  throttled: boolean,
  random: () => number,
  requestedDelayMs: number | null,
): number {
  if (requestedDelayMs !== null) return Math.min(requestedDelayMs, policy.maxDelayMs);
  const base = throttled ? policy.throttleBaseDelayMs : policy.baseDelayMs;
  const ceiling = Math.min(policy.maxDelayMs, base * 2 ** attempts);
  return Math.floor(random() * ceiling);
}

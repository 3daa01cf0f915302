/** Retry budget numbers (AWS standard retry mode, docs/operations.md). */
export interface RetryBudgetOptions {
  /** Tokens when full; default 500. */
  readonly capacity?: number;
  /** Cost of retrying a 5xx or network failure; default 5. */
  readonly retryCost?: number;
  /** Cost of retrying a timeout or throttling answer; default 10. */
  readonly timeoutOrThrottleCost?: number;
  /** Tokens returned by each successful answer; default 1. */
  readonly successRefund?: number;
  /** Tokens regained per second of time, whatever the answers; default 10 (empty to full in 50 s). */
  readonly refillPerSecond?: number;
  readonly now?: () => number;
}

/** What a retry is spent on: timeouts and throttles cost more, as they signal overload. */
export type RetryCostKind = 'retry' | 'timeout_or_throttle';

/**
 * A per-account token bucket that bounds retries: every retry spends tokens, every success
 * returns one, and time refills it. When it runs dry the account fails fast instead of amplifying
 * an outage; once the outage has passed, time alone restores the retries (a budget refilled only
 * by successes would stay dry through the storm's aftermath). Share one instance between the
 * clients of an account.
 */
export class RetryBudget {
  readonly #capacity: number;
  readonly #retryCost: number;
  readonly #expensiveCost: number;
  readonly #refund: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;

  constructor(options: RetryBudgetOptions = {}) {
    this.#capacity = options.capacity ?? 500;
    this.#retryCost = options.retryCost ?? 5;
    this.#expensiveCost = options.timeoutOrThrottleCost ?? 10;
    this.#refund = options.successRefund ?? 1;
    this.#refillPerMs = (options.refillPerSecond ?? 10) / 1000;
    this.#now = options.now ?? Date.now;
    this.#tokens = this.#capacity;
    this.#refilledAt = this.#now();
  }

  /** Tokens left. */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Spends the cost of one retry; false (and nothing spent) when the budget cannot pay it. */
  tryAcquire(kind: RetryCostKind): boolean {
    this.#refill();
    const cost = kind === 'retry' ? this.#retryCost : this.#expensiveCost;
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  /** Returns the success refund, up to the capacity. */
  recordSuccess(): void {
    this.#refill();
    this.#tokens = Math.min(this.#capacity, this.#tokens + this.#refund);
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#refilledAt) * this.#refillPerMs);
    this.#refilledAt = now;
  }
}

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
}

/** What a retry is spent on: timeouts and throttles cost more, as they signal overload. */
export type RetryCostKind = 'retry' | 'timeout_or_throttle';

/**
 * A per-account token bucket that bounds retries: every retry spends tokens, every success
 * returns one. When it runs dry the account fails fast instead of amplifying an outage, and
 * the scanner marks the remaining work deferred. Share one instance between the clients of an
 * account.
 */
export class RetryBudget {
  readonly #capacity: number;
  readonly #retryCost: number;
  readonly #expensiveCost: number;
  readonly #refund: number;
  #tokens: number;

  constructor(options: RetryBudgetOptions = {}) {
    this.#capacity = options.capacity ?? 500;
    this.#retryCost = options.retryCost ?? 5;
    this.#expensiveCost = options.timeoutOrThrottleCost ?? 10;
    this.#refund = options.successRefund ?? 1;
    this.#tokens = this.#capacity;
  }

  /** Tokens left. */
  get available(): number {
    return this.#tokens;
  }

  /** Spends the cost of one retry; false (and nothing spent) when the budget cannot pay it. */
  tryAcquire(kind: RetryCostKind): boolean {
    const cost = kind === 'retry' ? this.#retryCost : this.#expensiveCost;
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  /** Returns the success refund, up to the capacity. */
  recordSuccess(): void {
    this.#tokens = Math.min(this.#capacity, this.#tokens + this.#refund);
  }
}

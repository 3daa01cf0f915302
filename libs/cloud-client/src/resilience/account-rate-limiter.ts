import { setTimeout as delay } from 'node:timers/promises';

/** AIMD and concurrency numbers (docs/operations.md); every one can be changed. */
export interface AccountRateLimiterOptions {
  /** Starting rate; default 10 requests/s. */
  readonly initialRatePerSecond?: number;
  /** The rate never drops below this; default 1 request/s. */
  readonly minRatePerSecond?: number;
  /** The rate never climbs above this; default 50 requests/s. */
  readonly maxRatePerSecond?: number;
  /** Additive increase per interval without throttling; default 1 request/s. */
  readonly increaseStepPerSecond?: number;
  /** Length of that interval; default 10 s. */
  readonly increaseIntervalMs?: number;
  /** Multiplicative decrease on a throttle; default 0.5. */
  readonly decreaseFactor?: number;
  /** Requests of the account in flight at once; default 8. */
  readonly maxConcurrency?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How the request that held a permit ended, as far as the rate is concerned. */
export type PermitOutcome = 'ok' | 'throttled';

/**
 * Which queue a request waits in for a concurrency slot: a freed slot goes to a waiting `gating`
 * request before any waiting `bulk` one. Gating requests are the few that other work waits on: a
 * listing page finds the work (the reads of the buckets or tables it names), a key's description
 * completes the batch that named it. Queued behind a thousand encryption reads they would leave the
 * account's next work undiscovered, or a batch unrecorded, until those reads are done.
 */
export type RequestLane = 'gating' | 'bulk';

/** The right to send one request; release it exactly once when its answer (or failure) is in. */
export interface RatePermit {
  release(outcome: PermitOutcome): void;
}

/**
 * Paces one account's requests: an in-flight cap plus an adaptive rate (additive increase every
 * interval without throttling, multiplicative decrease on a throttle, bounded by a floor and a
 * ceiling). Requests are spaced `1/rate` apart with no burst. One instance per account, shared by
 * that account's OSS and OSS Tables clients (and the scanner), so one throttled account never
 * slows another.
 *
 * A throttle only halves the rate when its request was granted after the previous decrease: the
 * answers to requests already in flight at the old rate say nothing about the new one, and
 * counting them would collapse the rate to the floor after a single burst of 503s.
 *
 * Recovery follows time: once the throttling stops, each quiet interval doubles the rate back
 * towards the rate the account had before the storm (a storm passes; a slow crawl back would carry
 * it into the next scan), then the additive increase takes over. Throttled again on the way, it
 * halves again.
 */
export class AccountRateLimiter {
  readonly #minRate: number;
  readonly #maxRate: number;
  readonly #step: number;
  readonly #intervalMs: number;
  readonly #decreaseFactor: number;
  readonly #maxConcurrency: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #rate: number;
  #rateSince: number;
  /** The rate before the current storm's first decrease; null once regained. */
  #recoveryTarget: number | null = null;
  /** Counts decreases; a permit remembers the count it was issued under. */
  #decreases = 0;
  #nextSlotAt = Number.NEGATIVE_INFINITY;
  #inFlight = 0;
  readonly #waiters: Record<RequestLane, (() => void)[]> = { gating: [], bulk: [] };

  constructor(options: AccountRateLimiterOptions = {}) {
    this.#minRate = options.minRatePerSecond ?? 1;
    this.#maxRate = options.maxRatePerSecond ?? 50;
    this.#step = options.increaseStepPerSecond ?? 1;
    this.#intervalMs = options.increaseIntervalMs ?? 10_000;
    this.#decreaseFactor = options.decreaseFactor ?? 0.5;
    this.#maxConcurrency = options.maxConcurrency ?? 8;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    const initial = options.initialRatePerSecond ?? 10;
    if (!(this.#minRate > 0 && this.#minRate <= initial && initial <= this.#maxRate)) {
      throw new RangeError('rate limits must satisfy 0 < min <= initial <= max');
    }
    if (!(this.#maxConcurrency >= 1 && this.#decreaseFactor > 0 && this.#decreaseFactor < 1)) {
      throw new RangeError('maxConcurrency must be >= 1 and decreaseFactor in (0, 1)');
    }
    this.#rate = initial;
    this.#rateSince = this.#now();
  }

  /** The current rate in requests per second. */
  currentRate(): number {
    this.#applyIncrease(this.#now());
    return this.#rate;
  }

  /** Requests holding a permit. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests waiting for a concurrency slot. */
  get waiting(): number {
    return this.#waiters.gating.length + this.#waiters.bulk.length;
  }

  /** Waits for a concurrency slot (gating requests first) and the next rate slot, then grants a permit. */
  async acquire(lane: RequestLane = 'bulk'): Promise<RatePermit> {
    if (this.#inFlight < this.#maxConcurrency) {
      this.#inFlight += 1;
    } else {
      // The releasing request hands its slot over, so #inFlight stays as it is.
      await new Promise<void>((resolve) => this.#waiters[lane].push(resolve));
    }
    const now = this.#now();
    const slot = Math.max(now, this.#nextSlotAt);
    this.#nextSlotAt = slot + 1000 / this.currentRate();
    // Timers cannot wait less than a millisecond; a shorter wait would cost a whole timer tick.
    if (slot - now >= 1) await this.#sleep(slot - now);
    const issuedUnder = this.#decreases;
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        if (outcome === 'throttled' && issuedUnder === this.#decreases) this.#decrease();
        this.#releaseSlot();
      },
    };
  }

  #releaseSlot(): void {
    const next = this.#waiters.gating.shift() ?? this.#waiters.bulk.shift();
    if (next === undefined) this.#inFlight -= 1;
    else next();
  }

  #applyIncrease(now: number): void {
    const intervals = Math.floor((now - this.#rateSince) / this.#intervalMs);
    if (intervals <= 0) return;
    for (let interval = 0; interval < intervals; interval += 1) {
      if (this.#recoveryTarget !== null && this.#rate < this.#recoveryTarget) {
        this.#rate = Math.min(this.#recoveryTarget, this.#rate * 2);
      } else {
        this.#recoveryTarget = null;
        this.#rate = Math.min(this.#maxRate, this.#rate + this.#step);
        if (this.#rate === this.#maxRate) break;
      }
    }
    this.#rateSince += intervals * this.#intervalMs;
  }

  #decrease(): void {
    const now = this.#now();
    this.#applyIncrease(now);
    this.#recoveryTarget = Math.max(this.#recoveryTarget ?? 0, this.#rate);
    this.#rate = Math.max(this.#minRate, this.#rate * this.#decreaseFactor);
    this.#decreases += 1;
    this.#rateSince = now;
  }
}

/** Whether a client may make one more request now; if not, when it may again. */
export type RateLimitVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Window {
  readonly endsAt: number;
  count: number;
}

/**
 * Counts requests per client in fixed windows (a window opens with a client's first request and
 * lasts `windowMs`), in this process's memory. Windows that ended are swept once per window, so
 * memory follows the clients of the last window, not every client ever seen.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt: number;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.nextSweepAt = now() + windowMs;
  }

  /** Counts one request of `client`: refused once the window already holds `limit` requests. */
  consume(client: string): RateLimitVerdict {
    const now = this.now();
    this.sweep(now);
    const window = this.current(client, now);
    if (window === undefined) {
      this.windows.set(client, { endsAt: now + this.windowMs, count: 1 });
      return { allowed: true };
    }
    if (window.count >= this.limit) return this.refusal(window, now);
    window.count += 1;
    return { allowed: true };
  }

  /** Whether `client` has used up its window, without counting a request. */
  peek(client: string): RateLimitVerdict {
    const now = this.now();
    const window = this.current(client, now);
    return window !== undefined && window.count >= this.limit ? this.refusal(window, now) : { allowed: true };
  }

  private current(client: string, now: number): Window | undefined {
    const window = this.windows.get(client);
    return window !== undefined && window.endsAt > now ? window : undefined;
  }

  private refusal(window: Window, now: number): RateLimitVerdict {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - now) / 1000)) };
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    for (const [client, window] of this.windows) {
      if (window.endsAt <= now) this.windows.delete(client);
    }
    this.nextSweepAt = now + this.windowMs;
  }

  /** Clients with an open window (for tests of the sweep). */
  get trackedClients(): number {
    return this.windows.size;
  }
}

import { AccountRateLimiter, AccountRateLimiterOptions } from './account-rate-limiter';

/** A limiter on a manual clock whose sleeps advance the clock and are recorded. */
function limiterOnManualClock(options: AccountRateLimiterOptions = {}) {
  const clock = { now: 1_000_000, sleeps: [] as number[] };
  const limiter = new AccountRateLimiter({
    now: () => clock.now,
    sleep: (ms) => {
      clock.sleeps.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
    ...options,
  });
  return { limiter, clock };
}

async function sendOne(limiter: AccountRateLimiter, outcome: 'ok' | 'throttled' = 'ok'): Promise<void> {
  const permit = await limiter.acquire();
  permit.release(outcome);
}

describe('AccountRateLimiter', () => {
  it('starts at 10 requests/s and spaces requests 100 ms apart with no burst', async () => {
    const { limiter, clock } = limiterOnManualClock();
    for (let i = 0; i < 4; i += 1) await sendOne(limiter);
    expect(limiter.currentRate()).toBe(10);
    expect(clock.sleeps).toEqual([100, 100, 100]);
  });

  it('does not sleep for waits shorter than a timer tick at high rates', async () => {
    const { limiter, clock } = limiterOnManualClock({ initialRatePerSecond: 5_000, maxRatePerSecond: 5_000 });
    for (let i = 0; i < 5; i += 1) await sendOne(limiter);
    expect(clock.sleeps).toEqual([]);
  });

  it('adds 1 request/s for every 10 s without throttling', () => {
    const { limiter, clock } = limiterOnManualClock();
    clock.now += 9_999;
    expect(limiter.currentRate()).toBe(10);
    clock.now += 1;
    expect(limiter.currentRate()).toBe(11);
    clock.now += 25_000;
    expect(limiter.currentRate()).toBe(13);
  });

  it('never climbs above the ceiling of 50', () => {
    const { limiter, clock } = limiterOnManualClock();
    clock.now += 3_600_000;
    expect(limiter.currentRate()).toBe(50);
  });

  it('halves the rate on a throttle and never goes below the floor of 1', async () => {
    const { limiter } = limiterOnManualClock();
    const rates: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      await sendOne(limiter, 'throttled');
      rates.push(limiter.currentRate());
    }
    expect(rates).toEqual([5, 2.5, 1.25, 1, 1, 1]);
  });

  it('counts the throttles of requests granted before a decrease only once', async () => {
    const { limiter } = limiterOnManualClock();
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    first.release('throttled');
    second.release('throttled');
    expect(limiter.currentRate()).toBe(5);
  });

  it('counts quiet intervals from the last decrease, and doubles back to the rate before it', async () => {
    const { limiter, clock } = limiterOnManualClock();
    clock.now += 9_000;
    await sendOne(limiter, 'throttled');
    clock.now += 9_000;
    expect(limiter.currentRate()).toBe(5);
    clock.now += 1_000;
    expect(limiter.currentRate()).toBe(10);
    clock.now += 10_000;
    expect(limiter.currentRate()).toBe(11);
  });

  it('recovers from a storm with time: each quiet interval doubles the rate back to where it was', async () => {
    const { limiter, clock } = limiterOnManualClock({ initialRatePerSecond: 40 });
    // Four throttles, each granted after the previous decrease: 40 -> 20 -> 10 -> 5 -> 2.5.
    for (let throttle = 0; throttle < 4; throttle += 1) await sendOne(limiter, 'throttled');
    expect(limiter.currentRate()).toBe(2.5);
    const rates: number[] = [];
    for (let interval = 0; interval < 6; interval += 1) {
      clock.now += 10_000;
      rates.push(limiter.currentRate());
    }
    // Back to the pre-storm 40 in four intervals, then the additive climb; a crawl of +1 per
    // interval would have taken 38.
    expect(rates).toEqual([5, 10, 20, 40, 41, 42]);
  });

  it('halves again when throttled on the way back, then resumes towards the pre-storm rate', async () => {
    const { limiter, clock } = limiterOnManualClock({ initialRatePerSecond: 40 });
    await sendOne(limiter, 'throttled');
    await sendOne(limiter, 'throttled');
    clock.now += 10_000;
    expect(limiter.currentRate()).toBe(20);
    await sendOne(limiter, 'throttled');
    expect(limiter.currentRate()).toBe(10);
    clock.now += 20_000;
    expect(limiter.currentRate()).toBe(40);
  });

  it('honours configured numbers', async () => {
    const { limiter, clock } = limiterOnManualClock({
      initialRatePerSecond: 100,
      maxRatePerSecond: 120,
      minRatePerSecond: 40,
      increaseStepPerSecond: 5,
      increaseIntervalMs: 1_000,
      decreaseFactor: 0.25,
    });
    await sendOne(limiter, 'throttled');
    expect(limiter.currentRate()).toBe(40);
    // Doubling back to 100 (80, 100), then one step of 5.
    clock.now += 3_000;
    expect(limiter.currentRate()).toBe(105);
  });

  it('holds the 9th concurrent request until one of the 8 in flight is released', async () => {
    const { limiter } = limiterOnManualClock({ initialRatePerSecond: 50 });
    const permits = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    let ninthGranted = false;
    const ninth = limiter.acquire().then((permit) => {
      ninthGranted = true;
      return permit;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect([ninthGranted, limiter.inFlight, limiter.waiting]).toEqual([false, 8, 1]);
    permits[0]!.release('ok');
    (await ninth).release('ok');
    expect([ninthGranted, limiter.inFlight]).toEqual([true, 7]);
  });

  it('grants waiting requests in arrival order', async () => {
    const { limiter } = limiterOnManualClock({ maxConcurrency: 1 });
    const order: string[] = [];
    const holder = await limiter.acquire();
    const waiters = ['a', 'b', 'c'].map((name) =>
      limiter.acquire().then((permit) => {
        order.push(name);
        permit.release('ok');
      }),
    );
    holder.release('ok');
    await Promise.all(waiters);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('hands a freed slot to a waiting gating request (a listing page, a key) before the bulk reads queued earlier', async () => {
    const { limiter } = limiterOnManualClock({ maxConcurrency: 1 });
    const order: string[] = [];
    const holder = await limiter.acquire();
    const waiters = (
      [
        ['read 1', 'bulk'],
        ['read 2', 'bulk'],
        ['ListBuckets page', 'gating'],
        ['read 3', 'bulk'],
        ['DescribeKey', 'gating'],
      ] as const
    ).map(([name, lane]) =>
      limiter.acquire(lane).then((permit) => {
        order.push(name);
        permit.release('ok');
      }),
    );
    expect(limiter.waiting).toBe(5);
    holder.release('ok');
    await Promise.all(waiters);
    expect(order).toEqual(['ListBuckets page', 'DescribeKey', 'read 1', 'read 2', 'read 3']);
  });

  it('ignores a second release of the same permit', async () => {
    const { limiter } = limiterOnManualClock();
    const permit = await limiter.acquire();
    await limiter.acquire();
    permit.release('throttled');
    permit.release('throttled');
    expect([limiter.inFlight, limiter.currentRate()]).toEqual([1, 5]);
  });

  it('rejects inconsistent limits', () => {
    expect(() => new AccountRateLimiter({ initialRatePerSecond: 100 })).toThrow(RangeError);
    expect(() => new AccountRateLimiter({ maxConcurrency: 0 })).toThrow(RangeError);
    expect(() => new AccountRateLimiter({ decreaseFactor: 1 })).toThrow(RangeError);
  });
});

import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  let now: number;
  let limiter: RateLimiter;

  beforeEach(() => {
    now = Date.UTC(2026, 2, 5, 2, 0, 0);
    limiter = new RateLimiter(3, 60_000, () => now);
  });

  it('allows the limit in a window, then refuses with the seconds left in it', () => {
    expect([1, 2, 3].map(() => limiter.consume('a').allowed)).toEqual([true, true, true]);
    now += 20_500;
    expect(limiter.consume('a')).toEqual({ allowed: false, retryAfterSeconds: 40 });
  });

  it('opens a new window once the last one has ended', () => {
    for (let request = 0; request < 3; request += 1) limiter.consume('a');
    now += 60_000;
    expect(limiter.consume('a')).toEqual({ allowed: true });
  });

  it('keeps one budget per client', () => {
    for (let request = 0; request < 3; request += 1) limiter.consume('a');
    expect(limiter.consume('b')).toEqual({ allowed: true });
    expect(limiter.consume('a').allowed).toBe(false);
  });

  it('peeks without counting', () => {
    limiter.consume('a');
    limiter.consume('a');
    expect(limiter.peek('a')).toEqual({ allowed: true });
    expect(limiter.peek('a')).toEqual({ allowed: true });
    limiter.consume('a');
    expect(limiter.peek('a')).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('asks for at least one second, however little of the window is left', () => {
    for (let request = 0; request < 3; request += 1) limiter.consume('a');
    now += 59_999;
    expect(limiter.consume('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('forgets clients whose window ended, so memory follows the active clients', () => {
    for (let client = 0; client < 100; client += 1) limiter.consume(`old-${client.toString()}`);
    now += 60_000;
    limiter.consume('new');
    expect(limiter.trackedClients).toBe(1);
  });
});

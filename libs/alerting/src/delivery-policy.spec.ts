import { attemptResult, type AttemptContext, fullJitterDelay, type RetryPolicy } from './delivery-policy';

const POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000 };
const AT = new Date('2026-03-02T02:00:00.000Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

const context = (overrides: Partial<AttemptContext> = {}): AttemptContext => ({
  attemptsBefore: 0,
  attemptedAt: AT,
  minSendIntervalMs: 1_000,
  policy: POLICY,
  random: () => 0.5,
  ...overrides,
});

describe('fullJitterDelay', () => {
  it('draws uniformly below base * 2^(n-1), capped', () => {
    expect(fullJitterDelay(1, POLICY, () => 0.5)).toBe(500);
    expect(fullJitterDelay(3, POLICY, () => 0.5)).toBe(2_000);
    expect(fullJitterDelay(10, POLICY, () => 0.999)).toBe(4_995);
    expect(fullJitterDelay(2, POLICY, () => 0)).toBe(0);
  });
});

describe('attemptResult', () => {
  it('records a delivery and holds the channel for its send interval', () => {
    expect(attemptResult({ kind: 'delivered' }, context())).toEqual({
      status: 'delivered',
      attemptedAt: AT,
      nextSendAt: later(1_000),
    });
  });

  it('leaves a channel without a send interval free', () => {
    expect(attemptResult({ kind: 'delivered' }, context({ minSendIntervalMs: 0 }))).toMatchObject({
      nextSendAt: null,
    });
  });

  it('schedules a retry after the jittered backoff', () => {
    const verdict = { kind: 'retry', error: 'HTTP 503', retryAfterMs: null, pauseChannelMs: null } as const;
    expect(attemptResult(verdict, context({ attemptsBefore: 1 }))).toEqual({
      status: 'pending',
      attemptedAt: AT,
      error: 'HTTP 503',
      nextAttemptAt: later(1_000),
      nextSendAt: later(1_000),
    });
  });

  it('waits at least the receiver Retry-After, and pauses the channel when asked', () => {
    const verdict = {
      kind: 'retry',
      error: 'HTTP 429',
      retryAfterMs: 60_000,
      pauseChannelMs: 60_000,
    } as const;
    expect(attemptResult(verdict, context())).toMatchObject({
      status: 'pending',
      nextAttemptAt: later(60_000),
      nextSendAt: later(60_000),
    });
  });

  it('gives up after the last attempt', () => {
    const verdict = {
      kind: 'retry',
      error: 'network error ECONNREFUSED',
      retryAfterMs: null,
      pauseChannelMs: null,
    } as const;
    expect(attemptResult(verdict, context({ attemptsBefore: 3 }))).toEqual({
      status: 'failed',
      attemptedAt: AT,
      error: 'network error ECONNREFUSED (gave up after 4 attempts)',
      nextSendAt: later(1_000),
    });
  });

  it('fails a rejected message at once', () => {
    expect(attemptResult({ kind: 'rejected', error: 'HTTP 404 no_service' }, context())).toMatchObject({
      status: 'failed',
      error: 'HTTP 404 no_service',
    });
  });
});

import {
  DINGTALK_THROTTLE_PAUSE_MS,
  type HttpOutcome,
  judgeAttempt,
  parseRetryAfter,
} from './delivery-verdict';

const NOW = new Date('2026-03-02T02:00:00.000Z');

const response = (status: number, body = '', retryAfter: string | null = null): HttpOutcome => ({
  kind: 'response',
  status,
  body,
  retryAfter,
});

describe('judgeAttempt', () => {
  it('retries network errors on every channel', () => {
    for (const type of ['webhook', 'dingtalk', 'slack'] as const) {
      expect(judgeAttempt(type, { kind: 'network_error', code: 'ECONNREFUSED' }, NOW)).toEqual({
        kind: 'retry',
        error: 'network error ECONNREFUSED',
        retryAfterMs: null,
        pauseChannelMs: null,
      });
    }
  });

  it('takes any 2xx from a webhook as delivered', () => {
    expect(judgeAttempt('webhook', response(204), NOW)).toEqual({ kind: 'delivered' });
  });

  it('retries a webhook 5xx after its Retry-After', () => {
    expect(judgeAttempt('webhook', response(503, '', '120'), NOW)).toEqual({
      kind: 'retry',
      error: 'HTTP 503',
      retryAfterMs: 120_000,
      pauseChannelMs: null,
    });
  });

  it('pauses a webhook channel that answers 429', () => {
    expect(judgeAttempt('webhook', response(429, '', '30'), NOW)).toMatchObject({
      kind: 'retry',
      pauseChannelMs: 30_000,
    });
  });

  it('rejects a message a webhook refuses with another 4xx', () => {
    expect(judgeAttempt('webhook', response(401), NOW)).toEqual({ kind: 'rejected', error: 'HTTP 401' });
  });

  it('takes Slack "ok" as delivered and keeps its error codes', () => {
    expect(judgeAttempt('slack', response(200, 'ok'), NOW)).toEqual({ kind: 'delivered' });
    expect(judgeAttempt('slack', response(404, 'no_service'), NOW)).toEqual({
      kind: 'rejected',
      error: 'HTTP 404 no_service',
    });
  });

  it('pauses a Slack channel for its Retry-After on 429', () => {
    expect(judgeAttempt('slack', response(429, 'rate_limited', '5'), NOW)).toEqual({
      kind: 'retry',
      error: 'HTTP 429 rate_limited',
      retryAfterMs: 5_000,
      pauseChannelMs: 5_000,
    });
  });

  it('reads DingTalk errcode 0 as delivered', () => {
    expect(judgeAttempt('dingtalk', response(200, '{"errcode":0,"errmsg":"ok"}'), NOW)).toEqual({
      kind: 'delivered',
    });
  });

  it('pauses a DingTalk robot 10 minutes when it says "send too fast" or redirects', () => {
    for (const outcome of [response(200, '{"errcode":130101,"errmsg":"send too fast"}'), response(302)]) {
      expect(judgeAttempt('dingtalk', outcome, NOW)).toMatchObject({
        kind: 'retry',
        retryAfterMs: DINGTALK_THROTTLE_PAUSE_MS,
        pauseChannelMs: DINGTALK_THROTTLE_PAUSE_MS,
      });
    }
  });

  it('rejects a DingTalk signature mismatch with its errcode', () => {
    expect(
      judgeAttempt('dingtalk', response(200, '{"errcode":310000,"errmsg":"sign not match"}'), NOW),
    ).toEqual({
      kind: 'rejected',
      error: 'errcode 310000 sign not match',
    });
  });

  it('retries a DingTalk 200 whose body is not its answer', () => {
    expect(judgeAttempt('dingtalk', response(200, '<html>'), NOW)).toMatchObject({ kind: 'retry' });
  });

  it('keeps only printable, bounded receiver text in errors', () => {
    const verdict = judgeAttempt('slack', response(400, `bad\n\u0000${'x'.repeat(500)}`), NOW);
    expect(verdict.kind === 'rejected' && verdict.error.length).toBeLessThanOrEqual(220);
    expect(verdict.kind === 'rejected' && /[^\x20-\x7e]/.test(verdict.error)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and ignores the unreadable', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 02:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});

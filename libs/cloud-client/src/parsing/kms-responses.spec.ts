import { parseKmsError } from './kms-responses';
import type { RawResponse } from './service-error';

const NOW = Date.parse('2025-04-17T08:00:00Z');

function response(status: number, body: string, headers: Record<string, string> = {}): RawResponse {
  return { status, statusText: '', headers, body: Buffer.from(body, 'utf8') };
}

describe('parseKmsError', () => {
  it('reads Code, Message and RequestId from the gateway JSON error', () => {
    const body = JSON.stringify({
      RequestId: '886024CB-30A3-4945-AC3D-D52F706B65A0',
      HostId: 'kms.cn-hangzhou.aliyuncs.com',
      Code: 'Forbidden.KeyNotFound',
      Message: 'The specified Key is not found.',
      Recommend: 'https://error-center.aliyun.com/status/search?Keyword=Forbidden.KeyNotFound',
    });
    expect(parseKmsError(response(404, body), NOW)).toEqual({
      code: 'Forbidden.KeyNotFound',
      message: 'The specified Key is not found.',
      requestId: '886024CB-30A3-4945-AC3D-D52F706B65A0',
      ec: null,
      httpStatus: 404,
      serverTime: null,
      retryAfterMs: null,
    });
  });

  it('falls back to the reason phrase for a body that is not JSON', () => {
    expect(parseKmsError(response(502, '<html>Bad Gateway</html>'), NOW)).toMatchObject({
      code: 'Bad Gateway',
      message: 'HTTP 502 Bad Gateway',
      requestId: null,
    });
  });

  it('takes a Retry-After delay', () => {
    expect(parseKmsError(response(503, '', { 'retry-after': '2' }), NOW).retryAfterMs).toBe(2000);
  });
});

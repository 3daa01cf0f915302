import { inspect } from 'node:util';

import type { SigningCredentials } from '@app/signing';

import type { CredentialSource } from './credentials/credential-source';
import { OssArgumentError, OssError } from './errors';
import { createMockService, NOW, TEST_CREDENTIALS, verifySeenRequest } from './testing/mock-service';
import { OssClient, OssClientOptions } from './oss-client';
import {
  ENCRYPTION_KMS_GO2,
  ERROR_ACCESS_DENIED_GO2,
  ERROR_META_QPS,
  ERROR_NO_RULE,
  ERROR_NO_SUCH_BUCKET_GO2,
  LIST_BUCKETS_LAST_PAGE,
  LIST_BUCKETS_TRUNCATED_GO2,
} from './testing/oss-responses';
import { RetryBudget } from './resilience/retry-budget';
import type { BucketEncryptionResult } from './results';

const BUCKET_ORIGIN = 'https://my-bucket.oss-cn-hangzhou.aliyuncs.com';
const SERVICE_ORIGIN = 'https://oss-cn-hangzhou.aliyuncs.com';
const XML = { headers: { 'content-type': 'application/xml', 'x-oss-request-id': 'REQ-1' } };
const KMS_RULE = {
  sseAlgorithm: 'KMS',
  kmsMasterKeyId: '9468da86-3509-4f8d-a61e-6eab1eac****',
  kmsDataEncryption: null,
};

function skewError(serverTime: string): string {
  return `<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestId>REQ-SKEW</RequestId><ServerTime>${serverTime}</ServerTime></Error>`;
}

describe('OssClient', () => {
  let service: ReturnType<typeof createMockService>;
  let client: OssClient;

  function makeClient(overrides: Partial<OssClientOptions> = {}): OssClient {
    return new OssClient({ ...service.options, listBucketsRegion: 'cn-hangzhou', ...overrides });
  }

  function bucketOrigin(origin = BUCKET_ORIGIN) {
    return service.agent.get(origin);
  }

  async function encryption(target = client): Promise<BucketEncryptionResult> {
    return target.getBucketEncryption('my-bucket', 'cn-hangzhou');
  }

  beforeEach(() => {
    service = createMockService();
    client = makeClient();
  });

  afterEach(async () => {
    await service.agent.close();
  });

  describe('getBucketEncryption', () => {
    it('sends GET /?encryption virtual-hosted, signed with V4 for the bucket region, with the STS token', async () => {
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML);
      await encryption();
      const [request] = service.requests();
      expect(request!.headers).toMatchObject({
        host: 'my-bucket.oss-cn-hangzhou.aliyuncs.com',
        'x-oss-date': '20250417T080000Z',
        'x-oss-security-token': TEST_CREDENTIALS.securityToken,
      });
      expect(request!.headers['authorization']).toMatch(
        /^OSS4-HMAC-SHA256 Credential=STS\.NTestKeyId\/20250417\/cn-hangzhou\/oss\/aliyun_v4_request,/,
      );
      expect(verifySeenRequest(request!, { product: 'oss', bucket: 'my-bucket' })).toMatchObject({
        ok: true,
        version: 'v4',
        region: 'cn-hangzhou',
      });
    });

    it('returns the rule with the request id', async () => {
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML);
      await expect(encryption()).resolves.toEqual({ outcome: 'rule', rule: KMS_RULE, requestId: 'REQ-1' });
    });

    it('puts the bucket in the path when path-style addressing is chosen', async () => {
      service.agent
        .get(SERVICE_ORIGIN)
        .intercept({ path: '/my-bucket/?encryption', method: 'GET' })
        .reply(200, ENCRYPTION_KMS_GO2, XML);
      const result = await encryption(makeClient({ addressing: 'path-style' }));
      expect(result.outcome).toBe('rule');
      expect(service.requests()[0]!.headers['host']).toBe('oss-cn-hangzhou.aliyuncs.com');
    });

    it('connects to a custom http endpoint while sending the service Host header', async () => {
      service.agent
        .get('http://127.0.0.1:9000')
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(200, ENCRYPTION_KMS_GO2, XML);
      const result = await encryption(makeClient({ endpointOverride: 'http://127.0.0.1:9000' }));
      expect(result.outcome).toBe('rule');
      expect(service.requests()[0]!.headers['host']).toBe('my-bucket.oss-cn-hangzhou.aliyuncs.com');
    });

    it('signs with V1 when asked', async () => {
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML);
      await encryption(makeClient({ signatureVersion: 'v1' }));
      const [request] = service.requests();
      expect(request!.headers['authorization']).toMatch(/^OSS STS\.NTestKeyId:/);
      expect(verifySeenRequest(request!, { product: 'oss', bucket: 'my-bucket' })).toMatchObject({
        ok: true,
        version: 'v1',
      });
    });

    it('reads 404 NoSuchServerSideEncryptionRule as no_rule', async () => {
      bucketOrigin()
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(404, ERROR_NO_RULE, { headers: { 'x-oss-request-id': 'REQ-NO-RULE' } });
      await expect(encryption()).resolves.toEqual({ outcome: 'no_rule', requestId: 'REQ-NO-RULE' });
    });

    it('reads NoSuchBucket as bucket_missing', async () => {
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(404, ERROR_NO_SUCH_BUCKET_GO2);
      await expect(encryption()).resolves.toEqual({
        outcome: 'bucket_missing',
        requestId: '5C3D9175B6FC201293AD****',
      });
    });

    it('keys "no rule" on the code even when the status says 400 (the seed doc error)', async () => {
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(400, ERROR_NO_RULE);
      await expect(encryption()).resolves.toMatchObject({ outcome: 'no_rule' });
    });

    it('returns AccessDenied as a terminal error after one attempt', async () => {
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(403, ERROR_ACCESS_DENIED_GO2);
      await expect(encryption()).resolves.toEqual({
        outcome: 'error',
        error: {
          code: 'AccessDenied',
          message: 'AccessDenied',
          requestId: '568D5566F2D0F89F5C0E****',
          ec: null,
          httpStatus: 403,
          operation: 'GetBucketEncryption',
          attempts: 1,
          host: 'my-bucket.oss-cn-hangzhou.aliyuncs.com',
          kind: 'service',
        },
      });
      expect(service.requests()).toHaveLength(1);
    });

    it('retries a 503 throttle after the throttle backoff, halves the rate and charges 10 tokens', async () => {
      const pool = bucketOrigin();
      pool.intercept({ path: '/?encryption', method: 'GET' }).reply(503, ERROR_META_QPS);
      pool.intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML);
      await expect(encryption()).resolves.toMatchObject({ outcome: 'rule' });
      expect(service.sleeps).toEqual([500]);
      expect(service.rateLimiter.currentRate()).toBe(500);
      expect(service.retryBudget.available).toBe(491);
    });

    it('retries 5xx with full jitter on a 200 ms base and reports the attempts when they run out', async () => {
      bucketOrigin()
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(500, '<Error><Code>InternalError</Code><Message>boom</Message></Error>')
        .times(3);
      const result = await encryption();
      expect(result).toMatchObject({
        outcome: 'error',
        error: { code: 'InternalError', attempts: 3, httpStatus: 500 },
      });
      expect(service.sleeps).toEqual([200, 400]);
      expect(service.retryBudget.available).toBe(490);
    });

    it('allows up to 5 attempts while the answers are throttling', async () => {
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(503, ERROR_META_QPS).times(5);
      const result = await encryption();
      expect(result).toMatchObject({
        outcome: 'error',
        error: { code: 'MetaOperationQpsLimitExceeded', attempts: 5 },
      });
      expect(service.sleeps).toEqual([500, 1000, 2000, 4000]);
    });

    it('waits as long as x-oss-qos-delay-time asks before retrying', async () => {
      const pool = bucketOrigin();
      pool
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(503, ERROR_META_QPS, { headers: { 'x-oss-qos-delay-time': '750' } });
      pool.intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML);
      await encryption();
      expect(service.sleeps).toEqual([750]);
    });

    it('retries a connection reset', async () => {
      const pool = bucketOrigin();
      pool
        .intercept({ path: '/?encryption', method: 'GET' })
        .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      pool.intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML);
      await expect(encryption()).resolves.toMatchObject({ outcome: 'rule' });
      expect(service.sleeps).toEqual([200]);
    });

    it('reports a failed connection as kind network with its code', async () => {
      bucketOrigin()
        .intercept({ path: '/?encryption', method: 'GET' })
        .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
        .times(3);
      await expect(encryption()).resolves.toMatchObject({
        outcome: 'error',
        error: { kind: 'network', code: 'ECONNREFUSED', attempts: 3, httpStatus: null },
      });
    });

    it('fails fast without retrying when the retry budget cannot pay', async () => {
      client = makeClient({ retryBudget: new RetryBudget({ capacity: 9 }) });
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(503, ERROR_META_QPS);
      const result = await encryption();
      expect(result).toMatchObject({ outcome: 'error', error: { attempts: 1 } });
      expect(result.outcome === 'error' && result.error.message).toMatch(/retry budget exhausted/);
      expect(service.sleeps).toEqual([]);
    });

    it('cuts a hanging answer at the attempt deadline and retries it as a timeout', async () => {
      client = makeClient({ attemptTimeoutMs: 20 });
      bucketOrigin()
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(200, ENCRYPTION_KMS_GO2)
        .delay(5_000)
        .times(3);
      const result = await encryption();
      expect(result).toMatchObject({
        outcome: 'error',
        error: { kind: 'timeout', code: 'AttemptTimeout', attempts: 3 },
      });
      expect(service.retryBudget.available).toBe(480);
    });

    it('aborts a body larger than the cap before parsing it', async () => {
      client = makeClient({ maxResponseBytes: 1024 });
      bucketOrigin()
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(200, `<ServerSideEncryptionRule>${'x'.repeat(4096)}</ServerSideEncryptionRule>`);
      await expect(encryption()).resolves.toMatchObject({
        outcome: 'error',
        error: { kind: 'response_too_large', code: 'ResponseTooLarge', attempts: 1 },
      });
    });

    it('refuses a declared Content-Length above the cap without reading the body', async () => {
      bucketOrigin()
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(200, ENCRYPTION_KMS_GO2, { headers: { 'content-length': String(10 * 1024 * 1024) } });
      await expect(encryption()).resolves.toMatchObject({
        outcome: 'error',
        error: { kind: 'response_too_large' },
      });
    });

    it.each([
      [
        'a billion-laughs document',
        '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><ServerSideEncryptionRule>&b;</ServerSideEncryptionRule>',
      ],
      ['a 50-deep document', '<a>'.repeat(50) + '</a>'.repeat(50)],
      ['a truncated document', '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSE'],
      ['a 200 without a rule', '<ServerSideEncryptionRule></ServerSideEncryptionRule>'],
    ])('reports %s as malformed_response once its retries are spent', async (_label, body) => {
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(200, body, XML).times(3);
      await expect(encryption()).resolves.toMatchObject({
        outcome: 'error',
        error: {
          kind: 'malformed_response',
          code: 'MalformedResponse',
          attempts: 3,
          httpStatus: 200,
          requestId: 'REQ-1',
        },
      });
    });

    it('corrects a clock skew from ServerTime and re-signs once at the server time', async () => {
      const serverTime = new Date(NOW + 20 * 60_000).toISOString();
      const pool = bucketOrigin();
      pool.intercept({ path: '/?encryption', method: 'GET' }).reply(403, skewError(serverTime));
      pool.intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML);
      await expect(encryption()).resolves.toMatchObject({ outcome: 'rule' });
      expect(service.requests().map((request) => request.headers['x-oss-date'])).toEqual([
        '20250417T080000Z',
        '20250417T082000Z',
      ]);
      expect(service.sleeps).toEqual([]);
      expect(service.retryBudget.available).toBe(500);
    });

    it('keeps the learned offset for later calls', async () => {
      const pool = bucketOrigin();
      pool
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(403, skewError(new Date(NOW - 3_600_000).toISOString()));
      pool.intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML).times(2);
      await encryption();
      await encryption();
      expect(service.requests()[2]!.headers['x-oss-date']).toBe('20250417T070000Z');
    });

    it('takes the server time from the Date header when the body has none', async () => {
      const pool = bucketOrigin();
      pool
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(403, '<Error><Code>RequestTimeTooSkewed</Code></Error>', {
          headers: { date: new Date(NOW + 30 * 60_000).toUTCString() },
        });
      pool.intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML);
      await encryption();
      expect(service.requests()[1]!.headers['x-oss-date']).toBe('20250417T083000Z');
    });

    it('does not correct the skew twice within one call', async () => {
      bucketOrigin()
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(403, skewError(new Date(NOW + 20 * 60_000).toISOString()))
        .times(2);
      await expect(encryption()).resolves.toMatchObject({
        outcome: 'error',
        error: { code: 'RequestTimeTooSkewed', attempts: 2 },
      });
    });

    it('retries a refused access key once when the credential source has new credentials', async () => {
      const rotated: SigningCredentials = { ...TEST_CREDENTIALS, accessKeyId: 'STS.NRotated' };
      let calls = 0;
      const rotating: CredentialSource = {
        getCredentials: () => Promise.resolve(++calls === 1 ? TEST_CREDENTIALS : rotated),
      };
      service = createMockService(rotating);
      client = makeClient();
      const pool = bucketOrigin();
      pool
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(403, '<Error><Code>SecurityTokenExpired</Code><Message>expired</Message></Error>');
      pool.intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_KMS_GO2, XML);
      await expect(encryption()).resolves.toMatchObject({ outcome: 'rule' });
      expect(service.requests()[1]!.headers['authorization']).toContain('Credential=STS.NRotated/');
    });

    it('does not retry a refused access key when the source still has the same credentials', async () => {
      bucketOrigin()
        .intercept({ path: '/?encryption', method: 'GET' })
        .reply(403, '<Error><Code>InvalidAccessKeyId</Code><Message>unknown key</Message></Error>');
      await expect(encryption()).resolves.toMatchObject({
        outcome: 'error',
        error: { code: 'InvalidAccessKeyId', attempts: 1 },
      });
    });

    it('reports a failing credential source as kind credentials, without its message', async () => {
      const failing: CredentialSource = {
        getCredentials: () => Promise.reject(new Error(`STS said no to ${TEST_CREDENTIALS.accessKeySecret}`)),
      };
      service = createMockService(failing);
      const result = await encryption(makeClient());
      expect(result).toMatchObject({
        outcome: 'error',
        error: { kind: 'credentials', code: 'CredentialsUnavailable', attempts: 1 },
      });
      expect(JSON.stringify(result)).not.toContain(TEST_CREDENTIALS.accessKeySecret);
    });

    it('redacts the secret and token when the service echoes them', async () => {
      const echo = `<Error><Code>InvalidSecurityToken</Code><Message>bad token ${TEST_CREDENTIALS.securityToken} for ${TEST_CREDENTIALS.accessKeySecret}</Message></Error>`;
      bucketOrigin().intercept({ path: '/?encryption', method: 'GET' }).reply(403, echo);
      const result = await encryption();
      expect(result.outcome === 'error' && result.error.message).toBe('bad token [REDACTED] for [REDACTED]');
    });

    it('keeps secrets out of the client object', () => {
      const rendered = inspect(client, { depth: 20, showHidden: true });
      expect(rendered).not.toContain(TEST_CREDENTIALS.accessKeySecret);
      expect(rendered).not.toContain(TEST_CREDENTIALS.securityToken);
    });

    it('throws OssArgumentError for a bucket name or region it cannot address', async () => {
      await expect(client.getBucketEncryption('Not_A_Bucket', 'cn-hangzhou')).rejects.toThrow(
        OssArgumentError,
      );
      await expect(client.getBucketEncryption('my-bucket', 'cn hangzhou')).rejects.toThrow(OssArgumentError);
    });
  });

  describe('listBuckets', () => {
    async function collect(iterable: AsyncIterable<{ name: string }>): Promise<string[]> {
      const names: string[] = [];
      for await (const bucket of iterable) names.push(bucket.name);
      return names;
    }

    it('walks every page, sending marker = the previous NextMarker', async () => {
      const pool = service.agent.get(SERVICE_ORIGIN);
      pool.intercept({ path: '/?max-keys=1000', method: 'GET' }).reply(200, LIST_BUCKETS_TRUNCATED_GO2, XML);
      pool
        .intercept({ path: '/?marker=mybucket10&max-keys=1000', method: 'GET' })
        .reply(200, LIST_BUCKETS_LAST_PAGE, XML);
      await expect(collect(client.listBuckets())).resolves.toEqual([
        'mybucket01',
        'app-base-oss',
        'mybucket',
      ]);
    });

    it('sends prefix, page size and resource group, signed for the listing region', async () => {
      service.agent
        .get('https://oss-eu-central-1.aliyuncs.com')
        .intercept({ path: '/?max-keys=10&prefix=app', method: 'GET' })
        .reply(200, LIST_BUCKETS_LAST_PAGE, XML);
      const listing = makeClient({ listBucketsRegion: 'eu-central-1' }).listBuckets({
        prefix: 'app',
        pageSize: 10,
        resourceGroupId: 'rg-aek27tc',
      });
      await collect(listing);
      const [request] = service.requests();
      expect(request!.headers['x-oss-resource-group-id']).toBe('rg-aek27tc');
      expect(verifySeenRequest(request!, { product: 'oss' })).toMatchObject({
        ok: true,
        region: 'eu-central-1',
      });
    });

    it('asks for the next page as it hands over the first, and for no page beyond it', async () => {
      const pool = service.agent.get(SERVICE_ORIGIN);
      pool.intercept({ path: '/?max-keys=1000', method: 'GET' }).reply(200, LIST_BUCKETS_TRUNCATED_GO2, XML);
      pool
        .intercept({ path: '/?marker=mybucket10&max-keys=1000', method: 'GET' })
        .reply(200, LIST_BUCKETS_TRUNCATED_GO2.replaceAll('mybucket', 'otherbucket'), XML);
      const iterator = client.listBuckets()[Symbol.asyncIterator]();
      await expect(iterator.next()).resolves.toMatchObject({ value: { name: 'mybucket01' } });
      expect(service.requests().map((request) => request.path)).toEqual([
        '/?max-keys=1000',
        '/?marker=mybucket10&max-keys=1000',
      ]);
      await iterator.return?.();
    });

    it('throws OssError carrying the service error when a page fails', async () => {
      service.agent
        .get(SERVICE_ORIGIN)
        .intercept({ path: '/?max-keys=1000', method: 'GET' })
        .reply(403, ERROR_ACCESS_DENIED_GO2);
      const failure = collect(client.listBuckets());
      await expect(failure).rejects.toBeInstanceOf(OssError);
      await expect(failure).rejects.toMatchObject({
        code: 'AccessDenied',
        info: { operation: 'ListBuckets', kind: 'service', httpStatus: 403, attempts: 1 },
      });
    });

    it('refuses a page whose NextMarker repeats the marker sent', async () => {
      const pool = service.agent.get(SERVICE_ORIGIN);
      pool.intercept({ path: '/?max-keys=1000', method: 'GET' }).reply(200, LIST_BUCKETS_TRUNCATED_GO2, XML);
      pool
        .intercept({ path: '/?marker=mybucket10&max-keys=1000', method: 'GET' })
        .reply(200, LIST_BUCKETS_TRUNCATED_GO2.replace('mybucket01', 'mybucket02'), XML)
        .times(3);
      await expect(collect(client.listBuckets())).rejects.toMatchObject({
        info: { kind: 'malformed_response', attempts: 3 },
      });
    });

    it('reads a listing page above the per-resource cap, under the listing cap', async () => {
      const bucket = LIST_BUCKETS_LAST_PAGE.slice(
        LIST_BUCKETS_LAST_PAGE.indexOf('<Bucket>'),
        LIST_BUCKETS_LAST_PAGE.indexOf('</Bucket>') + '</Bucket>'.length,
      );
      const names = Array.from({ length: 300 }, (_, index) => `bucket-${String(index).padStart(4, '0')}`);
      const page = `<ListAllMyBucketsResult><Buckets>${names
        .map((name) => bucket.replace('app-base-oss', name))
        .join('')}</Buckets></ListAllMyBucketsResult>`;
      expect(page.length).toBeGreaterThan(64 * 1024);
      service.agent
        .get(SERVICE_ORIGIN)
        .intercept({ path: '/?max-keys=1000', method: 'GET' })
        .reply(200, page, XML);
      await expect(collect(client.listBuckets())).resolves.toEqual(names);
    });

    it('refuses a listing page above the listing cap', async () => {
      client = makeClient({ maxListingResponseBytes: 1024 });
      service.agent
        .get(SERVICE_ORIGIN)
        .intercept({ path: '/?max-keys=1000', method: 'GET' })
        .reply(200, LIST_BUCKETS_LAST_PAGE.padEnd(2048, ' '), XML);
      await expect(collect(client.listBuckets())).rejects.toMatchObject({
        info: { kind: 'response_too_large' },
      });
    });

    it('refuses a page size outside 1..1000', async () => {
      await expect(collect(client.listBuckets({ pageSize: 1001 }))).rejects.toThrow(OssArgumentError);
    });
  });
});

import { MockAgent } from 'undici';

import { createAccountClients } from './account-clients';
import { StaticCredentialSource } from './credentials/credential-source';
import { NOW, TEST_CREDENTIALS } from './testing/mock-service';
import { DESCRIBE_KEY_PENDING_DELETION, kmsError } from './testing/kms-responses';
import { ERROR_META_QPS, ENCRYPTION_AES256_GO2 } from './testing/oss-responses';

describe('createAccountClients', () => {
  let agent: MockAgent;

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });

  afterEach(async () => {
    await agent.close();
  });

  function account() {
    return createAccountClients({
      credentials: new StaticCredentialSource(TEST_CREDENTIALS),
      dispatcher: agent,
      listBucketsRegion: 'cn-hangzhou',
      now: () => NOW,
      sleep: () => Promise.resolve(),
      random: () => 0.5,
    });
  }

  it('slows both products of an account when one of them is throttled', async () => {
    const clients = account();
    const pool = agent.get('https://cn-hangzhou.oss-tables.aliyuncs.com');
    pool
      .intercept({ path: /^\/buckets\//, method: 'GET' })
      .reply(429, '{"message":"Please reduce your request rate."}', {
        headers: { 'x-oss-error-type': 'TooManyRequestsException' },
      });
    pool.intercept({ path: /^\/buckets\//, method: 'GET' }).reply(200, '{"encryptionConfiguration":{}}');
    await clients.tables.getTableBucketEncryption('acs:osstables:cn-hangzhou:1234567890:bucket/demo');
    expect(clients.rateLimiter.currentRate()).toBe(5);
    expect(clients.retryBudget.available).toBe(491);
  });

  it('leaves another account at full speed while one is throttled', async () => {
    const throttled = account();
    const other = account();
    const pool = agent.get('https://my-bucket.oss-cn-hangzhou.aliyuncs.com');
    pool.intercept({ path: '/?encryption', method: 'GET' }).reply(503, ERROR_META_QPS);
    pool.intercept({ path: '/?encryption', method: 'GET' }).reply(200, ENCRYPTION_AES256_GO2);
    await throttled.oss.getBucketEncryption('my-bucket', 'cn-hangzhou');
    expect([throttled.rateLimiter.currentRate(), other.rateLimiter.currentRate()]).toEqual([5, 10]);
  });

  it('learns a clock skew once for the account: KMS corrects it, OSS signs at the server time at once', async () => {
    const clients = account();
    const skewedBy = 20 * 60_000;
    const kms = agent.get('https://kms.cn-hangzhou.aliyuncs.com');
    kms
      .intercept({ path: /^\/\?KeyId=/, method: 'POST' })
      .reply(400, kmsError('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'), {
        headers: { date: new Date(NOW + skewedBy).toUTCString() },
      });
    kms.intercept({ path: /^\/\?KeyId=/, method: 'POST' }).reply(200, DESCRIBE_KEY_PENDING_DELETION);
    let ossDate: string | undefined;
    agent
      .get('https://my-bucket.oss-cn-hangzhou.aliyuncs.com')
      .intercept({ path: '/?encryption', method: 'GET' })
      .reply(200, (options) => {
        ossDate = (options.headers as Record<string, string>)['x-oss-date'];
        return ENCRYPTION_AES256_GO2;
      });
    await clients.kms.describeKey('cn-hangzhou', 'key-hzz630494463ejqjx0001');
    await clients.oss.getBucketEncryption('my-bucket', 'cn-hangzhou');
    expect(clients.clockOffset.offsetMs).toBe(skewedBy);
    expect(ossDate).toBe('20250417T082000Z');
  });

  it('sends KMS to its own endpoint override', async () => {
    const clients = createAccountClients({
      credentials: new StaticCredentialSource(TEST_CREDENTIALS),
      dispatcher: agent,
      listBucketsRegion: 'cn-hangzhou',
      endpointOverrides: { kms: 'http://127.0.0.1:9000' },
      now: () => NOW,
      sleep: () => Promise.resolve(),
    });
    agent
      .get('http://127.0.0.1:9000')
      .intercept({ path: /^\/\?KeyId=/, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION);
    await expect(clients.kms.describeKey('cn-hangzhou', 'key-hzz630494463ejqjx0001')).resolves.toMatchObject({
      outcome: 'key',
    });
  });
});

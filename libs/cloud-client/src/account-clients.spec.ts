import { MockAgent } from 'undici';

import { createAccountClients } from './account-clients';
import { StaticCredentialSource } from './credentials/credential-source';
import { NOW, TEST_CREDENTIALS } from './testing/mock-service';
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
});

import type { Dispatcher } from 'undici';
import { request } from 'undici';

import { startEmulator, type EmulatorHandle, type FleetSpec } from '@app/oss-emulator';

import { AccountClients, AccountClientsOptions, createAccountClients } from './account-clients';
import { StaticCredentialSource } from './credentials/credential-source';
import { kmsKeyRegion } from './kms-key-id';
import { createOssDispatcher } from './transport/dispatcher';

/**
 * The KMS client against the real emulator on loopback: every key state, not found, denials,
 * AccessKey and STS, the account's shared clock offset, faults, and a key changed under it.
 */

const ACCOUNT_1 = '1000000000000001';
const ACCOUNT_2 = '2000000000000002';
const KEY_1 = { accessKeyId: 'LTAI5tKmsIntegration0001', accessKeySecret: 'kms-integration-secret-0001' };
const KEY_2 = { accessKeyId: 'LTAI5tKmsIntegration0002', accessKeySecret: 'kms-integration-secret-0002' };
const STS_1 = {
  accessKeyId: 'STS.NUKmsIntegration000000001',
  accessKeySecret: 'kms-integration-sts-secret-000000000001',
  securityToken: 'CAISKmsIntegrationToken0000000000000000001',
};
const EXPIRED_STS_1 = {
  accessKeyId: 'STS.NUKmsIntegration000000002',
  accessKeySecret: 'kms-integration-sts-secret-000000000002',
  securityToken: 'CAISKmsIntegrationToken0000000000000000002',
  expiresAt: '2001-01-01T00:00:00Z',
};

function fleet(): FleetSpec {
  return {
    accounts: [
      {
        id: ACCOUNT_1,
        accessKeys: [KEY_1],
        stsCredentials: [STS_1, EXPIRED_STS_1],
        buckets: [
          {
            name: 'kms-one',
            region: 'cn-hangzhou',
            encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: 'key-enabled-0001' },
          },
        ],
        tableBuckets: [],
        kmsKeys: [
          {
            keyId: 'key-enabled-0001',
            region: 'cn-hangzhou',
            automaticRotation: 'Enabled',
            aliases: ['alias/app'],
          },
          { keyId: 'key-disabled-0001', region: 'cn-hangzhou', keyState: 'Disabled' },
          {
            keyId: 'key-deleting-0001',
            region: 'cn-shanghai',
            keyState: 'PendingDeletion',
            deleteDate: '2030-01-01T00:00:00Z',
            deletionProtection: 'Disabled',
          },
          { keyId: 'key-byok-0001', region: 'cn-shanghai', origin: 'EXTERNAL', keyState: 'PendingImport' },
          {
            keyId: 'key-oss-cn-hangzhou-1',
            region: 'cn-hangzhou',
            creator: 'Oss',
            aliases: ['alias/acs/oss'],
          },
          { keyId: 'key-denied-0001', region: 'cn-hangzhou', deny: ['DescribeKey'] },
        ],
      },
      {
        id: ACCOUNT_2,
        accessKeys: [KEY_2],
        deny: ['DescribeKey'],
        buckets: [],
        tableBuckets: [],
        kmsKeys: [{ keyId: 'key-two-0001', region: 'cn-hangzhou' }],
      },
    ],
  };
}

let emulator: EmulatorHandle;
let dispatcher: Dispatcher;
const opened: AccountClients[] = [];

function clientsFor(overrides: Partial<AccountClientsOptions> = {}): AccountClients {
  const clients = createAccountClients({
    credentials: new StaticCredentialSource(KEY_1),
    dispatcher,
    endpointOverrides: { oss: emulator.url, kms: emulator.url },
    listBucketsRegion: 'cn-hangzhou',
    rateLimit: { initialRatePerSecond: 500, maxRatePerSecond: 500 },
    sleep: () => Promise.resolve(),
    ...overrides,
  });
  opened.push(clients);
  return clients;
}

beforeAll(() => {
  dispatcher = createOssDispatcher();
});

afterAll(async () => {
  await dispatcher.close();
});

beforeEach(async () => {
  emulator = await startEmulator({ fleet: fleet(), adminToken: 'admin' });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((clients) => clients.close()));
  await emulator.close();
});

describe('KmsClient against the emulator', () => {
  it('describes keys in every state, by id, ARN and alias, in their own region', async () => {
    const { kms } = clientsFor();
    const deletingArn = `acs:kms:cn-shanghai:${ACCOUNT_1}:key/key-deleting-0001`;
    const results = await Promise.all([
      kms.describeKey('cn-hangzhou', 'key-enabled-0001'),
      kms.describeKey('cn-hangzhou', 'key-disabled-0001'),
      kms.describeKey(kmsKeyRegion(deletingArn, 'cn-hangzhou'), deletingArn),
      kms.describeKey('cn-shanghai', 'key-byok-0001'),
      kms.describeKey('cn-hangzhou', 'alias/acs/oss'),
    ]);
    expect(
      results.map((result) => (result.outcome === 'key' ? result.metadata.keyState : result.outcome)),
    ).toEqual(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Enabled']);
    expect(results[0]).toMatchObject({
      outcome: 'key',
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) as unknown,
      metadata: {
        keyId: 'key-enabled-0001',
        arn: `acs:kms:cn-hangzhou:${ACCOUNT_1}:key/key-enabled-0001`,
        creator: ACCOUNT_1,
        origin: 'Aliyun_KMS',
        automaticRotation: 'Enabled',
        rotationInterval: '31536000s',
        deleteDate: null,
        materialExpireTime: null,
      },
    });
    expect(results[2]).toMatchObject({ metadata: { deleteDate: '2030-01-01T00:00:00Z' } });
    expect(results[3]).toMatchObject({ metadata: { origin: 'EXTERNAL' } });
    expect(results[4]).toMatchObject({ metadata: { keyId: 'key-oss-cn-hangzhou-1', creator: 'Oss' } });
  });

  it('reads missing keys and aliases as key_not_found, denials as access_denied', async () => {
    const { kms } = clientsFor();
    const other = clientsFor({ credentials: new StaticCredentialSource(KEY_2) });
    await expect(kms.describeKey('cn-hangzhou', 'key-missing-0001')).resolves.toMatchObject({
      outcome: 'key_not_found',
      code: 'Forbidden.KeyNotFound',
    });
    await expect(kms.describeKey('cn-shanghai', 'key-enabled-0001')).resolves.toMatchObject({
      outcome: 'key_not_found',
    });
    await expect(kms.describeKey('cn-hangzhou', 'alias/missing')).resolves.toMatchObject({
      outcome: 'key_not_found',
      code: 'Forbidden.AliasNotFound',
    });
    await expect(kms.describeKey('cn-hangzhou', 'key-denied-0001')).resolves.toMatchObject({
      outcome: 'access_denied',
      error: { code: 'Forbidden.NoPermission', httpStatus: 403, attempts: 1 },
    });
    await expect(other.kms.describeKey('cn-hangzhou', 'key-two-0001')).resolves.toMatchObject({
      outcome: 'access_denied',
      error: { code: 'Forbidden.RAM' },
    });
  });

  it('signs with STS credentials, and reports an expired token as an error', async () => {
    const sts = clientsFor({ credentials: new StaticCredentialSource(STS_1) });
    const expired = clientsFor({ credentials: new StaticCredentialSource(EXPIRED_STS_1) });
    await expect(sts.kms.describeKey('cn-hangzhou', 'key-enabled-0001')).resolves.toMatchObject({
      outcome: 'key',
    });
    await expect(expired.kms.describeKey('cn-hangzhou', 'key-enabled-0001')).resolves.toMatchObject({
      outcome: 'error',
      error: { code: 'InvalidSecurityToken.Expired', httpStatus: 400, kind: 'service' },
    });
  });

  it('sends a fresh nonce every call: repeated calls are all accepted', async () => {
    const { kms } = clientsFor();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => kms.describeKey('cn-hangzhou', 'key-enabled-0001')),
    );
    expect(results.every((result) => result.outcome === 'key')).toBe(true);
  });

  it('corrects a 20-minute skew from KMS once, and the account OSS client then signs at server time', async () => {
    emulator.setClockSkewMs(20 * 60_000);
    const clients = clientsFor();
    await expect(clients.kms.describeKey('cn-hangzhou', 'key-enabled-0001')).resolves.toMatchObject({
      outcome: 'key',
    });
    const before = emulator.requestCount();
    await expect(clients.oss.getBucketEncryption('kms-one', 'cn-hangzhou')).resolves.toMatchObject({
      outcome: 'rule',
    });
    expect(emulator.requestCount() - before).toBe(1);
    expect(emulator.requestCount('DescribeKey')).toBe(2);
  });

  it('retries injected throttling and internal failures to success', async () => {
    emulator.setFaults([
      { match: { operation: 'DescribeKey' }, fault: { kind: 'error', code: 'QpsLimitExceeded' }, times: 1 },
      { match: { operation: 'DescribeKey' }, fault: { kind: 'error', code: 'InternalError' }, times: 1 },
    ]);
    const clients = clientsFor();
    await expect(clients.kms.describeKey('cn-hangzhou', 'key-enabled-0001')).resolves.toMatchObject({
      outcome: 'key',
    });
    expect(emulator.requestCount('DescribeKey')).toBe(3);
    expect(clients.rateLimiter.currentRate()).toBeLessThan(500);
  });

  it('refuses a malformed answer as an error, not a key', async () => {
    emulator.setFaults([{ match: { operation: 'DescribeKey' }, fault: { kind: 'malformed' } }]);
    await expect(clientsFor().kms.describeKey('cn-hangzhou', 'key-enabled-0001')).resolves.toMatchObject({
      outcome: 'error',
      error: { kind: 'malformed_response' },
    });
  });

  it('sees a key disabled and scheduled for deletion through the admin API (drift)', async () => {
    const { kms } = clientsFor();
    await expect(kms.describeKey('cn-hangzhou', 'key-enabled-0001')).resolves.toMatchObject({
      metadata: { keyState: 'Enabled', deletionProtection: 'Disabled' },
    });
    const patched = await request(`${emulator.url}/__emulator/kms-keys/key-enabled-0001`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer admin' },
      body: JSON.stringify({
        keyState: 'PendingDeletion',
        deleteDate: '2031-01-01T00:00:00Z',
        automaticRotation: 'Disabled',
      }),
    });
    await patched.body.text();
    await expect(kms.describeKey('cn-hangzhou', 'key-enabled-0001')).resolves.toMatchObject({
      metadata: {
        keyState: 'PendingDeletion',
        deleteDate: '2031-01-01T00:00:00Z',
        automaticRotation: 'Disabled',
        rotationInterval: null,
      },
    });
  });
});

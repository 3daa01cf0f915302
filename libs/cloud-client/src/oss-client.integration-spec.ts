import type { Dispatcher } from 'undici';

import { startEmulator, type BucketSpec, type EmulatorHandle, type FleetSpec } from '@app/oss-emulator';

import { AccountClients, AccountClientsOptions, createAccountClients } from './account-clients';
import { AlibabaCloudCredentialSource } from './credentials/alibaba-cloud-credential-source';
import { StaticCredentialSource } from './credentials/credential-source';
import { OssError } from './errors';
import type { BucketEncryptionResult, TableBucketEncryptionResult } from './results';
import { createOssDispatcher } from './transport/dispatcher';

/**
 * The clients against the real emulator on loopback: every operation, V4 and V1, AccessKey and
 * STS credentials, paging, two regions, two accounts, and the fault catalogue.
 */

const ACCOUNT_1 = '1000000000000001';
const ACCOUNT_2 = '2000000000000002';
const KEY_1 = {
  accessKeyId: 'LTAI5tIntegrationKey0001',
  accessKeySecret: 'integration-secret-account-1-0001',
};
const KEY_2 = {
  accessKeyId: 'LTAI5tIntegrationKey0002',
  accessKeySecret: 'integration-secret-account-2-0002',
};
const STS_1 = {
  accessKeyId: 'STS.NUIntegration00000000001',
  accessKeySecret: 'integration-sts-secret-account-1-000000000001',
  securityToken: 'CAISIntegrationToken000000000000000000000000001',
};
const EXPIRED_STS_1 = {
  accessKeyId: 'STS.NUIntegration00000000002',
  accessKeySecret: 'integration-sts-secret-account-1-000000000002',
  securityToken: 'CAISIntegrationToken000000000000000000000000002',
  expiresAt: '2001-01-01T00:00:00Z',
};

const BUCKETS_1: readonly BucketSpec[] = [
  {
    name: 'one-kms-cmk',
    region: 'cn-hangzhou',
    encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: 'cmk-0001' },
  },
  { name: 'one-kms-default', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'KMS' } },
  { name: 'one-none', region: 'cn-hangzhou' },
  { name: 'one-denied', region: 'cn-hangzhou', deny: 'all', encryption: { sseAlgorithm: 'AES256' } },
  { name: 'one-aes', region: 'cn-shanghai', encryption: { sseAlgorithm: 'AES256' } },
  { name: 'one-sm4', region: 'cn-shanghai', encryption: { sseAlgorithm: 'SM4' } },
  {
    name: 'one-kms-sm4',
    region: 'cn-shanghai',
    encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: 'cmk-0002', kmsDataEncryption: 'SM4' },
  },
];
const BUCKETS_2: readonly BucketSpec[] = [
  { name: 'two-aes', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'AES256' } },
  { name: 'two-none', region: 'cn-shanghai' },
];

const KMS_KEY_ARN = 'acs:kms:cn-shanghai:1000000000000001:key/key-0001';

function fleet(): FleetSpec {
  return {
    accounts: [
      {
        id: ACCOUNT_1,
        accessKeys: [KEY_1],
        stsCredentials: [STS_1, EXPIRED_STS_1],
        buckets: BUCKETS_1,
        tableBuckets: [
          { name: 'tables-aes', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'AES256' } },
          { name: 'tables-none', region: 'cn-hangzhou' },
          {
            name: 'tables-kms',
            region: 'cn-shanghai',
            encryption: { sseAlgorithm: 'KMS', kmsKeyArn: KMS_KEY_ARN },
          },
          {
            name: 'tables-denied',
            region: 'cn-shanghai',
            deny: 'all',
            encryption: { sseAlgorithm: 'AES256' },
          },
        ],
      },
      {
        id: ACCOUNT_2,
        accessKeys: [KEY_2],
        buckets: BUCKETS_2,
        tableBuckets: [{ name: 'tables-two', region: 'cn-shanghai', encryption: { sseAlgorithm: 'AES256' } }],
      },
    ],
  };
}

/** Typed stand-ins for jest's asymmetric matchers (which are typed `any`). */
const matching = (fields: Record<string, unknown>): unknown => expect.objectContaining(fields) as unknown;
const anyString: unknown = expect.any(String);

const arn = (region: string, account: string, name: string) =>
  `acs:osstables:${region}:${account}:bucket/${name}`;

/** What GetBucketEncryption must say for a bucket of the fleet, read from its spec. */
function expectedEncryption(bucket: BucketSpec): Record<string, unknown> {
  if (bucket.deny !== undefined) {
    return {
      outcome: 'error',
      error: matching({ code: 'AccessDenied', kind: 'service', httpStatus: 403 }),
    };
  }
  if (bucket.encryption === undefined || bucket.encryption === null) return { outcome: 'no_rule' };
  return {
    outcome: 'rule',
    rule: {
      sseAlgorithm: bucket.encryption.sseAlgorithm,
      kmsMasterKeyId: bucket.encryption.kmsMasterKeyId ?? null,
      kmsDataEncryption: bucket.encryption.kmsDataEncryption ?? null,
    },
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function readAll(
  clients: AccountClients,
  buckets: readonly BucketSpec[],
): Promise<BucketEncryptionResult[]> {
  return Promise.all(buckets.map((bucket) => clients.oss.getBucketEncryption(bucket.name, bucket.region)));
}

/** A dispatcher that counts the response body bytes handed to the client (either handler style). */
function countingBodyBytes(inner: Dispatcher, received: { bytes: number }): Dispatcher {
  return inner.compose(
    (dispatch) => (options, handler) =>
      dispatch(
        options,
        new Proxy(handler, {
          get(target, property) {
            const value: unknown = Reflect.get(target, property);
            if (typeof value !== 'function') return value;
            if (property === 'onData' || property === 'onResponseData') {
              return (...args: unknown[]) => {
                const chunk = args[args.length - 1] as Buffer;
                received.bytes += chunk.length;
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              };
            }
            return (value as (...a: unknown[]) => unknown).bind(target);
          },
        }),
      ),
  );
}

let emulator: EmulatorHandle;
let dispatcher: Dispatcher;
const opened: AccountClients[] = [];

/** Clients of one account against the emulator; backoff sleeps are skipped (their math is unit-tested). */
function clientsFor(overrides: Partial<AccountClientsOptions> = {}): AccountClients {
  const clients = createAccountClients({
    credentials: new StaticCredentialSource(KEY_1),
    dispatcher,
    endpointOverrides: { oss: emulator.url, tables: emulator.url },
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
  emulator = await startEmulator({ fleet: fleet() });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((clients) => clients.close()));
  await emulator.close();
});

describe('OssClient against the emulator', () => {
  it('lists every bucket of each account, across pages and regions', async () => {
    const one = await collect(clientsFor().oss.listBuckets({ pageSize: 2 }));
    const two = await collect(
      clientsFor({ credentials: new StaticCredentialSource(KEY_2) }).oss.listBuckets({ pageSize: 1 }),
    );
    expect(one.map((bucket) => [bucket.name, bucket.region]).sort()).toEqual(
      BUCKETS_1.map((bucket) => [bucket.name, bucket.region]).sort(),
    );
    expect(two.map((bucket) => bucket.name).sort()).toEqual(['two-aes', 'two-none']);
    expect(emulator.requestCount('ListBuckets')).toBe(4 + 2);
    expect(one[0]).toMatchObject({ location: `oss-${one[0]!.region}`, extranetEndpoint: anyString });
  });

  it('lists only the buckets with a prefix', async () => {
    const names = (await collect(clientsFor().oss.listBuckets({ prefix: 'one-kms' }))).map(
      (bucket) => bucket.name,
    );
    expect(names.sort()).toEqual(['one-kms-cmk', 'one-kms-default', 'one-kms-sm4']);
  });

  it('reads the encryption of every bucket of both accounts in its own region, signed with V4', async () => {
    const one = await readAll(clientsFor(), BUCKETS_1);
    const two = await readAll(clientsFor({ credentials: new StaticCredentialSource(KEY_2) }), BUCKETS_2);
    expect(one).toEqual(BUCKETS_1.map((bucket) => matching(expectedEncryption(bucket))));
    expect(two).toEqual(BUCKETS_2.map((bucket) => matching(expectedEncryption(bucket))));
    expect(one.every((result) => result.outcome === 'error' || typeof result.requestId === 'string')).toBe(
      true,
    );
  });

  it('lists and reads with V1 signatures when asked', async () => {
    const clients = clientsFor({ signatureVersion: 'v1' });
    expect(await collect(clients.oss.listBuckets())).toHaveLength(BUCKETS_1.length);
    expect(await readAll(clients, BUCKETS_1)).toEqual(
      BUCKETS_1.map((bucket) => matching(expectedEncryption(bucket))),
    );
  });

  it('works with an STS token obtained through @alicloud/credentials', async () => {
    const clients = clientsFor({ credentials: new AlibabaCloudCredentialSource({ type: 'sts', ...STS_1 }) });
    expect(await collect(clients.oss.listBuckets())).toHaveLength(BUCKETS_1.length);
    await expect(clients.oss.getBucketEncryption('one-aes', 'cn-shanghai')).resolves.toMatchObject({
      outcome: 'rule',
    });
  });

  it('fails a listing made with an expired STS token with SecurityTokenExpired, without leaking it', async () => {
    const listing = collect(
      clientsFor({ credentials: new StaticCredentialSource(EXPIRED_STS_1) }).oss.listBuckets(),
    );
    const error: unknown = await listing.then(
      () => null,
      (caught: unknown) => caught,
    );
    if (!(error instanceof OssError)) throw new Error('expected the listing to fail with OssError');
    expect(error.info).toMatchObject({ code: 'SecurityTokenExpired', httpStatus: 403, attempts: 1 });
    expect(JSON.stringify(error.info)).not.toContain(EXPIRED_STS_1.securityToken);
  });

  it('returns a missing bucket as bucket_missing and another account’s bucket as AccessDenied', async () => {
    const clients = clientsFor();
    await expect(clients.oss.getBucketEncryption('no-such-bucket', 'cn-hangzhou')).resolves.toMatchObject({
      outcome: 'bucket_missing',
      requestId: anyString,
    });
    await expect(clients.oss.getBucketEncryption('two-aes', 'cn-hangzhou')).resolves.toMatchObject({
      outcome: 'error',
      error: { code: 'AccessDenied', kind: 'service' },
    });
  });
});

describe('OssTablesClient against the emulator', () => {
  it('lists the table buckets of each region, across pages', async () => {
    const tables = clientsFor().tables;
    const hangzhou = await collect(tables.listTableBuckets('cn-hangzhou', { pageSize: 1 }));
    const shanghai = await collect(tables.listTableBuckets('cn-shanghai', { pageSize: 1 }));
    expect(hangzhou.map((bucket) => bucket.arn).sort()).toEqual([
      arn('cn-hangzhou', ACCOUNT_1, 'tables-aes'),
      arn('cn-hangzhou', ACCOUNT_1, 'tables-none'),
    ]);
    expect(shanghai.map((bucket) => bucket.name).sort()).toEqual(['tables-denied', 'tables-kms']);
    expect(shanghai[0]).toMatchObject({ ownerAccountId: ACCOUNT_1, region: 'cn-shanghai', type: 'customer' });
  });

  it('reads each table bucket’s encryption, a denial as a typed error', async () => {
    const tables = clientsFor().tables;
    const read = (region: string, name: string) =>
      tables.getTableBucketEncryption(arn(region, ACCOUNT_1, name));
    await expect(read('cn-hangzhou', 'tables-aes')).resolves.toMatchObject({
      outcome: 'configuration',
      configuration: { sseAlgorithm: 'AES256', kmsKeyArn: null },
    });
    await expect(read('cn-shanghai', 'tables-kms')).resolves.toMatchObject({
      outcome: 'configuration',
      configuration: { sseAlgorithm: 'KMS', kmsKeyArn: KMS_KEY_ARN },
    });
    await expect(read('cn-hangzhou', 'tables-none')).resolves.toMatchObject({ outcome: 'no_configuration' });
    await expect(read('cn-shanghai', 'tables-denied')).resolves.toMatchObject({
      outcome: 'error',
      error: { kind: 'service', httpStatus: 403, code: 'ForbiddenException' },
    });
  });

  it('reads the 404 form of "no encryption" as no_configuration', async () => {
    await emulator.close();
    emulator = await startEmulator({ fleet: fleet(), tableBucketWithoutEncryption: 'not-found' });
    const result = await clientsFor().tables.getTableBucketEncryption(
      arn('cn-hangzhou', ACCOUNT_1, 'tables-none'),
    );
    expect(result).toMatchObject({ outcome: 'no_configuration', requestId: anyString });
  });

  it('returns a missing table bucket as bucket_missing', async () => {
    const result = await clientsFor().tables.getTableBucketEncryption(
      arn('cn-hangzhou', ACCOUNT_1, 'tables-gone'),
    );
    expect(result).toMatchObject({ outcome: 'bucket_missing' });
  });

  it('works for the second account with its own keys', async () => {
    const tables = clientsFor({ credentials: new StaticCredentialSource(KEY_2) }).tables;
    const listed = await collect(tables.listTableBuckets('cn-shanghai'));
    expect(listed.map((bucket) => bucket.arn)).toEqual([arn('cn-shanghai', ACCOUNT_2, 'tables-two')]);
    await expect(tables.getTableBucketEncryption(listed[0]!.arn)).resolves.toMatchObject({
      outcome: 'configuration',
    });
  });
});

describe('faults', () => {
  const healthy = BUCKETS_1.filter((bucket) => bucket.deny === undefined);

  const THROTTLE = { kind: 'error', code: 'MetaOperationQpsLimitExceeded' } as const;

  /** Reads account 1's healthy buckets and two table buckets one at a time, so the emulator's seeded dice fall the same way on every run. */
  async function readSequentially(clients: AccountClients) {
    const buckets: BucketEncryptionResult[] = [];
    for (const bucket of healthy)
      buckets.push(await clients.oss.getBucketEncryption(bucket.name, bucket.region));
    const tables: TableBucketEncryptionResult[] = [];
    for (const name of ['tables-aes', 'tables-none']) {
      tables.push(await clients.tables.getTableBucketEncryption(arn('cn-hangzhou', ACCOUNT_1, name)));
    }
    return { buckets, tables };
  }

  it('rides out a 50% throttling storm on one account within its retry budget, the other at full rate', async () => {
    // At most 4 throttles per resource: the worst a 5-attempt policy must always survive.
    const names = [...healthy.map((bucket) => bucket.name), 'tables-aes', 'tables-none'];
    emulator.setFaults(
      names.map((bucket) => ({ match: { bucket }, fault: THROTTLE, probability: 0.5, times: 4 })),
    );
    const stormed = clientsFor();
    const calm = clientsFor({ credentials: new StaticCredentialSource(KEY_2) });
    const { buckets, tables } = await readSequentially(stormed);
    await readAll(calm, BUCKETS_2);
    expect(buckets).toEqual(healthy.map((bucket) => matching(expectedEncryption(bucket))));
    expect(tables.map((result) => result.outcome)).toEqual(['configuration', 'no_configuration']);
    const throttles = emulator.requestCount() - names.length - BUCKETS_2.length;
    expect(throttles).toBeGreaterThan(0);
    // 10 tokens per throttled retry, up to 1 back per success (never above the 500 capacity).
    expect(stormed.retryBudget.available).toBeGreaterThanOrEqual(500 - 10 * throttles);
    expect(stormed.retryBudget.available).toBeLessThanOrEqual(500 - 10 * throttles + names.length);
    expect(stormed.rateLimiter.currentRate()).toBeLessThan(500);
    expect(calm.rateLimiter.currentRate()).toBe(500);
  });

  it('under an endless 50% storm, ends every resource in its true result or a typed throttling error', async () => {
    emulator.setFaults([{ match: { accountId: ACCOUNT_1 }, fault: THROTTLE, probability: 0.5 }]);
    const stormed = clientsFor();
    const { buckets, tables } = await readSequentially(stormed);
    buckets.forEach((result, index) => {
      const truth = matching(expectedEncryption(healthy[index]!));
      const throttled = matching({
        outcome: 'error',
        error: matching({ attempts: 5 }),
      });
      expect([truth, throttled]).toContainEqual(result);
    });
    for (const result of tables) {
      if (result.outcome === 'error')
        expect(result.error).toMatchObject({ code: 'ServiceUnavailableException', attempts: 5 });
    }
    expect(emulator.requestCount()).toBeLessThanOrEqual((healthy.length + 2) * 5);
  });

  it('recovers from connection resets', async () => {
    emulator.setFaults([{ match: { operation: 'GetBucketEncryption' }, fault: { kind: 'reset' }, times: 2 }]);
    const result = await clientsFor().oss.getBucketEncryption('one-aes', 'cn-shanghai');
    expect(result).toMatchObject({ outcome: 'rule', rule: { sseAlgorithm: 'AES256' } });
    expect(emulator.requestCount('GetBucketEncryption')).toBe(3);
  });

  it('cuts a hung answer at the attempt deadline and succeeds on the retry', async () => {
    emulator.setFaults([{ match: { bucket: 'one-aes' }, fault: { kind: 'hang' }, times: 1 }]);
    const result = await clientsFor({ attemptTimeoutMs: 1_000 }).oss.getBucketEncryption(
      'one-aes',
      'cn-shanghai',
    );
    expect(result).toMatchObject({ outcome: 'rule' });
    expect(emulator.requestCount('GetBucketEncryption')).toBe(2);
  });

  it('returns a bucket that always hangs as a timeout error after 3 attempts', async () => {
    emulator.setFaults([{ match: { bucket: 'one-aes' }, fault: { kind: 'hang' } }]);
    const result = await clientsFor({ attemptTimeoutMs: 200 }).oss.getBucketEncryption(
      'one-aes',
      'cn-shanghai',
    );
    expect(result).toMatchObject({
      outcome: 'error',
      error: { kind: 'timeout', code: 'AttemptTimeout', attempts: 3 },
    });
  });

  it('corrects a 20-minute server clock skew with one extra request', async () => {
    emulator.setClockSkewMs(20 * 60_000);
    const clients = clientsFor();
    await expect(clients.oss.getBucketEncryption('one-aes', 'cn-shanghai')).resolves.toMatchObject({
      outcome: 'rule',
    });
    await expect(clients.oss.getBucketEncryption('one-sm4', 'cn-shanghai')).resolves.toMatchObject({
      outcome: 'rule',
    });
    expect(emulator.requestCount('GetBucketEncryption')).toBe(3);
  });

  it('corrects a 20-minute skew on OSS Tables too, where it is a ForbiddenException told by its EC', async () => {
    emulator.setClockSkewMs(20 * 60_000);
    const result = await clientsFor().tables.getTableBucketEncryption(
      arn('cn-hangzhou', ACCOUNT_1, 'tables-aes'),
    );
    expect(result).toMatchObject({ outcome: 'configuration' });
    expect(emulator.requestCount('GetTableBucketEncryption')).toBe(2);
  });

  it('signs Tables right the first time once OSS has taught the account the server clock', async () => {
    emulator.setClockSkewMs(-20 * 60_000);
    const clients = clientsFor();
    await expect(clients.oss.getBucketEncryption('one-aes', 'cn-shanghai')).resolves.toMatchObject({
      outcome: 'rule',
    });
    await expect(
      clients.tables.getTableBucketEncryption(arn('cn-hangzhou', ACCOUNT_1, 'tables-aes')),
    ).resolves.toMatchObject({ outcome: 'configuration' });
    expect([
      emulator.requestCount('GetBucketEncryption'),
      emulator.requestCount('GetTableBucketEncryption'),
    ]).toEqual([2, 1]);
  });

  it('retries a listing page whose body came back cut, and lists every bucket', async () => {
    emulator.setFaults([{ match: { operation: 'ListBuckets' }, fault: { kind: 'malformed' }, times: 1 }]);
    const listed = await collect(clientsFor().oss.listBuckets({ pageSize: 2 }));
    const again = await collect(clientsFor().oss.listBuckets({ pageSize: 2 }));
    expect(listed.map((bucket) => bucket.name)).toEqual(again.map((bucket) => bucket.name));
    expect(listed.length).toBeGreaterThan(2);
  });

  it('fails the listing, never shortens it, when every attempt at a page comes back cut', async () => {
    emulator.setFaults([{ match: { operation: 'ListBuckets' }, fault: { kind: 'malformed' } }]);
    await expect(collect(clientsFor().oss.listBuckets({ pageSize: 2 }))).rejects.toMatchObject({
      info: { kind: 'malformed_response', attempts: 3, operation: 'ListBuckets' },
    });
  });

  it.each([
    ['an entity-expansion (billion laughs) body', 'malformed_response', { kind: 'billionLaughs' }],
    ['a 50-deep body', 'malformed_response', { kind: 'deepNesting', depth: 50 }],
    ['a truncated body', 'malformed_response', { kind: 'malformed' }],
  ] as const)('returns %s as a per-resource %s error after the retries', async (_label, kind, fault) => {
    emulator.setFaults([{ match: { bucket: 'one-aes', operation: 'GetBucketEncryption' }, fault }]);
    const clients = clientsFor();
    const [hostile, neighbour] = await Promise.all([
      clients.oss.getBucketEncryption('one-aes', 'cn-shanghai'),
      clients.oss.getBucketEncryption('one-sm4', 'cn-shanghai'),
    ]);
    expect(hostile).toMatchObject({
      outcome: 'error',
      error: { kind, attempts: 3, operation: 'GetBucketEncryption' },
    });
    expect(neighbour).toMatchObject({ outcome: 'rule' });
  });

  it('refuses a 10 MB body at the 64 KiB cap, having read well under 1 MB of it', async () => {
    emulator.setFaults([
      { match: { bucket: 'one-aes' }, fault: { kind: 'oversized', bytes: 10 * 1024 * 1024 } },
    ]);
    const received = { bytes: 0 };
    const result = await clientsFor({
      dispatcher: countingBodyBytes(dispatcher, received),
    }).oss.getBucketEncryption('one-aes', 'cn-shanghai');
    expect(result).toMatchObject({ outcome: 'error', error: { kind: 'response_too_large', attempts: 1 } });
    expect(received.bytes).toBeLessThan(1024 * 1024);
  });

  it('returns hostile Tables answers as per-resource errors', async () => {
    emulator.setFaults([{ match: { bucket: 'tables-aes' }, fault: { kind: 'deepNesting', depth: 50 } }]);
    const result = await clientsFor().tables.getTableBucketEncryption(
      arn('cn-hangzhou', ACCOUNT_1, 'tables-aes'),
    );
    expect(result).toMatchObject({ outcome: 'error', error: { kind: 'malformed_response' } });
  });
});

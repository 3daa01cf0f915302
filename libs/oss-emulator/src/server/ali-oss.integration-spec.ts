import { startEmulator, type EmulatorHandle } from '../server/emulator';
import { AliOssCallError, AliOssProcess } from '@app/testing';
import type { DriverError } from '@app/testing';
import {
  ACCOUNT_A_BUCKETS,
  EXPIRED_STS_A,
  KEY_A,
  KEY_B,
  KEY_C,
  STS_A,
  testFleet,
} from '../testing/test-fleet';

/**
 * The official npm `ali-oss` client (6.23.0) against the emulator, configured as docs/wire/oss.md §4.1
 * recommends for a local endpoint. It signs with the real clock, so this emulator keeps it too.
 */

interface AliOssListResult {
  buckets: { name: string; region: string }[] | null;
  isTruncated: boolean;
  nextMarker: string | null;
}

/** The ali-oss calls used here, as their results come back from the child process. */
interface AliOssClient {
  listBuckets(query: Record<string, string | number>): Promise<AliOssListResult>;
  getBucketEncryption(bucket: string): Promise<{ encryption: Record<string, string>; status: number }>;
  putBucketEncryption(bucket: string, rule: Record<string, string>): Promise<{ status: number }>;
  deleteBucketEncryption(bucket: string): Promise<{ status: number }>;
}

interface ClientOptions {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly stsToken?: string;
  readonly authorizationV4: boolean;
  readonly region?: string;
}

let emulator: EmulatorHandle;
let aliOss: AliOssProcess;

function client(options: ClientOptions): AliOssClient {
  const config = {
    region: 'oss-cn-hangzhou',
    endpoint: emulator.url,
    sldEnable: true,
    timeout: 10_000,
    ...options,
  };
  return {
    listBuckets: async (query) =>
      (await aliOss.call(config, 'listBuckets', query, {})) as unknown as AliOssListResult,
    getBucketEncryption: async (bucket) =>
      (await aliOss.call(config, 'getBucketEncryption', bucket)) as {
        encryption: Record<string, string>;
        status: number;
      },
    putBucketEncryption: async (bucket, rule) =>
      (await aliOss.call(config, 'putBucketEncryption', bucket, rule)) as { status: number },
    deleteBucketEncryption: async (bucket) =>
      (await aliOss.call(config, 'deleteBucketEncryption', bucket)) as { status: number },
  };
}

async function failure(promise: Promise<unknown>): Promise<DriverError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AliOssCallError) return error.details;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function listAll(oss: AliOssClient, pageSize: number): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let marker: string | null = null;
  let pages = 0;
  do {
    const query: Record<string, string | number> = { 'max-keys': pageSize };
    if (marker !== null) query.marker = marker;
    const page = await oss.listBuckets(query);
    pages += 1;
    names.push(...(page.buckets ?? []).map((bucket) => bucket.name));
    marker = page.isTruncated ? page.nextMarker : null;
  } while (marker !== null);
  return { names, pages };
}

beforeAll(async () => {
  aliOss = new AliOssProcess();
  emulator = await startEmulator({ fleet: testFleet() });
});

afterAll(async () => {
  await aliOss.stop();
  await emulator.close();
});

afterEach(() => {
  emulator.setClockSkewMs(0);
});

describe.each([
  ['V1', false],
  ['V4', true],
])('ali-oss with signature %s', (_version, authorizationV4) => {
  describe.each([
    ['an AccessKey', { accessKeyId: KEY_A.accessKeyId, accessKeySecret: KEY_A.accessKeySecret }],
    [
      'an STS token',
      {
        accessKeyId: STS_A.accessKeyId,
        accessKeySecret: STS_A.accessKeySecret,
        stsToken: STS_A.securityToken,
      },
    ],
  ])('and %s', (_credential, credentials) => {
    it('lists every region of the account across pages, following nextMarker', async () => {
      const { names, pages } = await listAll(client({ ...credentials, authorizationV4 }), 2);
      expect(names).toEqual(ACCOUNT_A_BUCKETS);
      expect(pages).toBe(5);
    });

    it('reads a KMS rule with its key id', async () => {
      const result = await client({ ...credentials, authorizationV4 }).getBucketEncryption('a-kms-cmk');
      expect(result.encryption).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'cmk-0001' });
    });

    it('writes, reads back and deletes a rule', async () => {
      const oss = client({ ...credentials, authorizationV4 });
      expect(
        (await oss.putBucketEncryption('a-none', { SSEAlgorithm: 'KMS', KMSMasterKeyID: 'cmk-new' })).status,
      ).toBe(200);
      expect((await oss.getBucketEncryption('a-none')).encryption).toEqual({
        SSEAlgorithm: 'KMS',
        KMSMasterKeyID: 'cmk-new',
      });
      expect(emulator.state.buckets.get('a-none')?.encryption).toEqual({
        sseAlgorithm: 'KMS',
        kmsMasterKeyId: 'cmk-new',
      });
      expect((await oss.deleteBucketEncryption('a-none')).status).toBe(204);
      expect(await failure(oss.getBucketEncryption('a-none'))).toMatchObject({
        code: 'NoSuchServerSideEncryptionRule',
        status: 404,
        ecCode: '0005-00000004',
      });
    });
  });

  it('rejects a wrong secret with SignatureDoesNotMatch', async () => {
    const oss = client({
      accessKeyId: KEY_A.accessKeyId,
      accessKeySecret: 'not-the-secret',
      authorizationV4,
    });
    expect(await failure(oss.getBucketEncryption('a-aes'))).toMatchObject({
      code: 'SignatureDoesNotMatch',
      status: 403,
      ecCode: '0002-00000040',
    });
  });

  it('rejects a request 20 minutes off the server clock with RequestTimeTooSkewed', async () => {
    emulator.setClockSkewMs(20 * 60 * 1000);
    const oss = client({ ...KEY_A, authorizationV4 });
    expect(await failure(oss.getBucketEncryption('a-aes'))).toMatchObject({
      code: 'RequestTimeTooSkewed',
      status: 403,
      ecCode: '0002-00000504',
    });
  });

  it('rejects an expired STS token', async () => {
    const oss = client({
      accessKeyId: EXPIRED_STS_A.accessKeyId,
      accessKeySecret: EXPIRED_STS_A.accessKeySecret,
      stsToken: EXPIRED_STS_A.securityToken,
      authorizationV4,
    });
    expect(await failure(oss.getBucketEncryption('a-aes'))).toMatchObject({
      code: 'SecurityTokenExpired',
      status: 403,
      ecCode: '0002-00000007',
    });
  });

  it('rejects an STS key sent without its token as InvalidAccessKeyId', async () => {
    const oss = client({
      accessKeyId: STS_A.accessKeyId,
      accessKeySecret: STS_A.accessKeySecret,
      authorizationV4,
    });
    expect(await failure(oss.getBucketEncryption('a-aes'))).toMatchObject({
      code: 'InvalidAccessKeyId',
      status: 403,
      ecCode: '0002-00000003',
    });
  });

  it('answers NoSuchBucket for an unknown bucket', async () => {
    expect(
      await failure(client({ ...KEY_A, authorizationV4 }).getBucketEncryption('no-such-bucket')),
    ).toMatchObject({
      code: 'NoSuchBucket',
      status: 404,
      ecCode: '0015-00000101',
    });
  });

  it("denies another account's bucket", async () => {
    expect(await failure(client({ ...KEY_B, authorizationV4 }).getBucketEncryption('a-aes'))).toMatchObject({
      code: 'AccessDenied',
      status: 403,
    });
  });

  it('denies a bucket whose policy forbids the caller', async () => {
    expect(
      await failure(client({ ...KEY_A, authorizationV4 }).getBucketEncryption('a-denied')),
    ).toMatchObject({
      code: 'AccessDenied',
      status: 403,
    });
  });

  it('denies ListBuckets to an account whose policy forbids it', async () => {
    expect(await failure(client({ ...KEY_C, authorizationV4 }).listBuckets({}))).toMatchObject({
      code: 'AccessDenied',
      status: 403,
    });
  });

  it('sends a bucket of another region to its own endpoint', async () => {
    expect(await failure(client({ ...KEY_A, authorizationV4 }).getBucketEncryption('a-sh-1'))).toMatchObject({
      code: 'AccessDenied',
      status: 403,
    });
    const shanghai = client({ ...KEY_A, authorizationV4, region: 'oss-cn-shanghai' });
    expect((await shanghai.getBucketEncryption('a-sh-1')).encryption).toEqual({ SSEAlgorithm: 'AES256' });
  });

  it('refuses max-keys outside 1..1000 with InvalidArgument', async () => {
    expect(
      await failure(client({ ...KEY_A, authorizationV4 }).listBuckets({ 'max-keys': 1001 })),
    ).toMatchObject({
      code: 'InvalidArgument',
      status: 400,
    });
  });

  it('refuses a key id with a non-KMS algorithm', async () => {
    const oss = client({ ...KEY_A, authorizationV4 });
    expect(
      await failure(oss.putBucketEncryption('a-aes', { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'k' })),
    ).toMatchObject({ code: 'InvalidArgument', status: 400 });
  });
});

it('counts requests per operation and in total', async () => {
  const listsBefore = emulator.requestCount('ListBuckets');
  const totalBefore = emulator.requestCount();
  const oss = client({ ...KEY_A, authorizationV4: true });
  await oss.listBuckets({});
  await oss.getBucketEncryption('a-aes');
  expect(emulator.requestCount('ListBuckets')).toBe(listsBefore + 1);
  expect(emulator.requestCount()).toBe(totalBefore + 2);
});

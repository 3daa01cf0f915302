import { tablesRequestPath, tablesSigningTarget } from '@app/signing';

import { startEmulator, type EmulatorHandle } from './emulator';
import { sendSigned, type CallResult, type SignedCall } from '../testing/signed-client';
import { ACCOUNT_A, ACCOUNT_B, KEY_A, KEY_B, KEY_C, testFleet } from '../testing/test-fleet';

/** OSS Tables through our own signer (product `osstables`) and undici, on a pinned server clock. */

const NOW = Date.UTC(2025, 3, 17, 10, 0, 0);
const HANGZHOU = 'cn-hangzhou.oss-tables.aliyuncs.com';

let emulator: EmulatorHandle;

beforeEach(async () => {
  emulator = await startEmulator({ fleet: testFleet(), now: () => NOW });
});

afterEach(async () => {
  await emulator.close();
});

function arnOf(name: string, accountId = ACCOUNT_A, region = 'cn-hangzhou'): string {
  return `acs:osstables:${region}:${accountId}:bucket/${name}`;
}

function encryptionCall(arn: string, overrides: Partial<SignedCall> = {}): SignedCall {
  return {
    method: 'GET',
    host: HANGZHOU,
    path: tablesRequestPath(arn, 'encryption'),
    target: tablesSigningTarget(arn, 'encryption'),
    credentials: KEY_A,
    signingTime: new Date(NOW),
    region: 'cn-hangzhou',
    headers: { 'content-type': 'application/json' },
    ...overrides,
  };
}

function listCall(query: SignedCall['query'], overrides: Partial<SignedCall> = {}): SignedCall {
  return {
    method: 'GET',
    host: HANGZHOU,
    path: tablesRequestPath(undefined, ''),
    query,
    target: tablesSigningTarget(undefined, ''),
    credentials: KEY_A,
    signingTime: new Date(NOW),
    region: 'cn-hangzhou',
    ...overrides,
  };
}

function json(result: CallResult): unknown {
  return JSON.parse(result.body);
}

describe('ListTableBuckets', () => {
  it("lists the caller's table buckets of the endpoint region across pages", async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const query: [string, string][] = [['maxBuckets', '2']];
      if (token !== undefined) query.push(['continuationToken', token]);
      const response = await sendSigned(emulator.url, listCall(query));
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      const page = json(response) as { continuationToken?: string; tableBuckets: { name: string }[] };
      names.push(...page.tableBuckets.map((tableBucket) => tableBucket.name));
      token = page.continuationToken;
      pages += 1;
    } while (token !== undefined);
    expect(names).toEqual(['tb-aes', 'tb-denied', 'tb-extra', 'tb-kms', 'tb-none']);
    expect(pages).toBe(3);
  });

  it('returns the fixture fields of each table bucket, and no token on the last page', async () => {
    const response = await sendSigned(emulator.url, listCall([['prefix', 'tb-k']]));
    expect(json(response)).toEqual({
      tableBuckets: [
        {
          arn: arnOf('tb-kms'),
          createdAt: '2025-01-01T00:00:00.000000+00:00',
          name: 'tb-kms',
          ownerAccountId: ACCOUNT_A,
          tableBucketId: expect.stringMatching(
            /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
          ) as unknown,
          type: 'customer',
        },
      ],
    });
  });

  it('lists the region of a path-style request from the V4 scope', async () => {
    const response = await sendSigned(
      emulator.url,
      listCall([], { host: '127.0.0.1', region: 'cn-beijing' }),
    );
    expect(
      (json(response) as { tableBuckets: { name: string }[] }).tableBuckets.map((tb) => tb.name),
    ).toEqual(['tb-bj']);
  });

  it('refuses maxBuckets outside 1..1000 with BadRequestException', async () => {
    const response = await sendSigned(emulator.url, listCall([['maxBuckets', '0']]));
    expect(response.status).toBe(400);
    expect(response.headers['x-oss-error-type']).toBe('BadRequestException');
    expect(json(response)).toEqual({ message: 'maxBuckets must be an integer between 1 and 1000.' });
  });

  it('refuses a forged continuation token', async () => {
    const response = await sendSigned(emulator.url, listCall([['continuationToken', 'Zm9yZ2Vk']]));
    expect(response.status).toBe(400);
    expect(response.headers['x-oss-error-type']).toBe('BadRequestException');
  });

  it('denies an account whose policy forbids listing', async () => {
    const response = await sendSigned(emulator.url, listCall([], { credentials: KEY_C }));
    expect(response.status).toBe(403);
    expect(response.headers['x-oss-error-type']).toBe('ForbiddenException');
  });
});

describe('GetTableBucketEncryption', () => {
  it('answers AES256 with an empty kmsKeyArn', async () => {
    const response = await sendSigned(emulator.url, encryptionCall(arnOf('tb-aes')));
    expect(response.status).toBe(200);
    expect(response.body).toBe('{"encryptionConfiguration":{"kmsKeyArn":"","sseAlgorithm":"AES256"}}');
    expect(response.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
  });

  it('answers KMS with its key ARN', async () => {
    const response = await sendSigned(emulator.url, encryptionCall(arnOf('tb-kms')));
    expect(json(response)).toEqual({
      encryptionConfiguration: {
        kmsKeyArn: `acs:kms:cn-hangzhou:${ACCOUNT_A}:key/key-0001`,
        sseAlgorithm: 'KMS',
      },
    });
  });

  it('answers an empty configuration when none is set (default mode)', async () => {
    const response = await sendSigned(emulator.url, encryptionCall(arnOf('tb-none')));
    expect(response.status).toBe(200);
    expect(json(response)).toEqual({ encryptionConfiguration: {} });
  });

  it('answers 404 NotFoundException when none is set in not-found mode', async () => {
    const notFound = await startEmulator({
      fleet: testFleet(),
      now: () => NOW,
      tableBucketWithoutEncryption: 'not-found',
    });
    try {
      const response = await sendSigned(notFound.url, encryptionCall(arnOf('tb-none')));
      expect(response.status).toBe(404);
      expect(response.headers['x-oss-error-type']).toBe('NotFoundException');
      expect(json(response)).toEqual({ message: 'The specified encryption configuration does not exist.' });
    } finally {
      await notFound.close();
    }
  });

  it('serves the virtual-hosted table bucket host', async () => {
    const response = await sendSigned(
      emulator.url,
      encryptionCall(arnOf('tb-aes'), { host: `tb-aes-${ACCOUNT_A}.cn-hangzhou.oss-tables.aliyuncs.com` }),
    );
    expect(response.status).toBe(200);
  });

  it('serves the path-style form SDKs send to an IP endpoint (raw ARN prefix)', async () => {
    const arn = arnOf('tb-aes');
    const response = await sendSigned(
      emulator.url,
      encryptionCall(arn, { host: '127.0.0.1', path: `/${arn}${tablesRequestPath(arn, 'encryption')}` }),
    );
    expect(response.status).toBe(200);
  });
});

describe('Put and DeleteTableBucketEncryption', () => {
  it('writes a KMS configuration, reads it back, deletes it (204) and reads it empty', async () => {
    const arn = arnOf('tb-none');
    const configuration = { kmsKeyArn: `acs:kms:cn-hangzhou:${ACCOUNT_A}:key/key-0009`, sseAlgorithm: 'KMS' };
    const put = await sendSigned(
      emulator.url,
      encryptionCall(arn, {
        method: 'PUT',
        body: JSON.stringify({ encryptionConfiguration: configuration }),
      }),
    );
    expect(put.status).toBe(200);
    expect(json(await sendSigned(emulator.url, encryptionCall(arn)))).toEqual({
      encryptionConfiguration: configuration,
    });
    const deleted = await sendSigned(emulator.url, encryptionCall(arn, { method: 'DELETE' }));
    expect(deleted.status).toBe(204);
    expect(json(await sendSigned(emulator.url, encryptionCall(arn)))).toEqual({
      encryptionConfiguration: {},
    });
  });

  it('refuses an invalid configuration with BadRequestException', async () => {
    const response = await sendSigned(
      emulator.url,
      encryptionCall(arnOf('tb-none'), {
        method: 'PUT',
        body: '{"encryptionConfiguration":{"sseAlgorithm":"KMS"}}',
      }),
    );
    expect(response.status).toBe(400);
    expect(response.headers['x-oss-error-type']).toBe('BadRequestException');
    expect(emulator.state.tableBuckets.get(arnOf('tb-none'))?.encryption).toBeNull();
  });
});

describe('errors in the JSON form', () => {
  it('answers an unknown table bucket with 404 NotFoundException and the EC header', async () => {
    const response = await sendSigned(emulator.url, encryptionCall(arnOf('tb-missing')));
    expect(response.status).toBe(404);
    expect(response.headers).toMatchObject({
      'content-type': 'application/json',
      'x-oss-error-type': 'NotFoundException',
      'x-oss-ec': '0015-00000101',
    });
    expect(json(response)).toEqual({ message: 'The specified bucket does not exist.' });
  });

  it("denies another account's table bucket", async () => {
    const response = await sendSigned(emulator.url, encryptionCall(arnOf('tb-b', ACCOUNT_B)));
    expect(response.status).toBe(403);
    expect(response.headers['x-oss-error-type']).toBe('ForbiddenException');
    const own = await sendSigned(
      emulator.url,
      encryptionCall(arnOf('tb-b', ACCOUNT_B), { credentials: KEY_B }),
    );
    expect(own.status).toBe(200);
  });

  it('denies a table bucket whose policy forbids the caller', async () => {
    const response = await sendSigned(emulator.url, encryptionCall(arnOf('tb-denied')));
    expect(response.status).toBe(403);
    expect(response.headers['x-oss-error-type']).toBe('ForbiddenException');
  });

  it('rejects a bad signature as ForbiddenException with the service message', async () => {
    const response = await sendSigned(emulator.url, encryptionCall(arnOf('tb-aes')), (headers) => ({
      ...headers,
      authorization: (headers.authorization ?? '').replace(/Signature=(.)/, (_match, first: string) =>
        first === '0' ? 'Signature=1' : 'Signature=0',
      ),
    }));
    expect(response.status).toBe(403);
    expect(response.headers).toMatchObject({
      'x-oss-error-type': 'ForbiddenException',
      'x-oss-ec': '0002-00000040',
    });
    expect(json(response)).toEqual({
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    });
  });

  it('rejects a request signed for product oss', async () => {
    const arn = arnOf('tb-aes');
    const response = await sendSigned(emulator.url, {
      ...encryptionCall(arn),
      target: { product: 'oss', bucket: 'tb-aes' },
    });
    expect(response.status).toBe(400);
    expect(response.headers['x-oss-error-type']).toBe('BadRequestException');
  });

  it('sends a table bucket of another region to its own endpoint', async () => {
    const response = await sendSigned(emulator.url, encryptionCall(arnOf('tb-bj', ACCOUNT_A, 'cn-beijing')));
    expect(response.status).toBe(403);
    expect(json(response)).toMatchObject({
      message: expect.stringContaining('specified endpoint') as unknown,
    });
  });

  it('refuses a malformed ARN with BadRequestException', async () => {
    const response = await sendSigned(emulator.url, {
      ...encryptionCall('x'),
      path: '/buckets/not-an-arn/encryption',
      target: { product: 'osstables', path: 'buckets/not-an-arn/encryption' },
    });
    expect(response.status).toBe(400);
    expect(response.headers['x-oss-error-type']).toBe('BadRequestException');
  });
});

import { tablesRequestPath, tablesSigningTarget } from '@app/signing';
import { XMLParser } from 'fast-xml-parser';
import { request } from 'undici';

import type { FaultRule } from '../faults/fault.types';
import { isWellFormedXml } from '../protocol/oss-xml';
import { sendSigned, type SignedCall } from '../testing/signed-client';
import { ACCOUNT_A, ACCOUNT_B, KEY_A, KEY_B, testFleet } from '../testing/test-fleet';
import { startEmulator, type EmulatorHandle } from './emulator';

/** Each fault kind, as a client on the wire sees it. */

const NOW = Date.UTC(2025, 3, 17, 10, 0, 0);
const parser = new XMLParser({ parseTagValue: false, ignoreDeclaration: true, processEntities: false });
const TABLE_ARN = `acs:osstables:cn-hangzhou:${ACCOUNT_A}:bucket/tb-aes`;

let emulator: EmulatorHandle;

beforeEach(async () => {
  emulator = await startEmulator({ fleet: testFleet(), now: () => NOW });
});

afterEach(async () => {
  await emulator.close();
});

function ossCall(bucket = 'a-aes', overrides: Partial<SignedCall> = {}): SignedCall {
  return {
    method: 'GET',
    host: `${bucket}.oss-cn-hangzhou.aliyuncs.com`,
    path: '/',
    query: [['encryption', '']],
    target: { product: 'oss', bucket },
    credentials: KEY_A,
    signingTime: new Date(NOW),
    region: 'cn-hangzhou',
    ...overrides,
  };
}

function tablesCall(overrides: Partial<SignedCall> = {}): SignedCall {
  return {
    method: 'GET',
    host: 'cn-hangzhou.oss-tables.aliyuncs.com',
    path: tablesRequestPath(TABLE_ARN, 'encryption'),
    target: tablesSigningTarget(TABLE_ARN, 'encryption'),
    credentials: KEY_A,
    signingTime: new Date(NOW),
    region: 'cn-hangzhou',
    ...overrides,
  };
}

function fault(fault: FaultRule['fault'], match: FaultRule['match'] = {}): FaultRule {
  return { match, fault };
}

function errorCode(body: string): string | undefined {
  return (parser.parse(body) as { Error?: { Code?: string } }).Error?.Code;
}

describe('error faults', () => {
  it.each([
    ['InternalError', 500],
    ['ServiceUnavailable', 503],
    ['MetaOperationQpsLimitExceeded', 503],
    ['QpsLimitExceeded', 429],
  ] as const)('answers OSS %s with status %d in the XML form', async (code, status) => {
    emulator.setFaults([fault({ kind: 'error', code })]);
    const response = await sendSigned(emulator.url, ossCall());
    expect(response.status).toBe(status);
    expect(errorCode(response.body)).toBe(code);
    expect(response.headers['x-oss-ec']).toMatch(/^\d{4}-\d{8}$/);
  });

  it.each([
    ['MetaOperationQpsLimitExceeded', 503, 'ServiceUnavailableException'],
    ['QpsLimitExceeded', 429, 'TooManyRequestsException'],
    ['InternalServerErrorException', 500, 'InternalServerErrorException'],
  ] as const)('answers Tables %s with status %d and x-oss-error-type %s', async (code, status, errorType) => {
    emulator.setFaults([fault({ kind: 'error', code })]);
    const response = await sendSigned(emulator.url, tablesCall());
    expect(response.status).toBe(status);
    expect(response.headers['x-oss-error-type']).toBe(errorType);
    expect(JSON.parse(response.body)).toEqual({ message: expect.any(String) as unknown });
  });
});

describe('transport faults', () => {
  it('resets the connection', async () => {
    emulator.setFaults([fault({ kind: 'reset' })]);
    await expect(sendSigned(emulator.url, ossCall())).rejects.toMatchObject({
      code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/) as unknown,
    });
  });

  it('hangs until the client gives up', async () => {
    emulator.setFaults([fault({ kind: 'hang' })]);
    const controller = new AbortController();
    const pending = sendSigned(emulator.url, ossCall(), undefined, { signal: controller.signal });
    await waitFor(() => emulator.requestCount('GetBucketEncryption') === 1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('releases hung requests on close', async () => {
    emulator.setFaults([fault({ kind: 'hang' })]);
    const pending = sendSigned(emulator.url, ossCall());
    await waitFor(() => emulator.requestCount('GetBucketEncryption') === 1);
    await emulator.close();
    await expect(pending).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('delays, then answers normally', async () => {
    emulator.setFaults([{ match: {}, fault: { kind: 'latency', fixedMs: 50, jitterMs: 10 }, times: 1 }]);
    const response = await sendSigned(emulator.url, ossCall());
    expect(response.status).toBe(200);
    expect(emulator.activeFaults()).toEqual([]);
  });
});

describe('hostile bodies', () => {
  it('sends a truncated XML body with status 200', async () => {
    emulator.setFaults([fault({ kind: 'malformed' })]);
    const response = await sendSigned(emulator.url, ossCall());
    expect(response.status).toBe(200);
    expect(isWellFormedXml(response.body)).toBe(false);
  });

  it('sends a truncated JSON body to Tables clients', async () => {
    emulator.setFaults([fault({ kind: 'malformed' })]);
    const response = await sendSigned(emulator.url, tablesCall());
    expect(() => JSON.parse(response.body) as unknown).toThrow(SyntaxError);
  });

  it('sends a 10 MiB body with its Content-Length', async () => {
    emulator.setFaults([fault({ kind: 'oversized' })]);
    const response = await sendSigned(emulator.url, ossCall());
    expect(response.headers['content-length']).toBe(String(10 * 1024 * 1024));
    expect(response.body.length).toBe(10 * 1024 * 1024);
  });

  it('sends an entity-expansion document', async () => {
    emulator.setFaults([fault({ kind: 'billionLaughs' })]);
    const response = await sendSigned(emulator.url, ossCall());
    expect(response.headers['content-type']).toBe('application/xml');
    expect(response.body).toContain('<!ENTITY lol9');
  });

  it('sends 50-deep nesting', async () => {
    emulator.setFaults([fault({ kind: 'deepNesting' })]);
    const response = await sendSigned(emulator.url, tablesCall());
    expect(response.body.split('{"nested":')).toHaveLength(51);
  });
});

describe('rule selection', () => {
  it('affects only the matching account', async () => {
    emulator.setFaults([fault({ kind: 'error', code: 'QpsLimitExceeded' }, { accountId: ACCOUNT_B })]);
    expect((await sendSigned(emulator.url, ossCall())).status).toBe(200);
    expect((await sendSigned(emulator.url, ossCall('b-hz-1', { credentials: KEY_B }))).status).toBe(429);
  });

  it('affects only the matching operation, bucket and region', async () => {
    emulator.setFaults([
      fault(
        { kind: 'error', code: 'InternalError' },
        { operation: 'GetBucketEncryption', bucket: 'a-kms-cmk', region: 'cn-hangzhou' },
      ),
    ]);
    expect((await sendSigned(emulator.url, ossCall('a-aes'))).status).toBe(200);
    expect((await sendSigned(emulator.url, ossCall('a-kms-cmk'))).status).toBe(500);
  });

  it('stops after `times`', async () => {
    emulator.setFaults([{ match: {}, fault: { kind: 'error', code: 'ServiceUnavailable' }, times: 2 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await sendSigned(emulator.url, ossCall())).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('rolls probability from the seed: two emulators with one seed fail the same requests', async () => {
    const rules: FaultRule[] = [
      { match: {}, fault: { kind: 'error', code: 'ServiceUnavailable' }, probability: 0.5 },
    ];
    const sequence = async (target: EmulatorHandle) => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await sendSigned(target.url, ossCall())).status);
      return statuses;
    };
    const twin = await startEmulator({ fleet: testFleet(), now: () => NOW, seed: 99, faults: rules });
    const other = await startEmulator({ fleet: testFleet(), now: () => NOW, seed: 99, faults: rules });
    try {
      const first = await sequence(twin);
      expect(await sequence(other)).toEqual(first);
      expect(new Set(first)).toEqual(new Set([200, 503]));
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it("starts with the fleet file's faults section", async () => {
    const withFaults = await startEmulator({
      fleet: { ...testFleet(), faults: [fault({ kind: 'error', code: 'QpsLimitExceeded' })] },
      now: () => NOW,
    });
    try {
      expect((await sendSigned(withFaults.url, ossCall())).status).toBe(429);
    } finally {
      await withFaults.close();
    }
  });
});

describe('admin API', () => {
  async function admin(method: string, path: string, body?: unknown, token = emulator.adminToken) {
    const response = await request(`${emulator.url}/__emulator/${path}`, {
      method: method as 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  it('refuses calls without the admin token', async () => {
    expect((await admin('GET', 'faults', undefined, 'wrong')).status).toBe(401);
    const anonymous = await request(`${emulator.url}/__emulator/faults`);
    expect(anonymous.statusCode).toBe(401);
    await anonymous.body.dump();
  });

  it('replaces, lists and clears fault rules', async () => {
    const rules = [
      { match: { bucket: 'a-aes' }, fault: { kind: 'error', code: 'ServiceUnavailable' }, times: 5 },
    ];
    expect(await admin('PUT', 'faults', { rules })).toEqual({
      status: 200,
      body: { rules: [{ rule: rules[0], remaining: 5 }] },
    });
    expect((await sendSigned(emulator.url, ossCall())).status).toBe(503);
    expect((await admin('GET', 'faults')).body).toEqual({ rules: [{ rule: rules[0], remaining: 4 }] });
    expect((await admin('DELETE', 'faults')).status).toBe(204);
    expect((await sendSigned(emulator.url, ossCall())).status).toBe(200);
  });

  it('refuses an invalid rule with 400 naming the field', async () => {
    const response = await admin('PUT', 'faults', [{ match: {}, fault: { kind: 'error', code: 'Teapot' } }]);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('0.fault');
  });

  it('sets the clock skew', async () => {
    expect(await admin('PUT', 'clock-skew', { ms: 1_200_000 })).toEqual({
      status: 200,
      body: { ms: 1_200_000 },
    });
    expect(errorCode((await sendSigned(emulator.url, ossCall())).body)).toBe('RequestTimeTooSkewed');
  });

  it('reports request counters', async () => {
    await sendSigned(emulator.url, ossCall());
    expect((await admin('GET', 'counters')).body).toEqual({
      total: 1,
      byOperation: { GetBucketEncryption: 1 },
    });
  });

  it('adds and removes a bucket', async () => {
    const added = await admin('POST', 'buckets', {
      accountId: ACCOUNT_A,
      bucket: { name: 'a-new', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'SM4' } },
    });
    expect(added).toEqual({
      status: 201,
      body: { name: 'a-new', region: 'cn-hangzhou', accountId: ACCOUNT_A },
    });
    expect((await sendSigned(emulator.url, ossCall('a-new'))).body).toContain(
      '<SSEAlgorithm>SM4</SSEAlgorithm>',
    );
    expect((await admin('DELETE', 'buckets/a-new')).status).toBe(204);
    expect(errorCode((await sendSigned(emulator.url, ossCall('a-new'))).body)).toBe('NoSuchBucket');
    expect((await admin('DELETE', 'buckets/a-new')).status).toBe(404);
  });

  it('refuses a duplicate bucket with 409 and an unknown account with 404', async () => {
    expect(
      (
        await admin('POST', 'buckets', {
          accountId: ACCOUNT_A,
          bucket: { name: 'a-aes', region: 'cn-hangzhou' },
        })
      ).status,
    ).toBe(409);
    expect(
      (await admin('POST', 'buckets', { accountId: '999', bucket: { name: 'z-new', region: 'cn-hangzhou' } }))
        .status,
    ).toBe(404);
  });

  it('adds and removes a table bucket', async () => {
    const added = await admin('POST', 'table-buckets', {
      accountId: ACCOUNT_A,
      tableBucket: { name: 'tb-new', region: 'cn-hangzhou' },
    });
    const arn = `acs:osstables:cn-hangzhou:${ACCOUNT_A}:bucket/tb-new`;
    expect(added).toEqual({ status: 201, body: { arn, accountId: ACCOUNT_A } });
    expect(emulator.state.tableBuckets.has(arn)).toBe(true);
    expect((await admin('DELETE', `table-buckets/${encodeURIComponent(arn)}`)).status).toBe(204);
    expect(emulator.state.tableBuckets.has(arn)).toBe(false);
  });

  it('returns the current fleet', async () => {
    const { body } = await admin('GET', 'fleet');
    expect((body as { accounts: { id: string }[] }).accounts.map((account) => account.id)).toHaveLength(3);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

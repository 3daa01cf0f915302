import { tablesResourcePath, tablesResourceSigningTarget, type QueryParam } from '@app/signing';
import { request } from 'undici';

import type { FleetSpec } from '../fleet/fleet.types';
import type { TableSpec } from '../fleet/fleet.types';
import { sendSigned, type CallResult, type SignedCall } from '../testing/signed-client';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from './emulator';

/**
 * ListNamespaces, ListTables and GetTableEncryption over loopback, signed by our own signer
 * (product `osstables`), and the admin routes that change namespaces and tables.
 */

const NOW = Date.UTC(2025, 3, 17, 10, 0, 0);
const OWNER = '1111111111111111';
const OTHER = '2222222222222222';
const OWNER_KEY = { accessKeyId: 'LTAI5tCatalogOwner000001', accessKeySecret: 'catalog-owner-secret-0001' };
const OTHER_KEY = { accessKeyId: 'LTAI5tCatalogOther000001', accessKeySecret: 'catalog-other-secret-0001' };
const HOST = 'cn-hangzhou.oss-tables.aliyuncs.com';
const KMS_KEY_ARN = `acs:kms:cn-hangzhou:${OWNER}:key/key-0001`;
const arnOf = (name: string, account = OWNER) => `acs:osstables:cn-hangzhou:${account}:bucket/${name}`;
const LAKE = arnOf('lake');

function tables(...names: string[]): TableSpec[] {
  return names.map((name) => ({ name }));
}

function catalogFleet(): FleetSpec {
  return {
    accounts: [
      {
        id: OWNER,
        accessKeys: [OWNER_KEY],
        buckets: [],
        tableBuckets: [
          {
            name: 'lake',
            region: 'cn-hangzhou',
            createdAt: '2025-01-01T00:00:00.000000+00:00',
            encryption: { sseAlgorithm: 'AES256', kmsKeyArn: '' },
            namespaces: [
              {
                name: 'sales',
                namespaceId: '22af7160-82b5-4d6a-b9fb-4d14c6e01199',
                tables: [
                  { name: 'orders', tableId: '7568a090-50f8-4808-8c8d-930a2c264076' },
                  { name: 'legacy', encryption: null },
                  { name: 'secure', encryption: { sseAlgorithm: 'KMS', kmsKeyArn: KMS_KEY_ARN } },
                  { name: 'locked', deny: ['GetTableEncryption'] },
                  ...tables('t_1', 't_2', 't_3'),
                ],
              },
              { name: 'logs', tables: tables('events') },
              { name: 'ml' },
            ],
          },
          {
            name: 'closed',
            region: 'cn-hangzhou',
            deny: ['ListNamespaces', 'ListTables'],
            namespaces: [{ name: 'x', tables: tables('y') }],
          },
        ],
      },
      {
        id: OTHER,
        accessKeys: [OTHER_KEY],
        buckets: [],
        tableBuckets: [],
      },
    ],
  };
}

let emulator: EmulatorHandle;

async function start(options: Partial<EmulatorOptions> = {}): Promise<EmulatorHandle> {
  return startEmulator({ fleet: catalogFleet(), now: () => NOW, ...options });
}

beforeEach(async () => {
  emulator = await start();
});

afterEach(async () => {
  await emulator.close();
});

function call(
  family: 'namespaces' | 'tables',
  arn: string,
  segments: readonly string[],
  query: readonly QueryParam[] = [],
  overrides: Partial<SignedCall> = {},
): SignedCall {
  return {
    method: 'GET',
    host: HOST,
    path: tablesResourcePath(family, arn, segments),
    query,
    target: tablesResourceSigningTarget(family, arn, segments),
    credentials: OWNER_KEY,
    signingTime: new Date(NOW),
    region: 'cn-hangzhou',
    headers: { 'content-type': 'application/json' },
    ...overrides,
  };
}

const encryptionCall = (namespace: string, table: string, overrides: Partial<SignedCall> = {}) =>
  call('tables', LAKE, [namespace, table, 'encryption'], [], overrides);

function json(result: CallResult): unknown {
  return JSON.parse(result.body);
}

/** Every page of a listing, following continuationToken. */
async function walk(
  target: EmulatorHandle,
  family: 'namespaces' | 'tables',
  query: readonly QueryParam[],
  key: 'namespaces' | 'tables',
): Promise<{ entries: Record<string, unknown>[]; pages: number }> {
  const entries: Record<string, unknown>[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const pageQuery: QueryParam[] = [...query];
    if (token !== undefined) pageQuery.push(['continuationToken', token]);
    const response = await sendSigned(target.url, call(family, LAKE, [], pageQuery));
    expect(response.status).toBe(200);
    const page = json(response) as Record<string, unknown> & { continuationToken?: string };
    entries.push(...(page[key] as Record<string, unknown>[]));
    token = page.continuationToken;
    pages += 1;
  } while (token !== undefined && pages < 50);
  return { entries, pages };
}

describe('ListNamespaces', () => {
  it('answers the GO2 fixture shape, in name order, without a token on the last page', async () => {
    const response = await sendSigned(emulator.url, call('namespaces', LAKE, [], [['prefix', 'sa']]));
    expect(response.headers['content-type']).toBe('application/json');
    expect(json(response)).toEqual({
      namespaces: [
        {
          createdAt: '2025-01-01T00:00:00.000000+00:00',
          createdBy: OWNER,
          namespace: ['sales'],
          namespaceId: '22af7160-82b5-4d6a-b9fb-4d14c6e01199',
          ownerAccountId: OWNER,
          tableBucketId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        },
      ],
    });
  });

  it('pages by maxNamespaces', async () => {
    const { entries, pages } = await walk(emulator, 'namespaces', [['maxNamespaces', '2']], 'namespaces');
    expect(entries.map((entry) => (entry['namespace'] as string[])[0])).toEqual(['logs', 'ml', 'sales']);
    expect(pages).toBe(2);
  });

  it("caps every page at the fleet's maxPageSize whatever the client asks", async () => {
    const small = await start({ fleet: { ...catalogFleet(), maxPageSize: 2 } });
    try {
      const { entries, pages } = await walk(small, 'tables', [['namespace', 'sales']], 'tables');
      expect(entries).toHaveLength(7);
      expect(pages).toBe(4);
    } finally {
      await small.close();
    }
  });

  it('refuses maxNamespaces outside 1..1000 and a forged token', async () => {
    for (const query of [[['maxNamespaces', '0']], [['continuationToken', 'Zm9yZ2Vk']]] as QueryParam[][]) {
      const response = await sendSigned(emulator.url, call('namespaces', LAKE, [], query));
      expect(response.status).toBe(400);
      expect(response.headers['x-oss-error-type']).toBe('BadRequestException');
    }
  });

  it('answers a missing table bucket with 404 NotFoundException', async () => {
    const response = await sendSigned(emulator.url, call('namespaces', arnOf('gone'), []));
    expect(response.status).toBe(404);
    expect(response.headers).toMatchObject({
      'x-oss-error-type': 'NotFoundException',
      'x-oss-ec': '0015-00000101',
    });
    expect(json(response)).toEqual({ message: 'The specified bucket does not exist.' });
  });

  it('denies a table bucket whose policy forbids ListNamespaces, and another account', async () => {
    const denied = await sendSigned(emulator.url, call('namespaces', arnOf('closed'), []));
    expect(denied.status).toBe(403);
    expect(denied.headers['x-oss-error-type']).toBe('ForbiddenException');
    const foreign = await sendSigned(
      emulator.url,
      call('namespaces', LAKE, [], [], { credentials: OTHER_KEY }),
    );
    expect(foreign.status).toBe(403);
  });
});

describe('ListTables', () => {
  it('answers the GO2 fixture shape with the table ARN under the table bucket', async () => {
    const response = await sendSigned(
      emulator.url,
      call(
        'tables',
        LAKE,
        [],
        [
          ['namespace', 'sales'],
          ['prefix', 'or'],
        ],
      ),
    );
    expect(json(response)).toEqual({
      tables: [
        {
          createdAt: '2025-01-01T00:00:00.000000+00:00',
          modifiedAt: '2025-01-01T00:00:00.000000+00:00',
          name: 'orders',
          namespace: ['sales'],
          tableARN: `${LAKE}/table/7568a090-50f8-4808-8c8d-930a2c264076`,
          type: 'customer',
        },
      ],
    });
  });

  it('pages the tables of a namespace by maxTables', async () => {
    const { entries, pages } = await walk(
      emulator,
      'tables',
      [
        ['namespace', 'sales'],
        ['maxTables', '3'],
      ],
      'tables',
    );
    expect(entries.map((entry) => entry['name'])).toEqual([
      'legacy',
      'locked',
      'orders',
      'secure',
      't_1',
      't_2',
      't_3',
    ]);
    expect(pages).toBe(3);
  });

  it('lists every namespace in order when no namespace is named', async () => {
    const { entries } = await walk(emulator, 'tables', [['maxTables', '2']], 'tables');
    expect(entries.map((entry) => `${(entry['namespace'] as string[])[0]}.${String(entry['name'])}`)).toEqual(
      [
        'logs.events',
        'sales.legacy',
        'sales.locked',
        'sales.orders',
        'sales.secure',
        'sales.t_1',
        'sales.t_2',
        'sales.t_3',
      ],
    );
  });

  it('answers a missing namespace with 404 and the GO2 message', async () => {
    const response = await sendSigned(emulator.url, call('tables', LAKE, [], [['namespace', 'nowhere']]));
    expect(response.status).toBe(404);
    expect(response.headers['x-oss-error-type']).toBe('NotFoundException');
    expect(json(response)).toEqual({ message: 'The specified namespace does not exist.' });
  });

  it('denies a table bucket whose policy forbids ListTables', async () => {
    const response = await sendSigned(
      emulator.url,
      call('tables', arnOf('closed'), [], [['namespace', 'x']]),
    );
    expect(response.status).toBe(403);
  });
});

describe('GetTableEncryption', () => {
  it('answers the encryption a table was created with, inherited or its own', async () => {
    const bodies = await Promise.all(
      ['orders', 'legacy', 'secure'].map(
        async (name) => (await sendSigned(emulator.url, encryptionCall('sales', name))).body,
      ),
    );
    expect(bodies).toEqual([
      '{"encryptionConfiguration":{"kmsKeyArn":"","sseAlgorithm":"AES256"}}',
      '{"encryptionConfiguration":{}}',
      `{"encryptionConfiguration":{"kmsKeyArn":"${KMS_KEY_ARN}","sseAlgorithm":"KMS"}}`,
    ]);
  });

  it('answers a table without encryption with 404 in not-found mode', async () => {
    const notFound = await start({ tableBucketWithoutEncryption: 'not-found' });
    try {
      const response = await sendSigned(notFound.url, encryptionCall('sales', 'legacy'));
      expect(response.status).toBe(404);
      expect(json(response)).toEqual({ message: 'The specified encryption configuration does not exist.' });
    } finally {
      await notFound.close();
    }
  });

  it.each([
    ['table', 'sales', 'gone', 'The specified table does not exist.'],
    ['namespace', 'nowhere', 'orders', 'The specified namespace does not exist.'],
  ])('answers a missing %s with 404 NotFoundException', async (_kind, namespace, table, message) => {
    const response = await sendSigned(emulator.url, encryptionCall(namespace, table));
    expect(response.status).toBe(404);
    expect(response.headers['x-oss-error-type']).toBe('NotFoundException');
    expect(json(response)).toEqual({ message });
  });

  it('answers a missing table bucket before looking at the table', async () => {
    const response = await sendSigned(
      emulator.url,
      call('tables', arnOf('gone'), ['sales', 'orders', 'encryption']),
    );
    expect(json(response)).toEqual({ message: 'The specified bucket does not exist.' });
  });

  it('denies a table whose policy forbids the caller', async () => {
    const response = await sendSigned(emulator.url, encryptionCall('sales', 'locked'));
    expect(response.status).toBe(403);
    expect(response.headers['x-oss-error-type']).toBe('ForbiddenException');
  });

  it('serves the path-style form SDKs send to an IP endpoint', async () => {
    const signed = encryptionCall('sales', 'orders');
    const response = await sendSigned(emulator.url, {
      ...signed,
      host: '127.0.0.1',
      path: `/${LAKE}${signed.path}`,
    });
    expect(response.status).toBe(200);
  });

  it('rejects a signature over another table (the path is signed)', async () => {
    const response = await sendSigned(emulator.url, {
      ...encryptionCall('sales', 'orders'),
      target: tablesResourceSigningTarget('tables', LAKE, ['sales', 'legacy', 'encryption']),
    });
    expect(response.status).toBe(403);
    expect(response.headers['x-oss-error-type']).toBe('ForbiddenException');
  });

  it('counts the operations it served', async () => {
    await sendSigned(emulator.url, encryptionCall('sales', 'orders'));
    await sendSigned(emulator.url, call('tables', LAKE, [], [['namespace', 'sales']]));
    expect(emulator.requestCount('GetTableEncryption')).toBe(1);
    expect(emulator.requestCount('ListTables')).toBe(1);
  });
});

describe('faults on the catalog operations', () => {
  it('answers an error fault in the Tables JSON form', async () => {
    emulator.setFaults([
      {
        match: { operation: 'GetTableEncryption', bucket: 'lake' },
        fault: { kind: 'error', code: 'ServiceUnavailable' },
      },
    ]);
    const response = await sendSigned(emulator.url, encryptionCall('sales', 'orders'));
    expect(response.status).toBe(503);
    expect(response.headers['x-oss-error-type']).toBe('ServiceUnavailableException');
    const listing = await sendSigned(emulator.url, call('namespaces', LAKE, []));
    expect(listing.status).toBe(200);
  });

  it('sends a truncated listing for a malformed fault on ListTables', async () => {
    emulator.setFaults([{ match: { operation: 'ListTables' }, fault: { kind: 'malformed' }, times: 1 }]);
    const response = await sendSigned(emulator.url, call('tables', LAKE, [], [['namespace', 'sales']]));
    expect(response.status).toBe(200);
    expect(() => JSON.parse(response.body) as unknown).toThrow(SyntaxError);
  });
});

describe('admin routes of namespaces and tables', () => {
  async function admin(method: string, path: string, body?: unknown, token = emulator.adminToken) {
    const response = await request(`${emulator.url}/__emulator/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  const encodedLake = encodeURIComponent(LAKE);

  it('creates a namespace and a table that takes the current table bucket default', async () => {
    expect(await admin('POST', 'namespaces', { tableBucketArn: LAKE, namespace: { name: 'audit' } })).toEqual(
      {
        status: 201,
        body: { tableBucketArn: LAKE, namespace: 'audit' },
      },
    );
    emulator.state.setTableBucketEncryption(LAKE, { sseAlgorithm: 'KMS', kmsKeyArn: KMS_KEY_ARN });
    const created = await admin('POST', 'tables', {
      tableBucketArn: LAKE,
      namespace: 'audit',
      table: { name: 'trail' },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { encryption: { sseAlgorithm: 'KMS', kmsKeyArn: KMS_KEY_ARN } },
    });
    const response = await sendSigned(emulator.url, encryptionCall('audit', 'trail'));
    expect(json(response)).toEqual({
      encryptionConfiguration: { kmsKeyArn: KMS_KEY_ARN, sseAlgorithm: 'KMS' },
    });
  });

  it("changes a table's encryption for drift tests, and removes it", async () => {
    expect(await admin('PUT', `tables/${encodedLake}/sales/orders/encryption`, { encryption: null })).toEqual(
      {
        status: 200,
        body: { encryption: null },
      },
    );
    expect((await sendSigned(emulator.url, encryptionCall('sales', 'orders'))).body).toBe(
      '{"encryptionConfiguration":{}}',
    );
  });

  it('drops a table, then a namespace with its tables', async () => {
    expect((await admin('DELETE', `tables/${encodedLake}/sales/orders`)).status).toBe(204);
    expect((await sendSigned(emulator.url, encryptionCall('sales', 'orders'))).status).toBe(404);
    expect((await admin('DELETE', `namespaces/${encodedLake}/logs`)).status).toBe(204);
    expect(json(await sendSigned(emulator.url, encryptionCall('logs', 'events')))).toEqual({
      message: 'The specified namespace does not exist.',
    });
    expect((await admin('DELETE', `namespaces/${encodedLake}/logs`)).status).toBe(404);
  });

  it('answers unknown targets with 404, duplicates with 409 and bad bodies with 400', async () => {
    expect(
      (await admin('POST', 'tables', { tableBucketArn: LAKE, namespace: 'nowhere', table: { name: 't' } }))
        .status,
    ).toBe(404);
    expect(
      (await admin('POST', 'namespaces', { tableBucketArn: arnOf('gone'), namespace: { name: 'a' } })).status,
    ).toBe(404);
    expect(
      (await admin('POST', 'namespaces', { tableBucketArn: LAKE, namespace: { name: 'sales' } })).status,
    ).toBe(409);
    expect(
      (await admin('POST', 'namespaces', { tableBucketArn: LAKE, namespace: { name: 'Bad' } })).status,
    ).toBe(400);
    expect((await admin('POST', 'tables', { tableBucketArn: LAKE })).status).toBe(400);
    expect(
      (await admin('PUT', `tables/${encodedLake}/sales/gone/encryption`, { encryption: null })).status,
    ).toBe(404);
  });

  it('refuses a request without the admin token', async () => {
    expect((await admin('DELETE', `tables/${encodedLake}/sales/orders`, undefined, 'wrong')).status).toBe(
      401,
    );
    expect(emulator.state.tableCatalog.table(LAKE, 'sales', 'orders')).toBeDefined();
  });

  it('shows namespaces and tables in the fleet dump', async () => {
    const dump = (await admin('GET', 'fleet')).body as FleetSpec;
    const lake = dump.accounts[0]?.tableBuckets.find((tableBucket) => tableBucket.name === 'lake');
    expect(lake?.namespaces?.map((namespace) => namespace.name)).toEqual(['logs', 'ml', 'sales']);
  });
});

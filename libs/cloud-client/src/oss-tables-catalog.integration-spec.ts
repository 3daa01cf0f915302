import type { Dispatcher } from 'undici';

import { startEmulator, type EmulatorHandle, type EmulatorOptions, type FleetSpec } from '@app/oss-emulator';

import { AccountClients, AccountClientsOptions, createAccountClients } from './account-clients';
import { StaticCredentialSource } from './credentials/credential-source';
import { OssError } from './errors';
import { tablesMissingResource } from './parsing/tables-not-found';
import { createOssDispatcher } from './transport/dispatcher';

/**
 * OssTablesClient's namespace and table calls against the real emulator on loopback: walking a
 * table bucket page by page, each table's own encryption, the missing and denied answers, faults.
 */

const OWNER = '1000000000000001';
const OTHER = '2000000000000002';
const OWNER_KEY = { accessKeyId: 'LTAI5tCatalogClient0001', accessKeySecret: 'catalog-client-secret-0001' };
const OTHER_KEY = { accessKeyId: 'LTAI5tCatalogClient0002', accessKeySecret: 'catalog-client-secret-0002' };
const KMS_KEY_ARN = `acs:kms:cn-shanghai:${OWNER}:key/key-0001`;
const arnOf = (region: string, name: string, account = OWNER) =>
  `acs:osstables:${region}:${account}:bucket/${name}`;
const LAKE = arnOf('cn-shanghai', 'lake');
const PLAIN = arnOf('cn-hangzhou', 'plain');
const CLOSED = arnOf('cn-hangzhou', 'closed');

function fleet(): FleetSpec {
  return {
    accounts: [
      {
        id: OWNER,
        accessKeys: [OWNER_KEY],
        buckets: [],
        tableBuckets: [
          {
            // KMS now; raw_dump was created when the default was still AES256.
            name: 'lake',
            region: 'cn-shanghai',
            encryption: { sseAlgorithm: 'KMS', kmsKeyArn: KMS_KEY_ARN },
            namespaces: [
              {
                name: 'ml',
                tables: [
                  { name: 'features' },
                  { name: 'raw_dump', encryption: { sseAlgorithm: 'AES256', kmsKeyArn: '' } },
                  { name: 'scratch', encryption: null },
                  { name: 'pii', deny: ['GetTableEncryption'] },
                  { name: 'f_1' },
                  { name: 'f_2' },
                ],
              },
              { name: 'logs', tables: [{ name: 'events' }] },
              { name: 'bi' },
            ],
          },
          {
            name: 'plain',
            region: 'cn-hangzhou',
            encryption: { sseAlgorithm: 'AES256', kmsKeyArn: '' },
            namespaces: [{ name: 'sales', tables: [{ name: 'orders' }] }],
          },
          {
            name: 'closed',
            region: 'cn-hangzhou',
            deny: ['ListNamespaces'],
            namespaces: [{ name: 'x', tables: [{ name: 'y' }] }],
          },
        ],
      },
      { id: OTHER, accessKeys: [OTHER_KEY], buckets: [], tableBuckets: [] },
    ],
  };
}

let emulator: EmulatorHandle;
let dispatcher: Dispatcher;
const opened: AccountClients[] = [];

async function restart(options: Partial<EmulatorOptions>): Promise<void> {
  await emulator.close();
  emulator = await startEmulator({ fleet: fleet(), ...options });
}

/** The owner's clients against the emulator; backoff sleeps are skipped (their math is unit-tested). */
function clientsFor(overrides: Partial<AccountClientsOptions> = {}): AccountClients {
  const clients = createAccountClients({
    credentials: new StaticCredentialSource(OWNER_KEY),
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

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Every table of a table bucket, `namespace.name`, walking both listings at `pageSize`. */
async function walkTables(
  clients: AccountClients,
  tableBucketArn: string,
  pageSize: number,
): Promise<string[]> {
  const found: string[] = [];
  for await (const namespace of clients.tables.listNamespaces(tableBucketArn, { pageSize })) {
    for await (const table of clients.tables.listTables(tableBucketArn, namespace.name, { pageSize })) {
      found.push(`${table.namespace}.${table.name}`);
    }
  }
  return found;
}

/** The lake's tables in listing order: namespaces by name (bi is empty), then tables by name. */
const LAKE_TABLES = ['logs.events', 'ml.f_1', 'ml.f_2', 'ml.features', 'ml.pii', 'ml.raw_dump', 'ml.scratch'];

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

describe('walking a table bucket', () => {
  it('lists every namespace and table at page size 2, one page request per two entries', async () => {
    await expect(walkTables(clientsFor(), LAKE, 2)).resolves.toEqual(LAKE_TABLES);
    // 3 namespaces: 2 pages; tables: bi 1 page (empty), logs 1, ml 3 (6 tables).
    expect(emulator.requestCount('ListNamespaces')).toBe(2);
    expect(emulator.requestCount('ListTables')).toBe(5);
  });

  it("follows the service's own page size when it returns fewer than asked (maxPageSize 2)", async () => {
    await restart({ maxPageSize: 2 });
    await expect(walkTables(clientsFor(), LAKE, 1000)).resolves.toEqual(LAKE_TABLES);
    expect(emulator.requestCount('ListTables')).toBe(5);
  });

  it('reports every table with its ARN under the table bucket, the namespace and the region', async () => {
    const [table] = await collect(clientsFor().tables.listTables(PLAIN, 'sales'));
    expect(table).toEqual({
      tableBucketArn: PLAIN,
      namespace: 'sales',
      name: 'orders',
      tableArn: expect.stringMatching(
        /^acs:osstables:cn-hangzhou:1000000000000001:bucket\/plain\/table\/[0-9a-f-]{36}$/,
      ) as unknown,
      tableId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      type: 'customer',
      createdAt: expect.any(String) as unknown,
      modifiedAt: expect.any(String) as unknown,
      region: 'cn-hangzhou',
    });
    expect(table?.tableArn?.endsWith(`/table/${table.tableId ?? ''}`)).toBe(true);
  });

  it('filters namespaces and tables by prefix', async () => {
    const clients = clientsFor();
    const namespaces = await collect(clients.tables.listNamespaces(LAKE, { prefix: 'm' }));
    expect(namespaces.map((namespace) => namespace.name)).toEqual(['ml']);
    const tables = await collect(clients.tables.listTables(LAKE, 'ml', { prefix: 'f_', pageSize: 1 }));
    expect(tables.map((table) => table.name)).toEqual(['f_1', 'f_2']);
  });

  it('throws OssError naming the missing table bucket or namespace', async () => {
    const clients = clientsFor();
    const gone = (await collect(clients.tables.listNamespaces(arnOf('cn-hangzhou', 'gone'))).catch(
      (error: unknown) => error,
    )) as OssError;
    expect(gone).toBeInstanceOf(OssError);
    expect(tablesMissingResource(gone.info)).toBe('table_bucket');
    const nowhere = (await collect(clients.tables.listTables(LAKE, 'nowhere')).catch(
      (error: unknown) => error,
    )) as OssError;
    expect(nowhere.info).toMatchObject({
      operation: 'ListTables',
      code: 'NotFoundException',
      httpStatus: 404,
    });
    expect(tablesMissingResource(nowhere.info)).toBe('namespace');
  });

  it('throws OssError for a denied listing, and for a table bucket of another account', async () => {
    await expect(collect(clientsFor().tables.listNamespaces(CLOSED))).rejects.toMatchObject({
      info: { code: 'ForbiddenException', httpStatus: 403, attempts: 1 },
    });
    const other = clientsFor({ credentials: new StaticCredentialSource(OTHER_KEY) });
    await expect(collect(other.tables.listTables(LAKE, 'ml'))).rejects.toBeInstanceOf(OssError);
  });
});

describe('each table its own encryption', () => {
  it('reads the encryption each table was created with, not its table bucket default', async () => {
    const tables = clientsFor().tables;
    const read = (name: string) => tables.getTableEncryption(LAKE, 'ml', name);
    await expect(tables.getTableBucketEncryption(LAKE)).resolves.toMatchObject({
      configuration: { sseAlgorithm: 'KMS', kmsKeyArn: KMS_KEY_ARN },
    });
    await expect(read('features')).resolves.toMatchObject({
      outcome: 'configuration',
      configuration: { sseAlgorithm: 'KMS', kmsKeyArn: KMS_KEY_ARN },
      requestId: expect.stringMatching(/^[0-9A-F]{24}$/) as unknown,
    });
    await expect(read('raw_dump')).resolves.toMatchObject({
      outcome: 'configuration',
      configuration: { sseAlgorithm: 'AES256', kmsKeyArn: null },
    });
    await expect(read('scratch')).resolves.toMatchObject({ outcome: 'no_configuration' });
  });

  it('reads a table without encryption the same way when the service answers 404', async () => {
    await restart({ tableBucketWithoutEncryption: 'not-found' });
    await expect(clientsFor().tables.getTableEncryption(LAKE, 'ml', 'scratch')).resolves.toMatchObject({
      outcome: 'no_configuration',
    });
  });

  it.each([
    ['table', LAKE, 'ml', 'gone', 'table_missing'],
    ['namespace', LAKE, 'nowhere', 'features', 'namespace_missing'],
    ['table bucket', arnOf('cn-shanghai', 'gone'), 'ml', 'features', 'bucket_missing'],
  ])('returns a missing %s as its own outcome', async (_label, tableBucketArn, namespace, name, outcome) => {
    await expect(
      clientsFor().tables.getTableEncryption(tableBucketArn, namespace, name),
    ).resolves.toMatchObject({
      outcome,
    });
  });

  it('returns a table the caller may not read as an error, without retrying', async () => {
    await expect(clientsFor().tables.getTableEncryption(LAKE, 'ml', 'pii')).resolves.toMatchObject({
      outcome: 'error',
      error: { code: 'ForbiddenException', httpStatus: 403, attempts: 1, operation: 'GetTableEncryption' },
    });
  });

  it('sees a table whose encryption changed behind the service (drift)', async () => {
    const tables = clientsFor().tables;
    emulator.state.tableCatalog.setTableEncryption(LAKE, 'ml', 'features', null);
    await expect(tables.getTableEncryption(LAKE, 'ml', 'features')).resolves.toMatchObject({
      outcome: 'no_configuration',
    });
  });
});

describe('faults on the catalog calls', () => {
  it('retries a 503 and returns the true configuration', async () => {
    emulator.setFaults([
      {
        match: { operation: 'GetTableEncryption' },
        fault: { kind: 'error', code: 'ServiceUnavailable' },
        times: 1,
      },
    ]);
    await expect(clientsFor().tables.getTableEncryption(LAKE, 'ml', 'features')).resolves.toMatchObject({
      outcome: 'configuration',
    });
    expect(emulator.requestCount('GetTableEncryption')).toBe(2);
  });

  it('returns an endless 500 as a typed error after 3 attempts', async () => {
    emulator.setFaults([
      {
        match: { operation: 'GetTableEncryption' },
        fault: { kind: 'error', code: 'InternalServerErrorException' },
      },
    ]);
    await expect(clientsFor().tables.getTableEncryption(LAKE, 'ml', 'features')).resolves.toMatchObject({
      outcome: 'error',
      error: { code: 'InternalServerErrorException', httpStatus: 500, attempts: 3, kind: 'service' },
    });
  });

  it('recovers a listing page from a connection reset', async () => {
    emulator.setFaults([{ match: { operation: 'ListTables' }, fault: { kind: 'reset' }, times: 1 }]);
    await expect(walkTables(clientsFor(), LAKE, 2)).resolves.toEqual(LAKE_TABLES);
  });

  it.each([
    ['a truncated page', { kind: 'malformed' }],
    ['a 50-deep page', { kind: 'deepNesting', depth: 50 }],
  ] as const)(
    'fails the listing on %s as malformed_response, never as an empty one',
    async (_label, fault) => {
      emulator.setFaults([{ match: { operation: 'ListNamespaces' }, fault }]);
      await expect(collect(clientsFor().tables.listNamespaces(LAKE))).rejects.toMatchObject({
        info: { kind: 'malformed_response', operation: 'ListNamespaces' },
      });
    },
  );

  it('returns a hostile GetTableEncryption answer as a per-table error', async () => {
    emulator.setFaults([
      { match: { operation: 'GetTableEncryption' }, fault: { kind: 'oversized', bytes: 1_000_000 } },
    ]);
    await expect(clientsFor().tables.getTableEncryption(LAKE, 'ml', 'features')).resolves.toMatchObject({
      outcome: 'error',
      error: { kind: 'response_too_large', attempts: 1 },
    });
  });
});

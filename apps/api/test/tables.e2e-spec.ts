import type { FleetSpec, TableBucketSpec } from '@app/oss-emulator';
import type { ScanRecord } from '@app/persistence';
import { expectedFindings, startScanEnvironment, type ScanEnvironment } from '@app/testing';
import type { z } from 'zod';

import type { DRIFT_EVENT } from '../src/drift/drift.schemas';
import type { FINDING } from '../src/findings/findings.schemas';
import type { RESOURCE } from '../src/resources/resources.schemas';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

type ResourceBody = z.input<typeof RESOURCE>;
type FindingBody = z.input<typeof FINDING>;
type DriftBody = z.input<typeof DRIFT_EVENT>;

const ACCOUNT_ID = '1400000000000001';
const REGION = 'cn-hangzhou';
const KEY_ID = 'key-hzz6304944631tables02';

const kmsTableBucket: TableBucketSpec = {
  name: 'analytics',
  region: REGION,
  encryption: { sseAlgorithm: 'KMS', kmsKeyArn: `acs:kms:${REGION}:${ACCOUNT_ID}:key/${KEY_ID}` },
  namespaces: [
    {
      name: 'sales',
      tables: [
        // Created after the KMS default: encrypted with its key.
        { name: 'orders' },
        // Created before it: AES256, and none.
        { name: 'refunds', encryption: { sseAlgorithm: 'AES256' } },
        { name: 'legacy', encryption: null },
      ],
    },
  ],
};
const aesTableBucket: TableBucketSpec = {
  name: 'archive',
  region: REGION,
  encryption: { sseAlgorithm: 'AES256' },
  namespaces: [{ name: 'history', tables: [{ name: 'events' }, { name: 'audits' }] }],
};

/** One account: a bucket and two table buckets holding five tables of every class. */
const FLEET: FleetSpec = {
  accounts: [
    {
      id: ACCOUNT_ID,
      accessKeys: [
        { accessKeyId: 'LTAI5tTablesE2eAccount01', accessKeySecret: 'secret-of-the-tables-e2e-account' },
      ],
      buckets: [{ name: 'tables-e2e-bucket', region: REGION, encryption: { sseAlgorithm: 'AES256' } }],
      tableBuckets: [kmsTableBucket, aesTableBucket],
      kmsKeys: [
        { keyId: KEY_ID, region: REGION, automaticRotation: 'Enabled', deletionProtection: 'Enabled' },
      ],
    },
  ],
};

const arnOf = (tableBucket: TableBucketSpec) =>
  `acs:osstables:${tableBucket.region}:${ACCOUNT_ID}:bucket/${tableBucket.name}`;

/**
 * Tables over HTTP, after two real scans of the emulator: `orders` is weakened from its KMS key to
 * AES256 between them (emulator admin API), so the API has table findings, table drift and a past.
 */
describe('tables over HTTP', () => {
  let scanning: ScanEnvironment;
  let api: ApiTestApp;
  let token: string;
  let first: ScanRecord;
  let second: ScanRecord;
  /** After the first scan ended, before `orders` was weakened. */
  let between: string;

  const body = async <T>(path: string): Promise<T> =>
    (await api.http.get(path).set('Authorization', `Bearer ${token}`).expect(200)).body as T;
  const items = async <T>(path: string): Promise<T[]> => (await body<{ items: T[] }>(path)).items;
  const named = (resources: readonly ResourceBody[], name: string) =>
    resources.find((resource) => resource.name === name);

  beforeAll(async () => {
    scanning = await startScanEnvironment({ fleet: FLEET });
    api = await startApiTestApp(scanning);
    token = (await api.issueKey('reader')).token;
    first = await scanning.runScan();
    between = encodeURIComponent((first.finishedAt ?? new Date()).toISOString());
    const response = await fetch(
      `${scanning.emulator.url}/__emulator/tables/${encodeURIComponent(arnOf(kmsTableBucket))}/sales/orders/encryption`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${scanning.emulator.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ encryption: { sseAlgorithm: 'AES256' } }),
      },
    );
    expect(response.ok).toBe(true);
    second = await scanning.runScan();
  }, 60_000);
  afterAll(async () => {
    await api.close();
    await scanning.close();
  });

  it('scans the fleet in full both times (every table listed and read)', () => {
    expect([first.status, second.status]).toEqual(['succeeded', 'succeeded']);
  });

  it('lists the tables with kind=table, each with its table bucket as parentKey', async () => {
    const tables = await items<ResourceBody>('/v1/resources?kind=table&limit=100');

    expect(tables.map((table) => [table.name, table.parentKey]).sort()).toEqual(
      [
        ['history/audits', arnOf(aesTableBucket)],
        ['history/events', arnOf(aesTableBucket)],
        ['sales/legacy', arnOf(kmsTableBucket)],
        ['sales/orders', arnOf(kmsTableBucket)],
        ['sales/refunds', arnOf(kmsTableBucket)],
      ].sort(),
    );
    expect(tables.every((table) => table.kind === 'table')).toBe(true);
  });

  it('lists exactly the tables of one table bucket with parent=<its resource key>', async () => {
    const children = await items<ResourceBody>(
      `/v1/resources?parent=${encodeURIComponent(arnOf(kmsTableBucket))}&limit=100`,
    );

    expect(children.map((child) => child.name).sort()).toEqual([
      'sales/legacy',
      'sales/orders',
      'sales/refunds',
    ]);
    expect(
      children.every((child) => child.kind === 'table' && child.parentKey === arnOf(kmsTableBucket)),
    ).toBe(true);
  });

  it('gives with kind=table the open findings of the tables, as the fleet truth after the change says', async () => {
    const findings = await items<FindingBody>('/v1/findings?kind=table&limit=100');
    const tableKeys = new Set(
      (await items<ResourceBody>('/v1/resources?kind=table&limit=100')).map((table) => table.resourceKey),
    );
    const expected = [...expectedFindings(scanning.emulator.state.toSpec())].filter(([key]) =>
      tableKeys.has(key),
    );

    const found = new Map<string, string[]>();
    for (const finding of findings) {
      found.set(finding.resource.resourceKey, [
        ...(found.get(finding.resource.resourceKey) ?? []),
        finding.rule,
      ]);
    }
    expect(findings.every((finding) => finding.resource.kind === 'table')).toBe(true);
    expect(new Map([...found].map(([key, rules]) => [key, rules.sort()]))).toEqual(new Map(expected));
    // orders is now weaker than its KMS table bucket, as refunds and legacy always were.
    expect(
      findings
        .filter((finding) => finding.rule === 'table_weaker_than_bucket')
        .map((finding) => finding.resource.name)
        .sort(),
    ).toEqual(['sales/legacy', 'sales/orders', 'sales/refunds']);
  });

  it('records one weakened drift event for the weakened table, shown by GET /v1/drift', async () => {
    // The first scan saw every table appear; since then only orders changed.
    const drift = await items<DriftBody>('/v1/drift?kind=table&type=encryption_changed&limit=100');
    const appeared = await items<DriftBody>('/v1/drift?kind=table&type=appeared&limit=100');

    expect(appeared.every((event) => event.scanId === first.id)).toBe(true);
    expect(appeared).toHaveLength(5);
    expect(drift).toEqual([
      expect.objectContaining({
        type: 'encryption_changed',
        direction: 'weakened',
        scanId: second.id,
        previousScanId: first.id,
        resource: expect.objectContaining({ kind: 'table', name: 'sales/orders' }) as unknown,
        before: expect.objectContaining({ class: 'kms_cmk' }) as unknown,
        after: expect.objectContaining({ class: 'oss_aes256' }) as unknown,
      }),
    ]);
  });

  it('answers kind=table&at=<between the scans> with the class the weakened table had then', async () => {
    const now = named(await items<ResourceBody>('/v1/resources?kind=table&limit=100'), 'sales/orders');
    const then = await items<ResourceBody>(`/v1/resources?kind=table&at=${between}&limit=100`);

    expect(now).toMatchObject({ current: { class: 'oss_aes256' } });
    expect(named(then, 'sales/orders')).toMatchObject({ current: { class: 'kms_cmk' }, state: 'present' });
    expect(then.map((table) => table.name).sort()).toEqual([
      'history/audits',
      'history/events',
      'sales/legacy',
      'sales/orders',
      'sales/refunds',
    ]);
  });
});

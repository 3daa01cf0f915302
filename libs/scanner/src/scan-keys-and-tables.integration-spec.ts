import {
  generateFleet,
  type AccountSpec,
  type BucketSpec,
  type FleetSpec,
  type KmsKeySpec,
  type TableBucketSpec,
  type TableSpec,
} from '@app/oss-emulator';
import { ResourceQueryRepository } from '@app/persistence';
import {
  allFindings,
  expectedFindings,
  openFindingRules,
  startScanEnvironment,
  type ScanEnvironment,
} from '@app/testing';

/** Fast enough that the fleet scans in seconds on the emulator. */
const FAST = { rate: { initialRps: 2000, maxRps: 4000, concurrency: 32 }, scan: { auditBatchSize: 50 } };

/** Calls the emulator's admin API (the service changing behind the scanner's back). */
async function admin(env: ScanEnvironment, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${env.emulator.url}/__emulator/${path}`, {
    method,
    headers: { authorization: `Bearer ${env.emulator.adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok).toBe(true);
}

/** Every key id or ARN the fleet's buckets and table buckets name, with how many resources name it. */
function keyReferences(account: AccountSpec): Map<string, number> {
  const references = new Map<string, number>();
  const count = (reference: string | undefined) => {
    if (reference !== undefined) references.set(reference, (references.get(reference) ?? 0) + 1);
  };
  for (const bucket of account.buckets) count(bucket.encryption?.kmsMasterKeyId);
  for (const tableBucket of account.tableBuckets) count(tableBucket.encryption?.kmsKeyArn);
  return references;
}

const namedBy = (references: Map<string, number>, key: KmsKeySpec) =>
  [...references].filter(([reference]) => reference === key.keyId || reference.endsWith(`/${key.keyId}`));

/** Replaces one KMS key of the fleet's first account. */
function withKey(fleet: FleetSpec, keyId: string, change: (key: KmsKeySpec) => KmsKeySpec): FleetSpec {
  const [first, ...rest] = fleet.accounts;
  if (first === undefined) throw new Error('The fleet has no account');
  const kmsKeys = (first.kmsKeys ?? []).map((key) => (key.keyId === keyId ? change(key) : key));
  return { ...fleet, accounts: [{ ...first, kmsKeys }, ...rest] };
}

/**
 * CIS Alibaba Cloud Foundations Benchmark v2.0.0 5.8 and 5.9 for one bucket, from the fleet's
 * truth: 5.8 passes on KMS with no key id or a key created by `Oss`; 5.9 on KMS with a key created
 * by the bucket's own account. AES256, SM4 and none fail both; a key that does not exist fails
 * both; what could not be read (the bucket, or its key) is a warning, never a pass.
 */
function cisVerdicts(account: AccountSpec, bucket: BucketSpec): [string, string] {
  if (bucket.deny !== undefined) return ['warning', 'warning'];
  const encryption = bucket.encryption;
  if (encryption == null || encryption.sseAlgorithm !== 'KMS') return ['fail', 'fail'];
  const keyId = encryption.kmsMasterKeyId;
  if (keyId === undefined) return ['pass', 'fail'];
  const key = (account.kmsKeys ?? []).find(
    (candidate) => candidate.keyId === keyId && candidate.region === bucket.region,
  );
  if (key === undefined) return ['fail', 'fail'];
  if (key.deny !== undefined) return ['warning', 'warning'];
  const creator = key.creator ?? account.id;
  if (creator === 'Oss') return ['pass', 'fail'];
  return creator === account.id ? ['fail', 'pass'] : ['fail', 'fail'];
}

describe('a scan of buckets encrypted with keys in every state', () => {
  const generated = generateFleet({
    accounts: 1,
    regions: ['cn-hangzhou', 'cn-shanghai'],
    buckets: 60,
    tableBuckets: 4,
    missingKmsKeys: 1,
    seed: 13,
  });
  const account = generated.accounts[0]!;
  const references = keyReferences(account);
  const customerKeys = (account.kmsKeys ?? []).filter((key) => namedBy(references, key).length > 0);
  // An Enabled key named once, for the key drift; another one whose DescribeKey the account is denied.
  const named = (times: number) => (key: KmsKeySpec) =>
    (key.keyState ?? 'Enabled') === 'Enabled' &&
    (key.deletionProtection ?? 'Disabled') === 'Disabled' &&
    namedBy(references, key).reduce((sum, [, count]) => sum + count, 0) === times;
  const toDelete = customerKeys.find(named(1))!;
  const denied = customerKeys.find((key) => key !== toDelete && named(1)(key))!;
  const fleet = withKey(generated, denied.keyId, (key) => ({ ...key, deny: ['DescribeKey'] }));
  let env: ScanEnvironment;

  beforeAll(async () => {
    env = await startScanEnvironment({ fleet, ...FAST });
  }, 60_000);
  afterAll(async () => {
    await env.close();
  });

  it('holds a key in every state, one the account may not describe, and one that does not exist', () => {
    expect(new Set(customerKeys.map((key) => key.keyState ?? 'Enabled'))).toEqual(
      new Set(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport']),
    );
    expect(toDelete).toBeDefined();
    expect(denied).toBeDefined();
    const known = new Set((account.kmsKeys ?? []).map((key) => key.keyId));
    expect([...references.keys()].some((reference) => !known.has(reference.split('/').pop()!))).toBe(true);
  });

  it('opens exactly the findings of each key state, judges CIS 5.8 and 5.9 per bucket, reads a denied DescribeKey as unverifiable, alerts at once on keys that cannot be used, and once on a key scheduled for deletion', async () => {
    const { dataSource } = env.database;
    const first = await env.runScan();
    expect(await openFindingRules(dataSource)).toEqual(expectedFindings(fleet));

    // DescribeKey denied: the bucket is unverifiable, never compliant; the scan says it could not see.
    const [deniedReference] = namedBy(references, denied)[0]!;
    const deniedBucket = account.buckets.find(
      (bucket) => bucket.encryption?.kmsMasterKeyId === deniedReference,
    )!;
    expect(expectedFindings(fleet).get(`oss:${deniedBucket.name}`)).toEqual(['unverifiable']);
    expect(first.status).toBe('partial');

    // CIS 5.8 (service key) and 5.9 (BYOK) per bucket, as the benchmark reads them.
    const cis = await dataSource.query<{ resource_key: string; control_id: string; status: string }[]>(
      `SELECT r.resource_key, c.control_id, c.status FROM control_results c JOIN resources r ON r.id = c.resource_id
        WHERE c.scan_id = $1 AND c.control_id IN ('cis-alibaba-v2.0.0-5.8', 'cis-alibaba-v2.0.0-5.9')`,
      [first.id],
    );
    const actual = new Map<string, string>();
    for (const row of cis) actual.set(`${row.resource_key} ${row.control_id.slice(-3)}`, row.status);
    const expected = new Map<string, string>();
    const scanned = fleet.accounts[0]!;
    for (const bucket of scanned.buckets) {
      const [serviceKey, byok] = cisVerdicts(scanned, bucket);
      expected.set(`oss:${bucket.name} 5.8`, serviceKey);
      expected.set(`oss:${bucket.name} 5.9`, byok);
    }
    expect(actual).toEqual(expected);
    expect(new Set(expected.values())).toEqual(new Set(['pass', 'fail', 'warning']));

    // A Disabled or PendingDeletion key behind a resource is critical and alerted by the scan that
    // first sees it; a missing key is high; rotation and deletion protection off are low.
    const severities = await dataSource.query<{ rule: string; severity: string }[]>(
      `SELECT DISTINCT rule, severity FROM findings WHERE status = 'open' AND rule LIKE 'kms_key_%'`,
    );
    expect(new Map(severities.map((row) => [row.rule, row.severity]))).toEqual(
      new Map([
        ['kms_key_disabled', 'critical'],
        ['kms_key_pending_deletion', 'critical'],
        ['kms_key_not_found', 'high'],
        ['kms_key_rotation_disabled', 'low'],
        ['kms_key_deletion_protection_disabled', 'low'],
      ]),
    );
    const unusableKeyAlerts = await dataSource.query<{ resource_key: string }[]>(
      `SELECT r.resource_key FROM alert_outbox o JOIN findings f ON f.id = o.finding_id
         JOIN resources r ON r.id = o.resource_id
        WHERE o.scan_id = $1 AND o.event_type = 'finding_opened' AND o.severity = 'critical'
          AND f.rule IN ('kms_key_disabled', 'kms_key_pending_deletion')`,
      [first.id],
    );
    const namingUnusableKeys = [...expectedFindings(fleet)]
      .filter(([, rules]) => rules.includes('kms_key_disabled') || rules.includes('kms_key_pending_deletion'))
      .map(([resourceKey]) => resourceKey);
    expect(namingUnusableKeys.length).toBeGreaterThan(0);
    expect(unusableKeyAlerts.map((row) => row.resource_key).sort()).toEqual(namingUnusableKeys.sort());

    await admin(env, 'PATCH', `kms-keys/${toDelete.keyId}`, {
      keyState: 'PendingDeletion',
      deleteDate: '2027-01-10T00:00:00Z',
    });
    const second = await env.runScan();
    const scheduled = withKey(fleet, toDelete.keyId, (key) => ({
      ...key,
      keyState: 'PendingDeletion',
      deleteDate: '2027-01-10T00:00:00Z',
    }));
    expect(await openFindingRules(dataSource)).toEqual(expectedFindings(scheduled));

    // Enabled -> PendingDeletion weakens the key: one drift event, on the key itself.
    const drift = await dataSource.query<{ resource_key: string; kind: string; direction: string }[]>(
      `SELECT r.resource_key, d.kind, d.direction FROM drift_events d JOIN resources r ON r.id = d.resource_id
        WHERE d.scan_id = $1`,
      [second.id],
    );
    expect(drift).toEqual([
      {
        resource_key: `acs:kms:${toDelete.region}:${account.id}:key/${toDelete.keyId}`,
        kind: 'encryption_changed',
        direction: 'weakened',
      },
    ]);
    const critical = await dataSource.query<{ event_type: string; rule: string }[]>(
      `SELECT o.event_type, f.rule FROM alert_outbox o LEFT JOIN findings f ON f.id = o.finding_id
        WHERE o.scan_id = $1 AND o.severity = 'critical'`,
      [second.id],
    );
    expect(critical).toEqual([{ event_type: 'finding_opened', rule: 'kms_key_pending_deletion' }]);

    // A third scan with nothing changed alerts nobody again.
    const third = await env.runScan();
    const repeated = await dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM alert_outbox WHERE scan_id = $1`,
      [third.id],
    );
    expect(Number(repeated[0]?.count)).toBe(0);
  }, 120_000);
});

/** The fleet's truth after the changes the second scan must see. */
function withTables(fleet: FleetSpec, change: (tableBucket: TableBucketSpec) => TableBucketSpec): FleetSpec {
  return {
    ...fleet,
    accounts: fleet.accounts.map((account) => ({
      ...account,
      tableBuckets: account.tableBuckets.map(change),
    })),
  };
}

describe('a scan of table buckets holding namespaces and tables of every class, listed two at a time', () => {
  const generated = generateFleet({
    accounts: 1,
    regions: ['cn-hangzhou', 'cn-shanghai'],
    buckets: 4,
    tableBuckets: 6,
    tablesPerTableBucket: 7,
    namespacesPerTableBucket: 3,
    deniedTables: 2,
    seed: 17,
  });
  // The service answers at most two entries per page, whatever the client asks for.
  const fleet: FleetSpec = { ...generated, maxPageSize: 2 };
  const account = fleet.accounts[0]!;
  const kmsTableBucket = account.tableBuckets.find(
    (tableBucket) => tableBucket.encryption?.sseAlgorithm === 'KMS' && tableBucket.deny === undefined,
  )!;
  const arnOf = (tableBucket: TableBucketSpec) =>
    `acs:osstables:${tableBucket.region}:${account.id}:bucket/${tableBucket.name}`;
  let env: ScanEnvironment;

  beforeAll(async () => {
    env = await startScanEnvironment({ fleet, ...FAST });
  }, 60_000);
  afterAll(async () => {
    await env.close();
  });

  it('holds tables of every class, some denied', () => {
    const tables = account.tableBuckets.flatMap((tableBucket) =>
      (tableBucket.namespaces ?? []).flatMap((namespace) => namespace.tables ?? []),
    );
    const classOf = (encryption: { sseAlgorithm: string } | null | undefined) =>
      encryption?.sseAlgorithm ?? 'none';
    expect(new Set(tables.map((table) => classOf(table.encryption)))).toEqual(
      new Set(['AES256', 'KMS', 'none']),
    );
    expect(new Set(account.tableBuckets.map((tableBucket) => classOf(tableBucket.encryption)))).toEqual(
      new Set(['AES256', 'KMS', 'none']),
    );
    expect(tables.filter((table) => table.deny !== undefined)).toHaveLength(2);
    expect(kmsTableBucket).toBeDefined();
  });

  it('finds exactly the fleet truth, then sees a dropped table go, a new one come and a weakened one', async () => {
    const { dataSource } = env.database;
    const first = await env.runScan();
    expect(await openFindingRules(dataSource)).toEqual(expectedFindings(fleet));
    const tableCount = account.tableBuckets
      .filter((tableBucket) => tableBucket.deny === undefined)
      .flatMap((tableBucket) =>
        (tableBucket.namespaces ?? []).flatMap((namespace) => namespace.tables ?? []),
      ).length;
    const tableRows = first.coverage.filter((row) => row.kind === 'table');
    expect(tableRows.reduce((sum, row) => sum + row.listed, 0)).toBe(tableCount);
    expect(tableRows.every((row) => row.enumerationComplete)).toBe(true);
    // Two entries per page: far more listing requests than table buckets and namespaces.
    expect(env.emulator.requestCount('ListTables')).toBeGreaterThanOrEqual(Math.ceil(tableCount / 2));

    const [firstNamespace, secondNamespace] = kmsTableBucket.namespaces ?? [];
    const dropped = firstNamespace!.tables![0]!;
    const weakened = secondNamespace!.tables![0]!;
    const added: TableSpec = { name: 'added_after_first_scan', encryption: null };
    const arn = encodeURIComponent(arnOf(kmsTableBucket));
    await admin(env, 'DELETE', `tables/${arn}/${firstNamespace!.name}/${dropped.name}`);
    await admin(env, 'POST', 'tables', {
      tableBucketArn: arnOf(kmsTableBucket),
      namespace: firstNamespace!.name,
      table: added,
    });
    await admin(env, 'PUT', `tables/${arn}/${secondNamespace!.name}/${weakened.name}/encryption`, {
      encryption: { sseAlgorithm: 'AES256' },
    });
    const changed = withTables(fleet, (tableBucket) =>
      tableBucket !== kmsTableBucket
        ? tableBucket
        : {
            ...tableBucket,
            namespaces: (tableBucket.namespaces ?? []).map((namespace) => ({
              ...namespace,
              tables: (namespace.tables ?? [])
                .filter((table) => table !== dropped)
                .map((table) =>
                  table === weakened ? { ...table, encryption: { sseAlgorithm: 'AES256' } } : table,
                )
                .concat(namespace === firstNamespace ? [added] : []),
            })),
          },
    );

    const second = await env.runScan();
    expect(await openFindingRules(dataSource)).toEqual(expectedFindings(changed));
    const tables = await dataSource.query<
      { name: string; resource_key: string; first_seen_scan_id: number; deleted_scan_id: number | null }[]
    >(
      `SELECT name, resource_key, first_seen_scan_id, deleted_scan_id FROM resources WHERE kind = 'table' ORDER BY name`,
    );
    // Table names repeat across table buckets: look in the one that changed.
    const byName = (name: string) =>
      tables.find(
        (row) =>
          row.resource_key.startsWith(`${arnOf(kmsTableBucket)}/`) &&
          (row.name === name || row.name.endsWith(`/${name}`)),
      );
    expect(byName(dropped.name)?.deleted_scan_id).toBe(second.id);
    expect(byName(added.name)).toMatchObject({ first_seen_scan_id: second.id, deleted_scan_id: null });
    // The weakened table, and the new unencrypted one, are weaker than their KMS table bucket.
    const weaker = (await allFindings(dataSource)).filter(
      (finding) => finding.openedScanId === second.id && finding.rule === 'table_weaker_than_bucket',
    );
    expect(weaker.map((finding) => finding.resourceKey).sort()).toEqual(
      [byName(weakened.name)?.resource_key, byName(added.name)?.resource_key].sort(),
    );
    expect(tables.filter((row) => row.deleted_scan_id !== null)).toHaveLength(1);

    // A table bucket lists its children: its tables, the dropped one with state=all.
    const children = async (state: 'present' | 'all') =>
      (
        await new ResourceQueryRepository(dataSource).list(
          { parentKey: arnOf(kmsTableBucket), state },
          { limit: 100 },
        )
      ).items.map((resource) => resource.ref.resourceKey);
    const inBucket = tables
      .filter((row) => row.resource_key.startsWith(`${arnOf(kmsTableBucket)}/`))
      .map((row) => row.resource_key);
    expect((await children('all')).sort()).toEqual([...inBucket].sort());
    expect((await children('present')).sort()).toEqual(
      inBucket.filter((key) => key !== byName(dropped.name)?.resource_key).sort(),
    );
  }, 120_000);
});

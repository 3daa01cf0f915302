import type { BucketSpec, FleetSpec } from '@app/oss-emulator';

import {
  APPEARING_BUCKET,
  changeTarget,
  DEMO_CMK_ID,
  DEMO_REGIONS,
  demoFleet,
  planFleetChanges,
} from './demo-fleet';
import { DemoError } from './demo-error';

function buckets(fleet: FleetSpec): BucketSpec[] {
  return fleet.accounts.flatMap((account) => account.buckets);
}

function bucketClass(bucket: BucketSpec): string {
  const encryption = bucket.encryption ?? null;
  if (encryption === null) return 'none';
  if (encryption.sseAlgorithm !== 'KMS') return encryption.sseAlgorithm;
  if (encryption.kmsDataEncryption !== undefined) return 'KMS+SM4';
  return encryption.kmsMasterKeyId === undefined ? 'KMS default' : 'KMS+CMK';
}

describe('demoFleet', () => {
  const fleet = demoFleet();

  it('has 3 accounts, 200 buckets, 10 table buckets and 60 tables over the 3 demo regions', () => {
    expect(fleet.accounts).toHaveLength(3);
    expect(buckets(fleet)).toHaveLength(200);
    expect(fleet.accounts.flatMap((account) => account.tableBuckets)).toHaveLength(10);
    expect(new Set(buckets(fleet).map((bucket) => bucket.region))).toEqual(new Set(DEMO_REGIONS));
  });

  it('has buckets of every encryption class, and denied buckets and table buckets', () => {
    expect(new Set(buckets(fleet).map(bucketClass))).toEqual(
      new Set(['none', 'AES256', 'SM4', 'KMS default', 'KMS+CMK', 'KMS+SM4']),
    );
    expect(buckets(fleet).filter((bucket) => bucket.deny !== undefined)).toHaveLength(2);
    expect(
      fleet.accounts.flatMap((account) => account.tableBuckets).filter((table) => table.deny !== undefined),
    ).toHaveLength(1);
    const tables = fleet.accounts.flatMap((account) =>
      account.tableBuckets.flatMap((tableBucket) =>
        (tableBucket.namespaces ?? []).flatMap((namespace) => namespace.tables ?? []),
      ),
    );
    expect(tables).toHaveLength(60);
    expect(tables.filter((table) => table.deny !== undefined)).toHaveLength(2);
  });

  it('is the same fleet every time', () => {
    expect(demoFleet()).toEqual(fleet);
  });

  it('starts with readable buckets behind a Disabled key and behind one pending deletion', () => {
    const stateOfKeyBehind = new Map<string, string>();
    for (const account of fleet.accounts) {
      const keys = new Map((account.kmsKeys ?? []).map((key) => [key.keyId, key]));
      for (const bucket of account.buckets) {
        const key = keys.get(bucket.encryption?.kmsMasterKeyId ?? '');
        if (bucket.deny === undefined && key !== undefined && key.deny === undefined) {
          stateOfKeyBehind.set(bucket.name, key.keyState ?? 'Enabled');
        }
      }
    }
    const states = [...stateOfKeyBehind.values()];
    expect(states).toContain('Disabled');
    expect(states).toContain('PendingDeletion');
  });
});

describe('planFleetChanges', () => {
  const fleet = demoFleet();
  const changes = planFleetChanges(fleet);
  const byName = new Map(buckets(fleet).map((bucket) => [bucket.name, bucket]));

  it('makes one change of every kind the audit tells apart', () => {
    expect(changes.map((change) => change.kind).sort()).toEqual([
      'create-bucket',
      'create-kms-key',
      'delete-bucket',
      'delete-bucket-encryption',
      'put-bucket-encryption',
      'put-bucket-encryption',
      'put-bucket-encryption',
      'put-table-bucket-encryption',
      'schedule-key-deletion',
    ]);
  });

  it('changes distinct resources the auditor may read, each with its owner key', () => {
    const targets = changes.map(changeTarget);
    expect(new Set(targets).size).toBe(targets.length);
    for (const change of changes) {
      const owner = fleet.accounts.find((account) => account.id === change.accountId);
      expect(owner?.accessKeys[0]).toEqual(change.credentials);
      if (
        change.kind === 'put-bucket-encryption' ||
        change.kind === 'delete-bucket-encryption' ||
        change.kind === 'delete-bucket'
      ) {
        const bucket = byName.get(change.bucket);
        expect(bucket?.deny).toBeUndefined();
        expect(owner?.buckets).toContain(bucket);
      }
    }
  });

  it('moves each changed bucket from the class it has to a stronger, weaker or no encryption', () => {
    const transitions = changes.flatMap((change) => {
      switch (change.kind) {
        case 'put-bucket-encryption':
          return [
            [
              change.kind,
              bucketClass(byName.get(change.bucket)!),
              bucketClass({ name: change.bucket, region: change.region, encryption: change.encryption }),
            ],
          ];
        case 'delete-bucket-encryption':
        case 'delete-bucket':
          return [[change.kind, bucketClass(byName.get(change.bucket)!)]];
        case 'put-table-bucket-encryption':
        case 'create-bucket':
        case 'create-kms-key':
        case 'schedule-key-deletion':
          return [];
      }
    });
    expect(transitions).toEqual([
      ['put-bucket-encryption', 'none', 'KMS+CMK'],
      ['delete-bucket-encryption', 'KMS+CMK'],
      ['put-bucket-encryption', 'KMS+CMK', 'AES256'],
      ['put-bucket-encryption', 'AES256', 'KMS default'],
      ['delete-bucket', 'SM4'],
    ]);
  });

  it('spreads the bucket changes over more than one account', () => {
    const accounts = new Set(
      changes.filter((change) => change.kind !== 'create-bucket').map((c) => c.accountId),
    );
    expect(accounts.size).toBeGreaterThan(1);
  });

  it('creates the customer key the bucket it encrypts names, in that bucket’s account and region', () => {
    const created = changes.find((change) => change.kind === 'create-kms-key');
    const turnedOn = changes.find(
      (change) => change.kind === 'put-bucket-encryption' && change.encryption.kmsMasterKeyId === DEMO_CMK_ID,
    );
    expect(created).toMatchObject({ key: { keyId: DEMO_CMK_ID, deletionProtection: 'Enabled' } });
    expect(turnedOn).toMatchObject({ accountId: created?.accountId, region: created?.key.region });
  });

  it('schedules the deletion of an enabled customer key that a readable bucket uses', () => {
    const scheduled = changes.find((change) => change.kind === 'schedule-key-deletion');
    const key = fleet.accounts
      .flatMap((account) => account.kmsKeys ?? [])
      .find((k) => k.keyId === scheduled?.keyId);
    expect(key?.keyState ?? 'Enabled').toBe('Enabled');
    expect(
      buckets(fleet).some(
        (bucket) => bucket.deny === undefined && bucket.encryption?.kmsMasterKeyId === scheduled?.keyId,
      ),
    ).toBe(true);
  });

  it('creates a bucket the fleet does not have yet', () => {
    expect(byName.has(APPEARING_BUCKET)).toBe(false);
    expect(
      changes.some((change) => change.kind === 'create-bucket' && change.bucket.name === APPEARING_BUCKET),
    ).toBe(true);
  });

  it('refuses a fleet without the resources it needs, with a coded error', () => {
    const empty: FleetSpec = { accounts: [{ id: '1', accessKeys: [], buckets: [], tableBuckets: [] }] };
    let thrown: unknown;
    try {
      planFleetChanges(empty);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DemoError);
    expect((thrown as DemoError).code).toBe('FLEET_UNSUITABLE');
  });
});

import { generateFleet } from './fleet-generator';
import { FleetState } from './fleet-state';
import type { BucketEncryptionSpec, FleetSpec } from './fleet.types';
import { thrownCode } from '../testing/thrown';

const REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'];
const OPTIONS = {
  accounts: 3,
  regions: REGIONS,
  buckets: 60,
  tableBuckets: 12,
  deniedBuckets: 4,
  deniedTableBuckets: 2,
};

function classOf(encryption: BucketEncryptionSpec | null | undefined): string {
  if (encryption === null || encryption === undefined) return 'none';
  if (encryption.sseAlgorithm !== 'KMS') return encryption.sseAlgorithm;
  if (encryption.kmsDataEncryption === 'SM4') return 'KMS+SM4';
  return encryption.kmsMasterKeyId === undefined ? 'KMS default' : 'KMS+CMK';
}

function allBuckets(fleet: FleetSpec) {
  return fleet.accounts.flatMap((account) => account.buckets);
}

describe('generateFleet', () => {
  it('is deterministic for a seed', () => {
    expect(generateFleet({ ...OPTIONS, seed: 7 })).toEqual(generateFleet({ ...OPTIONS, seed: 7 }));
  });

  it('differs between seeds', () => {
    expect(generateFleet({ ...OPTIONS, seed: 7 })).not.toEqual(generateFleet({ ...OPTIONS, seed: 8 }));
  });

  it('makes the requested numbers of accounts, buckets and table buckets', () => {
    const fleet = generateFleet(OPTIONS);
    expect(fleet.accounts).toHaveLength(3);
    expect(allBuckets(fleet)).toHaveLength(60);
    expect(fleet.accounts.flatMap((account) => account.tableBuckets)).toHaveLength(12);
  });

  it('gives every account digit ids, AccessKeys and one STS credential', () => {
    for (const account of generateFleet(OPTIONS).accounts) {
      expect(account.id).toMatch(/^[1-9]\d{15}$/);
      expect(account.accessKeys).toHaveLength(1);
      expect(account.stsCredentials).toHaveLength(1);
      expect(account.stsCredentials?.[0]?.securityToken).toMatch(/^CAIS/);
    }
  });

  it('covers every bucket encryption class and every region', () => {
    const buckets = allBuckets(generateFleet(OPTIONS));
    expect(new Set(buckets.map((bucket) => classOf(bucket.encryption)))).toEqual(
      new Set(['KMS+CMK', 'KMS default', 'KMS+SM4', 'AES256', 'SM4', 'none']),
    );
    expect(new Set(buckets.map((bucket) => bucket.region))).toEqual(new Set(REGIONS));
  });

  it('covers the table bucket classes: AES256, none, KMS with a key ARN, denied', () => {
    const tableBuckets = generateFleet(OPTIONS).accounts.flatMap((account) => account.tableBuckets);
    expect(
      new Set(tableBuckets.map((tableBucket) => tableBucket.encryption?.sseAlgorithm ?? 'none')),
    ).toEqual(new Set(['AES256', 'none', 'KMS']));
    expect(tableBuckets.filter((tableBucket) => tableBucket.deny === 'all')).toHaveLength(2);
    for (const tableBucket of tableBuckets.filter(
      (candidate) => candidate.encryption?.sseAlgorithm === 'KMS',
    )) {
      expect(tableBucket.encryption?.kmsKeyArn).toMatch(/^acs:kms:[a-z0-9-]+:\d+:key\/key-[0-9a-f]+$/);
    }
  });

  it('denies exactly the requested number of buckets', () => {
    expect(allBuckets(generateFleet(OPTIONS)).filter((bucket) => bucket.deny === 'all')).toHaveLength(4);
  });

  it('produces a fleet the emulator accepts (valid, globally unique names and keys)', () => {
    const state = new FleetState(generateFleet({ ...OPTIONS, buckets: 2000, tableBuckets: 60 }));
    expect(state.buckets.size).toBe(2000);
    expect(state.tableBuckets.size).toBe(60);
  });

  it('refuses nonsense sizes', () => {
    expect(thrownCode(() => generateFleet({ ...OPTIONS, accounts: 0 }))).toBe('INVALID_ARGUMENT');
    expect(thrownCode(() => generateFleet({ ...OPTIONS, regions: [] }))).toBe('INVALID_ARGUMENT');
  });

  describe('tables', () => {
    const WITH_TABLES = { ...OPTIONS, tableBuckets: 20, tablesPerTableBucket: 500, deniedTables: 7 };

    function tableBucketsOf(fleet: FleetSpec) {
      return fleet.accounts.flatMap((account) => account.tableBuckets);
    }

    it('are opt-in: without them a table bucket has no namespaces', () => {
      expect(
        tableBucketsOf(generateFleet(OPTIONS)).every((tableBucket) => tableBucket.namespaces === undefined),
      ).toBe(true);
    });

    function tableKeyIds(fleet: FleetSpec): Set<string> {
      return new Set(
        tableBucketsOf(fleet)
          .flatMap((tableBucket) =>
            (tableBucket.namespaces ?? []).flatMap((namespace) => namespace.tables ?? []),
          )
          .map((table) => table.encryption?.kmsKeyArn?.split('/').pop())
          .filter((keyId): keyId is string => keyId !== undefined && keyId !== ''),
      );
    }

    it('leave the accounts, buckets, table buckets and their keys of a seed as they were', () => {
      const without = generateFleet({ ...WITH_TABLES, tablesPerTableBucket: 0, deniedTables: 0 });
      const withTables = generateFleet(WITH_TABLES);
      const ofTables = tableKeyIds(withTables);
      const stripped = {
        ...withTables,
        accounts: withTables.accounts.map((account) => ({
          ...account,
          tableBuckets: account.tableBuckets.map(
            ({ namespaces: _namespaces, ...tableBucket }) => tableBucket,
          ),
          kmsKeys: (account.kmsKeys ?? []).filter((key) => !ofTables.has(key.keyId)),
        })),
      };
      expect(stripped).toEqual(without);
    });

    it('name keys the fleet holds, as buckets and table buckets do', () => {
      const fleet = generateFleet(WITH_TABLES);
      const held = new Set(
        fleet.accounts.flatMap((account) => (account.kmsKeys ?? []).map((key) => key.keyId)),
      );
      const named = [...tableKeyIds(fleet)];
      expect(named.length).toBeGreaterThan(0);
      expect(named.filter((keyId) => !held.has(keyId))).toEqual([]);
    });

    it('make the requested number per table bucket, one namespace per 100 by default', () => {
      for (const tableBucket of tableBucketsOf(generateFleet(WITH_TABLES))) {
        expect(tableBucket.namespaces).toHaveLength(5);
        expect(tableBucket.namespaces?.flatMap((namespace) => namespace.tables ?? [])).toHaveLength(500);
      }
      const twoNamespaces = generateFleet({
        ...WITH_TABLES,
        tablesPerTableBucket: 3,
        namespacesPerTableBucket: 2,
      });
      expect(
        tableBucketsOf(twoNamespaces)[0]?.namespaces?.map((namespace) => namespace.tables?.length),
      ).toEqual([2, 1]);
    });

    it('give every table bucket an AES256, a KMS and an unencrypted table', () => {
      for (const tableBucket of tableBucketsOf(generateFleet({ ...WITH_TABLES, tablesPerTableBucket: 3 }))) {
        const tables = tableBucket.namespaces?.flatMap((namespace) => namespace.tables ?? []) ?? [];
        expect(new Set(tables.map((table) => table.encryption?.sseAlgorithm ?? 'none'))).toEqual(
          new Set(['AES256', 'KMS', 'none']),
        );
        for (const table of tables.filter((candidate) => candidate.encryption?.sseAlgorithm === 'KMS')) {
          expect(table.encryption?.kmsKeyArn).toMatch(/^acs:kms:[a-z0-9-]+:\d+:key\/key-[0-9a-f]+$/);
        }
      }
    });

    it('deny GetTableEncryption on exactly the requested number of tables', () => {
      const denied = tableBucketsOf(generateFleet(WITH_TABLES))
        .flatMap((tableBucket) => tableBucket.namespaces ?? [])
        .flatMap((namespace) => namespace.tables ?? [])
        .filter((table) => table.deny !== undefined);
      expect(denied).toHaveLength(7);
      expect(denied.every((table) => JSON.stringify(table.deny) === '["GetTableEncryption"]')).toBe(true);
    });

    it('are deterministic for a seed and accepted by the emulator (10,000 tables)', () => {
      const fleet = generateFleet(WITH_TABLES);
      expect(generateFleet(WITH_TABLES)).toEqual(fleet);
      expect(new FleetState(fleet).tableCatalog.tableCount).toBe(10_000);
    });

    it('refuses nonsense table counts', () => {
      expect(thrownCode(() => generateFleet({ ...OPTIONS, tablesPerTableBucket: -1 }))).toBe(
        'INVALID_ARGUMENT',
      );
      expect(thrownCode(() => generateFleet({ ...OPTIONS, namespacesPerTableBucket: 0 }))).toBe(
        'INVALID_ARGUMENT',
      );
    });
  });

  describe('KMS keys', () => {
    const fleet = generateFleet(OPTIONS);
    const keys = fleet.accounts.flatMap((account) => account.kmsKeys ?? []);
    const namedKeyIds = [
      ...allBuckets(fleet).flatMap((bucket) => bucket.encryption?.kmsMasterKeyId ?? []),
      ...fleet.accounts.flatMap((account) =>
        account.tableBuckets.flatMap(
          (table) => /key\/(.+)$/.exec(table.encryption?.kmsKeyArn ?? '')?.[1] ?? [],
        ),
      ),
    ];

    it('creates every key a bucket or table bucket names, in that bucket region', () => {
      const byId = new Map(keys.map((key) => [key.keyId, key]));
      for (const bucket of allBuckets(fleet)) {
        const keyId = bucket.encryption?.kmsMasterKeyId;
        if (keyId !== undefined) expect(byId.get(keyId)?.region).toBe(bucket.region);
      }
      expect(namedKeyIds.every((keyId) => byId.has(keyId))).toBe(true);
    });

    it('covers every key state, both origins, rotation and deletion protection on and off', () => {
      expect(new Set(keys.map((key) => key.keyState ?? 'Enabled'))).toEqual(
        new Set(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport']),
      );
      expect(new Set(keys.map((key) => key.origin ?? 'Aliyun_KMS'))).toEqual(
        new Set(['Aliyun_KMS', 'EXTERNAL']),
      );
      expect(new Set(keys.map((key) => key.automaticRotation ?? 'Disabled'))).toEqual(
        new Set(['Enabled', 'Disabled']),
      );
      expect(new Set(keys.map((key) => key.deletionProtection ?? 'Disabled'))).toEqual(
        new Set(['Enabled', 'Disabled']),
      );
    });

    it('gives each account the OSS service key, alias/acs/oss created by Oss, in each of its bucket regions', () => {
      for (const account of fleet.accounts) {
        const serviceRegions = (account.kmsKeys ?? [])
          .filter((key) => key.creator === 'Oss' && key.aliases?.includes('alias/acs/oss') === true)
          .map((key) => key.region);
        expect(new Set(serviceRegions)).toEqual(new Set(account.buckets.map((bucket) => bucket.region)));
      }
    });

    it('leaves the requested number of named keys out, and the buckets exactly as without', () => {
      const withMissing = generateFleet({ ...OPTIONS, missingKmsKeys: 3 });
      const present = new Set(
        withMissing.accounts.flatMap((account) => (account.kmsKeys ?? []).map((key) => key.keyId)),
      );
      expect(namedKeyIds.filter((keyId) => !present.has(keyId))).toHaveLength(3);
      expect(allBuckets(withMissing)).toEqual(allBuckets(fleet));
      expect(withMissing.accounts.map((account) => account.tableBuckets)).toEqual(
        fleet.accounts.map((account) => account.tableBuckets),
      );
    });

    it('is accepted by the emulator state', () => {
      expect(new FleetState(fleet).kmsKeys.size).toBe(keys.length);
    });

    it('shares at most kmsKeysPerRegion keys per account and region, naming each fleet key again in turn', () => {
      const shared = generateFleet({
        ...OPTIONS,
        buckets: 240,
        tablesPerTableBucket: 9,
        kmsKeysPerRegion: 2,
      });
      for (const account of shared.accounts) {
        const byRegion = new Map<string, Set<string>>();
        const name = (region: string, keyId: string | undefined) => {
          if (keyId === undefined || keyId === '') return;
          byRegion.set(region, (byRegion.get(region) ?? new Set()).add(keyId));
        };
        for (const bucket of account.buckets) name(bucket.region, bucket.encryption?.kmsMasterKeyId);
        for (const tableBucket of account.tableBuckets) {
          name(tableBucket.region, tableBucket.encryption?.kmsKeyArn?.split('/').pop());
          for (const table of (tableBucket.namespaces ?? []).flatMap((namespace) => namespace.tables ?? [])) {
            name(tableBucket.region, table.encryption?.kmsKeyArn?.split('/').pop());
          }
        }
        const held = new Set((account.kmsKeys ?? []).map((key) => key.keyId));
        for (const keyIds of byRegion.values()) {
          expect(keyIds.size).toBe(2);
          expect([...keyIds].every((keyId) => held.has(keyId))).toBe(true);
        }
      }
      // Only the keys change: the same buckets, classes and regions as without sharing.
      const unshared = generateFleet({ ...OPTIONS, buckets: 240, tablesPerTableBucket: 9 });
      expect(allBuckets(shared).map((bucket) => [bucket.name, classOf(bucket.encryption)])).toEqual(
        allBuckets(unshared).map((bucket) => [bucket.name, classOf(bucket.encryption)]),
      );
    });

    it('refuses a kmsKeysPerRegion that is not a positive integer', () => {
      expect(thrownCode(() => generateFleet({ ...OPTIONS, kmsKeysPerRegion: 0 }))).toBe('INVALID_ARGUMENT');
    });
  });
});

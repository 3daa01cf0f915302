import { EmulatorError } from '../emulator-error';
import type { NamespaceSpec, TableSpec } from './fleet.types';
import type {
  AccountSpec,
  BucketEncryptionSpec,
  KmsKeySpec,
  BucketSpec,
  FleetSpec,
  TableBucketEncryptionSpec,
  TableBucketSpec,
  TableBucketWithoutEncryptionMode,
} from './fleet.types';
import {
  randomDigits,
  randomHex,
  randomInt,
  randomString,
  seededRandom,
  type RandomSource,
} from './seeded-random';

export interface GenerateFleetOptions {
  readonly accounts: number;
  /** Region ids, e.g. `cn-hangzhou`. */
  readonly regions: readonly string[];
  /** OSS buckets in total, spread over accounts and regions. */
  readonly buckets: number;
  /** Table buckets in total, spread over accounts and regions. */
  readonly tableBuckets: number;
  /** Same seed, same fleet (names, keys, classes). Default 1. */
  readonly seed?: number;
  /** How many OSS buckets answer every call with 403 AccessDenied (bucket-level `deny: all`). */
  readonly deniedBuckets?: number;
  /** How many table buckets answer every call with 403. */
  readonly deniedTableBuckets?: number;
  /** AccessKey pairs per account; default 1. */
  readonly accessKeysPerAccount?: number;
  /** Expiry of every account's STS credential; never expires when absent. */
  readonly stsExpiresAt?: string;
  /** Bucket name prefix; default `fleet`. */
  readonly bucketPrefix?: string;
  readonly tableBucketWithoutEncryption?: TableBucketWithoutEncryptionMode;
  /**
   * Tables in every table bucket; default 0 (no namespaces). Opt-in, and drawn from a random
   * stream of their own, so the buckets and table buckets of a seed stay the same either way.
   */
  readonly tablesPerTableBucket?: number;
  /** Namespaces the tables of a table bucket spread over; default one per 100 tables (at least 1). */
  readonly namespacesPerTableBucket?: number;
  /** How many tables, evenly spread over the fleet, deny GetTableEncryption. */
  readonly deniedTables?: number;
  /**
   * How many of the KMS keys the buckets and table buckets name are left out of the fleet, so
   * DescribeKey answers Forbidden.KeyNotFound for them (evenly spread). Default 0.
   */
  readonly missingKmsKeys?: number;
  /**
   * At most this many customer keys per account and region, as organisations share a few keys
   * across many buckets: later buckets, table buckets and tables that name a key name one of the
   * first ones again (round robin). Default: each names a key of its own.
   */
  readonly kmsKeysPerRegion?: number;
}

/** The encryption classes of a generated bucket (denial is orthogonal). */
export const BUCKET_CLASSES = ['kms-cmk', 'kms-default', 'kms-sm4', 'aes256', 'sm4', 'none'] as const;
export type BucketClass = (typeof BUCKET_CLASSES)[number];

export const TABLE_BUCKET_CLASSES = ['aes256', 'none', 'kms'] as const;
export type TableBucketClass = (typeof TABLE_BUCKET_CLASSES)[number];

/**
 * The encryption classes of a generated table; the first three tables of every table bucket take
 * one each, so every table bucket holds tables weaker and stronger than its default.
 */
export const TABLE_CLASSES = ['aes256', 'kms', 'none'] as const;
export type TableClass = (typeof TABLE_CLASSES)[number];

/** Offsets the seed of the tables' own random stream from the fleet's. */
const TABLES_SEED_OFFSET = 0x7ab1e5;
const TABLES_PER_NAMESPACE = 100;
const YEAR_MS = 365 * 24 * 3600 * 1000;

const STORAGE_CLASSES = ['Standard', 'Standard', 'Standard', 'IA', 'Archive', 'ColdArchive'];
const CREATION_EPOCH_MS = Date.UTC(2020, 0, 1);
const CREATION_SPAN_MS = 5 * 365 * 24 * 3600 * 1000;

function kmsKeyId(random: RandomSource): string {
  return `${randomHex(random, 8)}-${randomHex(random, 4)}-${randomHex(random, 4)}-${randomHex(random, 4)}-${randomHex(random, 12)}`;
}

function bucketEncryption(kind: BucketClass, random: RandomSource): BucketEncryptionSpec | null {
  switch (kind) {
    case 'kms-cmk':
      return { sseAlgorithm: 'KMS', kmsMasterKeyId: kmsKeyId(random) };
    case 'kms-default':
      return { sseAlgorithm: 'KMS' };
    case 'kms-sm4':
      return { sseAlgorithm: 'KMS', kmsMasterKeyId: kmsKeyId(random), kmsDataEncryption: 'SM4' };
    case 'aes256':
      return { sseAlgorithm: 'AES256' };
    case 'sm4':
      return { sseAlgorithm: 'SM4' };
    case 'none':
      return null;
  }
}

function tableEncryption(
  kind: TableBucketClass,
  region: string,
  accountId: string,
  random: RandomSource,
): TableBucketEncryptionSpec | null {
  switch (kind) {
    case 'aes256':
      return { sseAlgorithm: 'AES256', kmsKeyArn: '' };
    case 'kms':
      return {
        sseAlgorithm: 'KMS',
        kmsKeyArn: `acs:kms:${region}:${accountId}:key/key-${randomHex(random, 20)}`,
      };
    case 'none':
      return null;
  }
}

function tablesCreatedAt(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** What the table generation needs across table buckets. */
interface TablesDraft {
  readonly random: RandomSource;
  readonly perTableBucket: number;
  readonly namespaces: number;
  readonly denied: ReadonlySet<number>;
}

/** The namespaces of one table bucket, its tables spread over them round-robin. */
function generateNamespaces(
  draft: TablesDraft,
  tableBucketIndex: number,
  region: string,
  accountId: string,
  tableBucketCreated: Date,
): NamespaceSpec[] {
  const { random, perTableBucket, namespaces: namespaceCount } = draft;
  const namespaceWidth = String(Math.max(namespaceCount, 1) - 1).length;
  const tableWidth = String(Math.max(perTableBucket, 1) - 1).length;
  const namespaces = Array.from({ length: namespaceCount }, (_, index) => ({
    name: `ns_${String(index).padStart(namespaceWidth, '0')}`,
    createdAt: tablesCreatedAt(tableBucketCreated),
    tables: [] as TableSpec[],
  }));
  for (let i = 0; i < perTableBucket; i++) {
    const namespace = namespaces[i % namespaceCount];
    if (namespace === undefined) continue;
    const kind = pickClass(TABLE_CLASSES, i, random);
    const created = new Date(tableBucketCreated.getTime() + Math.floor((random() * YEAR_MS) / 1000) * 1000);
    namespace.tables.push({
      name: `t_${String(i).padStart(tableWidth, '0')}`,
      createdAt: tablesCreatedAt(created),
      encryption: tableEncryption(kind, region, accountId, random),
      ...(draft.denied.has(tableBucketIndex * perTableBucket + i)
        ? { deny: ['GetTableEncryption' as const] }
        : {}),
    });
  }
  return namespaces;
}

/** Spreads `denied` picks evenly over `total` items. */
function evenlySpaced(total: number, denied: number): Set<number> {
  const picked = new Set<number>();
  const count = Math.min(denied, total);
  for (let i = 0; i < count; i++) picked.add(Math.floor(((i + 0.5) * total) / count));
  return picked;
}

/** Every class appears once within the first items, then classes are drawn at random. */
function pickClass<T>(classes: readonly T[], index: number, random: RandomSource): T {
  const chosen = index < classes.length ? classes[index] : classes[randomInt(random, classes.length)];
  if (chosen === undefined) throw new Error('empty class list');
  return chosen;
}

function isoAt(random: RandomSource): Date {
  return new Date(CREATION_EPOCH_MS + Math.floor((random() * CREATION_SPAN_MS) / 1000) * 1000);
}

/** A KMS key the fleet's buckets or table buckets name. */
interface KeyReference {
  readonly accountId: string;
  readonly region: string;
  readonly keyId: string;
}

const TABLE_KEY_ARN = /^acs:kms:([a-z0-9-]+):(\d+):key\/(.+)$/;
const KEY_EPOCH_MS = Date.UTC(2021, 0, 1);
const KEY_SPAN_MS = 3 * 365 * 24 * 3600 * 1000;

function keyReferences(
  accounts: readonly { id: string; buckets: BucketSpec[]; tableBuckets: TableBucketSpec[] }[],
) {
  const references = new Map<string, KeyReference>();
  for (const account of accounts) {
    for (const bucket of account.buckets) {
      const keyId = bucket.encryption?.kmsMasterKeyId;
      if (keyId !== undefined) references.set(keyId, { accountId: account.id, region: bucket.region, keyId });
    }
    for (const tableBucket of account.tableBuckets) {
      const match = TABLE_KEY_ARN.exec(tableBucket.encryption?.kmsKeyArn ?? '');
      if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) {
        references.set(match[3], { accountId: match[2], region: match[1], keyId: match[3] });
      }
    }
  }
  // Tables last, so the keys of buckets and table buckets keep their attributes with or without tables.
  for (const table of accounts.flatMap(tablesOf)) {
    const match = TABLE_KEY_ARN.exec(table.encryption?.kmsKeyArn ?? '');
    if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) {
      references.set(match[3], { accountId: match[2], region: match[1], keyId: match[3] });
    }
  }
  return [...references.values()];
}

function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The attributes of the `index`-th referenced key: a fixed pattern, so every state, origin,
 * rotation and protection setting appears in any fleet of eight keys or more.
 */
function customerKey(reference: KeyReference, index: number, random: RandomSource): KmsKeySpec {
  const creationMs = KEY_EPOCH_MS + Math.floor((random() * KEY_SPAN_MS) / 1000) * 1000;
  const slot = index % 8;
  const external = slot === 6 || slot === 7;
  const keyState =
    slot === 2 ? 'Disabled' : slot === 4 ? 'PendingDeletion' : slot === 6 ? 'PendingImport' : 'Enabled';
  return {
    keyId: reference.keyId,
    region: reference.region,
    keyState,
    origin: external ? 'EXTERNAL' : 'Aliyun_KMS',
    protectionLevel: index % 5 === 3 ? 'HSM' : 'SOFTWARE',
    creationDate: isoSeconds(creationMs),
    automaticRotation: index % 3 === 0 ? 'Enabled' : 'Disabled',
    deletionProtection: index % 4 === 1 ? 'Enabled' : 'Disabled',
    ...(keyState === 'PendingDeletion'
      ? { deleteDate: isoSeconds(Date.UTC(2026, 0, 1) + index * 86_400_000) }
      : {}),
    ...(slot === 7 ? { materialExpireTime: isoSeconds(Date.UTC(2027, 0, 1)) } : {}),
    ...(index % 5 === 0 ? { aliases: [`alias/fleet-key-${index}`] } : {}),
  };
}

/** The OSS service key of an account in a region: created by OSS, reached as `alias/acs/oss`. */
function ossServiceKey(accountId: string, region: string): KmsKeySpec {
  return {
    keyId: `key-oss-${region}-${accountId}`,
    region,
    creator: 'Oss',
    deletionProtection: 'Enabled',
    aliases: ['alias/acs/oss'],
  };
}

/**
 * The KMS keys of a generated fleet: every key a bucket or table bucket names (but the
 * `missing` ones), with varied attributes from their own dice so the buckets stay exactly as
 * without keys, and the OSS service key of each account in each region it has buckets in.
 */
function tablesOf(account: { tableBuckets: TableBucketSpec[] }): TableSpec[] {
  return account.tableBuckets.flatMap((tableBucket) =>
    (tableBucket.namespaces ?? []).flatMap((namespace) => [...(namespace.tables ?? [])]),
  );
}

/**
 * Rewrites the key references of `account` so that each region names at most `limit` distinct
 * keys: the first `limit` keep theirs, every later one takes one of those, round robin.
 */
function shareKeys(
  account: { id: string; buckets: BucketSpec[]; tableBuckets: TableBucketSpec[] },
  limit: number,
): void {
  const kept = new Map<string, string[]>();
  const seen = new Map<string, number>();
  const shared = (region: string, keyId: string): string => {
    const keys = kept.get(region) ?? [];
    kept.set(region, keys);
    if (keys.includes(keyId)) return keyId;
    if (keys.length < limit) {
      keys.push(keyId);
      return keyId;
    }
    const turn = seen.get(region) ?? 0;
    seen.set(region, turn + 1);
    return keys[turn % limit] ?? keyId;
  };
  const sharedArn = (region: string, arn: string | undefined): string | undefined => {
    const match = TABLE_KEY_ARN.exec(arn ?? '');
    return match?.[3] === undefined ? arn : `acs:kms:${region}:${account.id}:key/${shared(region, match[3])}`;
  };
  account.buckets.forEach((bucket, index) => {
    const keyId = bucket.encryption?.kmsMasterKeyId;
    if (bucket.encryption == null || keyId === undefined) return;
    account.buckets[index] = {
      ...bucket,
      encryption: { ...bucket.encryption, kmsMasterKeyId: shared(bucket.region, keyId) },
    };
  });
  account.tableBuckets.forEach((tableBucket, index) => {
    const region = tableBucket.region;
    const withSharedKey = <T extends { encryption?: TableBucketEncryptionSpec | null }>(spec: T): T =>
      spec.encryption == null
        ? spec
        : {
            ...spec,
            encryption: { ...spec.encryption, kmsKeyArn: sharedArn(region, spec.encryption.kmsKeyArn) },
          };
    account.tableBuckets[index] = {
      ...withSharedKey(tableBucket),
      ...(tableBucket.namespaces === undefined
        ? {}
        : {
            namespaces: tableBucket.namespaces.map((namespace) => ({
              ...namespace,
              ...(namespace.tables === undefined ? {} : { tables: namespace.tables.map(withSharedKey) }),
            })),
          }),
    };
  });
}

function generateKmsKeys(
  accounts: readonly { id: string; buckets: BucketSpec[]; tableBuckets: TableBucketSpec[] }[],
  seed: number,
  missing: number,
): Map<string, KmsKeySpec[]> {
  const random = seededRandom(seed * 7_919 + 17);
  const references = keyReferences(accounts);
  const omitted = evenlySpaced(references.length, missing);
  const keys = new Map<string, KmsKeySpec[]>(accounts.map((account) => [account.id, []]));
  references.forEach((reference, index) => {
    if (!omitted.has(index)) keys.get(reference.accountId)?.push(customerKey(reference, index, random));
  });
  for (const account of accounts) {
    const regions = new Set(account.buckets.map((bucket) => bucket.region));
    for (const region of [...regions].sort()) keys.get(account.id)?.push(ossServiceKey(account.id, region));
  }
  return keys;
}

/**
 * A deterministic fleet of the given size: accounts with AccessKeys and one STS credential each,
 * buckets of every encryption class across the regions, table buckets (with namespaces and tables
 * when asked), denied buckets and tables, and the KMS keys they name (in every key state) plus each
 * account's OSS service key per region.
 */
export function generateFleet(options: GenerateFleetOptions): FleetSpec {
  const { accounts: accountCount, regions, buckets: bucketCount, tableBuckets: tableBucketCount } = options;
  if (!Number.isInteger(accountCount) || accountCount < 1) {
    throw new EmulatorError('INVALID_ARGUMENT', 'accounts must be a positive integer.');
  }
  if (regions.length === 0) throw new EmulatorError('INVALID_ARGUMENT', 'regions must not be empty.');
  if (
    !Number.isInteger(bucketCount) ||
    bucketCount < 0 ||
    !Number.isInteger(tableBucketCount) ||
    tableBucketCount < 0
  ) {
    throw new EmulatorError('INVALID_ARGUMENT', 'buckets and tableBuckets must be non-negative integers.');
  }
  const random = seededRandom(options.seed ?? 1);
  const prefix = options.bucketPrefix ?? 'fleet';
  const keysPerAccount = options.accessKeysPerAccount ?? 1;

  const drafts = Array.from({ length: accountCount }, (_, index) => {
    const id = `${1 + randomInt(random, 9)}${randomDigits(random, 15)}`;
    const accessKeys = Array.from({ length: keysPerAccount }, () => ({
      accessKeyId: `LTAI5t${randomString(random, 18)}`,
      accessKeySecret: randomString(random, 30),
    }));
    const sts = {
      accessKeyId: `STS.NU${randomString(random, 22)}`,
      accessKeySecret: randomString(random, 44),
      securityToken: `CAIS${randomString(random, 300)}`,
      ...(options.stsExpiresAt === undefined ? {} : { expiresAt: options.stsExpiresAt }),
    };
    return {
      id,
      displayName: `account-${index + 1}`,
      accessKeys,
      stsCredentials: [sts],
      buckets: [] as BucketSpec[],
      tableBuckets: [] as TableBucketSpec[],
    };
  });

  const deniedBuckets = evenlySpaced(bucketCount, options.deniedBuckets ?? 0);
  const width = String(Math.max(bucketCount, 1) - 1).length;
  for (let i = 0; i < bucketCount; i++) {
    const account = drafts[i % accountCount];
    const region = regions[Math.floor(i / accountCount) % regions.length];
    if (account === undefined || region === undefined) continue;
    const kind = pickClass(BUCKET_CLASSES, i, random);
    account.buckets.push({
      name: `${prefix}-${String(i).padStart(width, '0')}-${region}`,
      region,
      creationDate: isoAt(random).toISOString(),
      storageClass: STORAGE_CLASSES[randomInt(random, STORAGE_CLASSES.length)] ?? 'Standard',
      encryption: bucketEncryption(kind, random),
      ...(deniedBuckets.has(i) ? { deny: 'all' as const } : {}),
    });
  }

  const tablesPerTableBucket = options.tablesPerTableBucket ?? 0;
  if (!Number.isInteger(tablesPerTableBucket) || tablesPerTableBucket < 0) {
    throw new EmulatorError('INVALID_ARGUMENT', 'tablesPerTableBucket must be a non-negative integer.');
  }
  const namespaceCount =
    options.namespacesPerTableBucket ?? Math.max(1, Math.ceil(tablesPerTableBucket / TABLES_PER_NAMESPACE));
  if (!Number.isInteger(namespaceCount) || namespaceCount < 1) {
    throw new EmulatorError('INVALID_ARGUMENT', 'namespacesPerTableBucket must be a positive integer.');
  }
  const tablesDraft: TablesDraft = {
    random: seededRandom(((options.seed ?? 1) + TABLES_SEED_OFFSET) >>> 0),
    perTableBucket: tablesPerTableBucket,
    namespaces: namespaceCount,
    denied: evenlySpaced(tableBucketCount * tablesPerTableBucket, options.deniedTables ?? 0),
  };

  const deniedTables = evenlySpaced(tableBucketCount, options.deniedTableBuckets ?? 0);
  const tableWidth = String(Math.max(tableBucketCount, 1) - 1).length;
  for (let i = 0; i < tableBucketCount; i++) {
    const account = drafts[i % accountCount];
    const region = regions[Math.floor(i / accountCount) % regions.length];
    if (account === undefined || region === undefined) continue;
    const kind = pickClass(TABLE_BUCKET_CLASSES, i, random);
    const created = isoAt(random);
    account.tableBuckets.push({
      name: `tables-${String(i).padStart(tableWidth, '0')}`,
      region,
      createdAt: tablesCreatedAt(created),
      encryption: tableEncryption(kind, region, account.id, random),
      ...(deniedTables.has(i) ? { deny: 'all' as const } : {}),
      ...(tablesPerTableBucket === 0
        ? {}
        : { namespaces: generateNamespaces(tablesDraft, i, region, account.id, created) }),
    });
  }

  const keysPerRegion = options.kmsKeysPerRegion;
  if (keysPerRegion !== undefined) {
    if (!Number.isInteger(keysPerRegion) || keysPerRegion < 1) {
      throw new EmulatorError('INVALID_ARGUMENT', 'kmsKeysPerRegion must be a positive integer.');
    }
    for (const draft of drafts) shareKeys(draft, keysPerRegion);
  }
  const kmsKeys = generateKmsKeys(drafts, options.seed ?? 1, options.missingKmsKeys ?? 0);
  const accounts: AccountSpec[] = drafts.map((draft) => ({ ...draft, kmsKeys: kmsKeys.get(draft.id) ?? [] }));
  return {
    accounts,
    ...(options.tableBucketWithoutEncryption === undefined
      ? {}
      : { tableBucketWithoutEncryption: options.tableBucketWithoutEncryption }),
  };
}

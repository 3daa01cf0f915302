import {
  generateFleet,
  tableBucketArn,
  type AccessKeySpec,
  type AccountSpec,
  type BucketEncryptionSpec,
  type BucketSpec,
  type FleetSpec,
  type KmsKeySpec,
  type TableBucketEncryptionSpec,
} from '@app/oss-emulator';

import { DemoError } from './demo-error';

/** The regions of the demo fleet. */
export const DEMO_REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'] as const;

/**
 * The demo's organisation: 3 accounts over 3 regions, 200 buckets and 10 table buckets of every
 * encryption class, each table bucket with 6 tables in 2 namespaces (tables weaker and stronger than
 * their bucket), 2 buckets, 1 table bucket and 2 tables that deny the auditor. Same seed, same fleet,
 * so a second demo run against the same database finds the same resources.
 */
export function demoFleet(): FleetSpec {
  return generateFleet({
    accounts: 3,
    regions: DEMO_REGIONS,
    buckets: 200,
    tableBuckets: 10,
    tablesPerTableBucket: 6,
    namespacesPerTableBucket: 2,
    deniedBuckets: 2,
    deniedTableBuckets: 1,
    deniedTables: 2,
    seed: 20_250_417,
  });
}

/** Who makes a change: the owning account and the AccessKey it signs with. */
interface ChangeActor {
  readonly accountId: string;
  readonly credentials: AccessKeySpec;
}

/** One change made to the fleet between the demo's two scans, and why it matters to the audit. */
export type FleetChange = ChangeActor & { readonly expected: string } & (
    | {
        readonly kind: 'put-bucket-encryption';
        readonly bucket: string;
        readonly region: string;
        readonly encryption: BucketEncryptionSpec;
      }
    | { readonly kind: 'delete-bucket-encryption'; readonly bucket: string; readonly region: string }
    | { readonly kind: 'delete-bucket'; readonly bucket: string; readonly region: string }
    | {
        readonly kind: 'put-table-bucket-encryption';
        readonly arn: string;
        readonly region: string;
        readonly encryption: TableBucketEncryptionSpec;
      }
    | { readonly kind: 'create-bucket'; readonly bucket: BucketSpec }
    | { readonly kind: 'create-kms-key'; readonly key: KmsKeySpec }
    | {
        readonly kind: 'schedule-key-deletion';
        readonly keyId: string;
        readonly region: string;
        readonly deleteDate: string;
      }
  );

/** A customer master key the demo turns encryption on with (a KMS key id, as OSS stores it). */
export const DEMO_CMK_ID = '5b1e6a3c-0d7f-4c2e-9a8b-demo00000001';

/** When the key the demo schedules for deletion goes: a week after the demo's fleet date. */
export const DEMO_KEY_DELETE_DATE = '2026-12-31T00:00:00.000Z';

/** The bucket that appears between the scans. */
export const APPEARING_BUCKET = 'demo-new-reports';

type BucketPick = (bucket: BucketSpec) => boolean;

const readable = (bucket: BucketSpec): boolean => bucket.deny === undefined;
const unencrypted: BucketPick = (bucket) => readable(bucket) && (bucket.encryption ?? null) === null;
const customerKey: BucketPick = (bucket) =>
  readable(bucket) &&
  bucket.encryption?.sseAlgorithm === 'KMS' &&
  bucket.encryption.kmsMasterKeyId !== undefined &&
  bucket.encryption.kmsDataEncryption === undefined;
const ossManaged =
  (algorithm: 'AES256' | 'SM4'): BucketPick =>
  (bucket) =>
    readable(bucket) && bucket.encryption?.sseAlgorithm === algorithm;

/**
 * The changes the demo makes between its two scans, picked from the fleet so that every kind of
 * drift shows: encryption turned on (with a customer key created for it), removed, weakened,
 * strengthened; a bucket deleted and one created; a table bucket's encryption turned on; a key in
 * use scheduled for deletion. Deterministic for a given fleet.
 */
export function planFleetChanges(fleet: FleetSpec): FleetChange[] {
  const taken = new Set<string>();
  let picks = 0;
  // Each pick starts at the next account, so the changes spread over the accounts.
  const pick = (predicate: BucketPick, what: string): { account: AccountSpec; bucket: BucketSpec } => {
    const start = picks;
    picks += 1;
    for (let offset = 0; offset < fleet.accounts.length; offset += 1) {
      const account = fleet.accounts[(start + offset) % fleet.accounts.length];
      const bucket = account?.buckets.find((candidate) => !taken.has(candidate.name) && predicate(candidate));
      if (account !== undefined && bucket !== undefined) {
        taken.add(bucket.name);
        return { account, bucket };
      }
    }
    throw new DemoError('FLEET_UNSUITABLE', `The demo fleet has no ${what} bucket to change`);
  };
  const actor = (account: AccountSpec): ChangeActor => {
    const credentials = account.accessKeys[0];
    if (credentials === undefined)
      throw new DemoError('FLEET_UNSUITABLE', `Fleet account ${account.id} has no AccessKey`);
    return { accountId: account.id, credentials };
  };

  const turnedOn = pick(unencrypted, 'unencrypted');
  const removed = pick(customerKey, 'KMS (customer key)');
  const downgraded = pick(customerKey, 'KMS (customer key)');
  const upgraded = pick(ossManaged('AES256'), 'AES256');
  const deleted = pick(ossManaged('SM4'), 'SM4');
  const doomed = pick(healthyCustomerKey(fleet), 'KMS (healthy customer key)');
  const doomedKeyId = doomed.bucket.encryption?.kmsMasterKeyId ?? '';
  const table = pickUnencryptedTableBucket(fleet);
  const creator = fleet.accounts[0];
  if (creator === undefined) throw new DemoError('FLEET_UNSUITABLE', 'The demo fleet has no account');

  return [
    {
      kind: 'create-kms-key',
      ...actor(turnedOn.account),
      key: {
        keyId: DEMO_CMK_ID,
        region: turnedOn.bucket.region,
        creator: turnedOn.account.id,
        automaticRotation: 'Enabled',
        rotationInterval: '31536000s',
        deletionProtection: 'Enabled',
      },
      expected: 'a healthy customer key (rotating, protected from deletion) for the bucket below',
    },
    {
      kind: 'put-bucket-encryption',
      ...actor(turnedOn.account),
      bucket: turnedOn.bucket.name,
      region: turnedOn.bucket.region,
      encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: DEMO_CMK_ID },
      expected: 'none -> KMS with a customer key: strengthened, its "unencrypted" finding resolves',
    },
    {
      kind: 'delete-bucket-encryption',
      ...actor(removed.account),
      bucket: removed.bucket.name,
      region: removed.bucket.region,
      expected: 'KMS -> none: weakened, opens a high "unencrypted" finding',
    },
    {
      kind: 'put-bucket-encryption',
      ...actor(downgraded.account),
      bucket: downgraded.bucket.name,
      region: downgraded.bucket.region,
      encryption: { sseAlgorithm: 'AES256' },
      expected: 'KMS -> AES256: weakened, opens a "non_kms" finding',
    },
    {
      kind: 'put-bucket-encryption',
      ...actor(upgraded.account),
      bucket: upgraded.bucket.name,
      region: upgraded.bucket.region,
      encryption: { sseAlgorithm: 'KMS' },
      expected: 'AES256 -> KMS (default key): strengthened, "non_kms" resolves, "kms_default_key" opens',
    },
    {
      kind: 'delete-bucket',
      ...actor(deleted.account),
      bucket: deleted.bucket.name,
      region: deleted.bucket.region,
      expected: 'deleted: disappears, its findings resolve',
    },
    {
      kind: 'put-table-bucket-encryption',
      ...actor(table.account),
      arn: tableBucketArn(table.region, table.account.id, table.name),
      region: table.region,
      encryption: { sseAlgorithm: 'AES256' },
      expected: 'none -> AES256: strengthened, "unencrypted" resolves',
    },
    {
      kind: 'create-bucket',
      ...actor(creator),
      bucket: {
        name: APPEARING_BUCKET,
        region: DEMO_REGIONS[0],
        creationDate: '2025-04-17T09:00:00.000Z',
        encryption: null,
      },
      expected: 'new and unencrypted: appears with a high "unencrypted" finding',
    },
    {
      kind: 'schedule-key-deletion',
      ...actor(doomed.account),
      keyId: doomedKeyId,
      region: doomed.bucket.region,
      deleteDate: DEMO_KEY_DELETE_DATE,
      expected: `the key of ${doomed.bucket.name} scheduled for deletion: the key weakens, a critical "kms_key_pending_deletion" finding opens on every resource it encrypts`,
    },
  ];
}

/** A readable bucket whose customer key is enabled and readable: a key whose loss the audit must catch. */
function healthyCustomerKey(fleet: FleetSpec): BucketPick {
  const keys = new Map(
    fleet.accounts.flatMap((account) => (account.kmsKeys ?? []).map((key) => [key.keyId, key] as const)),
  );
  return (bucket) => {
    if (!customerKey(bucket)) return false;
    const key = keys.get(bucket.encryption?.kmsMasterKeyId ?? '');
    return key !== undefined && key.deny === undefined && (key.keyState ?? 'Enabled') === 'Enabled';
  };
}

function pickUnencryptedTableBucket(fleet: FleetSpec): {
  account: AccountSpec;
  name: string;
  region: string;
} {
  for (const account of fleet.accounts) {
    const table = account.tableBuckets.find(
      (candidate) => candidate.deny === undefined && (candidate.encryption ?? null) === null,
    );
    if (table !== undefined) return { account, name: table.name, region: table.region };
  }
  throw new DemoError('FLEET_UNSUITABLE', 'The demo fleet has no unencrypted table bucket to change');
}

/** The name of what a change touches, as the summary prints it. */
export function changeTarget(change: FleetChange): string {
  switch (change.kind) {
    case 'put-table-bucket-encryption':
      return change.arn;
    case 'create-bucket':
      return change.bucket.name;
    case 'create-kms-key':
      return change.key.keyId;
    case 'schedule-key-deletion':
      return change.keyId;
    case 'put-bucket-encryption':
    case 'delete-bucket-encryption':
    case 'delete-bucket':
      return change.bucket;
  }
}

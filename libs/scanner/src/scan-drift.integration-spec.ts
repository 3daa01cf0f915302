import { generateFleet, type BucketSpec, type FleetSpec } from '@app/oss-emulator';
import {
  allFindings,
  expectedFindings,
  openFindingRules,
  startScanEnvironment,
  withHealthyKeys,
  type RecordedFinding,
  type ScanEnvironment,
} from '@app/testing';

import { AliOssProcess } from '@app/testing';

/** Fast enough that the fleet scans in seconds on the emulator. */
const FAST = { rate: { initialRps: 2000, maxRps: 4000, concurrency: 32 }, scan: { auditBatchSize: 50 } };

type BucketClass = 'kms-cmk' | 'kms-sm4' | 'kms-default' | 'aes256' | 'sm4' | 'none';

function classOf(bucket: BucketSpec): BucketClass {
  const encryption = bucket.encryption;
  if (encryption == null) return 'none';
  if (encryption.sseAlgorithm === 'AES256') return 'aes256';
  if (encryption.sseAlgorithm === 'SM4') return 'sm4';
  if (encryption.kmsMasterKeyId === undefined) return 'kms-default';
  return encryption.kmsDataEncryption === 'SM4' ? 'kms-sm4' : 'kms-cmk';
}

interface FleetBucket {
  readonly bucket: BucketSpec;
  readonly accountIndex: number;
}

/** Takes fleet buckets of a class, each at most once across calls. */
function bucketPicker(fleet: FleetSpec): (cls: BucketClass) => FleetBucket {
  const taken = new Set<string>();
  const all = fleet.accounts.flatMap((account, accountIndex) =>
    account.buckets.map((bucket) => ({ bucket, accountIndex })),
  );
  return (cls) => {
    const found = all.find((entry) => classOf(entry.bucket) === cls && !taken.has(entry.bucket.name));
    if (found === undefined) throw new Error(`The fleet has no more ${cls} buckets`);
    taken.add(found.bucket.name);
    return found;
  };
}

/** One encryption change made through ali-oss, and what the second scan must make of it. */
interface PlannedChange {
  readonly target: FleetBucket;
  /** The ali-oss call: a new default rule, or none (deleteBucketEncryption). */
  readonly rule: { SSEAlgorithm: string; KMSMasterKeyID?: string } | null;
  readonly direction: 'weakened' | 'strengthened' | 'changed';
  readonly before: string;
  readonly after: string;
  /** Rules of the findings it resolves as fixed, and of those it opens. */
  readonly resolves: readonly string[];
  readonly opens: readonly string[];
}

const key = (bucket: BucketSpec) => `oss:${bucket.name}`;

/** The fleet with the healthy keys the changes switch buckets to, in each bucket's account and region. */
function withKeysOf(fleet: FleetSpec, changes: readonly PlannedChange[]): FleetSpec {
  return {
    ...fleet,
    accounts: fleet.accounts.map((account, index) => ({
      ...account,
      kmsKeys: [
        ...(account.kmsKeys ?? []),
        ...changes
          .filter(
            (change) =>
              change.target.accountIndex === index &&
              change.rule?.KMSMasterKeyID?.startsWith('cmk-drift') === true,
          )
          .map((change) => ({
            keyId: change.rule?.KMSMasterKeyID ?? '',
            region: change.target.bucket.region,
            automaticRotation: 'Enabled' as const,
            deletionProtection: 'Enabled' as const,
          })),
      ],
    })),
  };
}

describe('a second scan after encryption changes and deletions', () => {
  const generated = withHealthyKeys(
    generateFleet({
      accounts: 2,
      regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
      buckets: 120,
      tableBuckets: 6,
      seed: 21,
    }),
  );
  const pick = bucketPicker(generated);
  const kmsSm4 = pick('kms-sm4');
  const changes: PlannedChange[] = [
    {
      target: pick('kms-cmk'),
      rule: { SSEAlgorithm: 'AES256' },
      direction: 'weakened',
      before: 'kms_cmk',
      after: 'oss_aes256',
      resolves: [],
      opens: ['non_kms'],
    },
    {
      target: pick('aes256'),
      rule: null,
      direction: 'weakened',
      before: 'oss_aes256',
      after: 'none',
      resolves: ['non_kms'],
      opens: ['unencrypted'],
    },
    {
      target: pick('none'),
      rule: { SSEAlgorithm: 'KMS', KMSMasterKeyID: 'cmk-drift-0001' },
      direction: 'strengthened',
      before: 'none',
      after: 'kms_cmk',
      resolves: ['unencrypted'],
      opens: [],
    },
    {
      target: pick('kms-cmk'),
      rule: { SSEAlgorithm: 'KMS', KMSMasterKeyID: 'cmk-drift-0002' },
      direction: 'changed',
      before: 'kms_cmk',
      after: 'kms_cmk',
      resolves: [],
      opens: [],
    },
    {
      target: pick('kms-default'),
      rule: { SSEAlgorithm: 'KMS', KMSMasterKeyID: 'cmk-drift-0003' },
      direction: 'strengthened',
      before: 'kms_default',
      after: 'kms_cmk',
      resolves: ['kms_default_key'],
      opens: [],
    },
    {
      target: pick('sm4'),
      rule: { SSEAlgorithm: 'KMS' },
      direction: 'strengthened',
      before: 'oss_sm4',
      after: 'kms_default',
      resolves: ['non_kms'],
      opens: ['kms_default_key'],
    },
    {
      // Same strength: the non_kms finding stays open, the same finding.
      target: pick('aes256'),
      rule: { SSEAlgorithm: 'SM4' },
      direction: 'changed',
      before: 'oss_aes256',
      after: 'oss_sm4',
      resolves: [],
      opens: [],
    },
    {
      // ali-oss cannot send KMSDataEncryption: re-putting the same key drops SM4 data encryption.
      target: kmsSm4,
      rule: { SSEAlgorithm: 'KMS', KMSMasterKeyID: kmsSm4.bucket.encryption!.kmsMasterKeyId! },
      direction: 'changed',
      before: 'kms_cmk',
      after: 'kms_cmk',
      resolves: [],
      opens: [],
    },
    {
      target: pick('none'),
      rule: { SSEAlgorithm: 'AES256' },
      direction: 'strengthened',
      before: 'none',
      after: 'oss_aes256',
      resolves: ['unencrypted'],
      opens: ['non_kms'],
    },
    {
      target: pick('kms-cmk'),
      rule: null,
      direction: 'weakened',
      before: 'kms_cmk',
      after: 'none',
      resolves: [],
      opens: ['unencrypted'],
    },
  ];
  const fleet = withKeysOf(generated, changes);
  const sameStrength = changes[6]!.target.bucket;
  const deleted = [pick('none'), pick('kms-cmk')];
  let env: ScanEnvironment;
  let aliOss: AliOssProcess;

  beforeAll(async () => {
    env = await startScanEnvironment({ fleet, ...FAST });
    aliOss = new AliOssProcess();
  }, 60_000);
  afterAll(async () => {
    await aliOss.stop();
    await env.close();
  });

  async function applyThroughAliOss(change: PlannedChange): Promise<void> {
    const { bucket, accountIndex } = change.target;
    const account = fleet.accounts[accountIndex]!;
    const options = {
      ...account.accessKeys[0]!,
      region: `oss-${bucket.region}`,
      endpoint: env.emulator.url,
      sldEnable: true,
      authorizationV4: true,
      timeout: 10_000,
    };
    if (change.rule === null) {
      await aliOss.call(options, 'deleteBucketEncryption', bucket.name);
    } else {
      await aliOss.call(options, 'putBucketEncryption', bucket.name, change.rule);
    }
  }

  async function deleteThroughAdminApi(bucket: BucketSpec): Promise<void> {
    const response = await fetch(`${env.emulator.url}/__emulator/buckets/${bucket.name}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${env.emulator.adminToken}` },
    });
    expect(response.status).toBe(204);
  }

  it('records exactly the changes as drift, resolves and opens exactly the right findings, and marks the deleted buckets', async () => {
    const { dataSource } = env.database;
    const first = await env.runScan();
    expect(first.status).toBe('succeeded');
    const before = await allFindings(dataSource);

    for (const change of changes) await applyThroughAliOss(change);
    for (const { bucket } of deleted) await deleteThroughAdminApi(bucket);
    const second = await env.runScan();
    expect(second.status).toBe('succeeded');

    const drift = await dataSource.query<
      {
        resource_key: string;
        kind: string;
        direction: string | null;
        before: string | null;
        after: string | null;
      }[]
    >(
      `SELECT r."resource_key", d."kind", d."direction", d."before"->>'encryptionClass' AS "before",
         d."after"->>'encryptionClass' AS "after"
       FROM "drift_events" d JOIN "resources" r ON r."id" = d."resource_id"
       WHERE d."scan_id" = $1 AND r."kind" <> 'kms_key'`,
      [second.id],
    );
    const driftOf = (row: (typeof drift)[number]) =>
      `${row.resource_key} ${row.kind} ${row.direction ?? '-'} ${row.before ?? '-'} -> ${row.after ?? '-'}`;
    expect(drift.map(driftOf).sort()).toEqual(
      [
        ...changes.map(
          (c) => `${key(c.target.bucket)} encryption_changed ${c.direction} ${c.before} -> ${c.after}`,
        ),
        `${key(deleted[0]!.bucket)} disappeared - none -> -`,
        `${key(deleted[1]!.bucket)} disappeared - kms_cmk -> -`,
      ].sort(),
    );

    const after = await allFindings(dataSource);
    const summary = (f: RecordedFinding) => `${f.resourceKey} ${f.rule} ${f.resolution ?? ''}`.trim();
    expect(
      after
        .filter((f) => f.resolvedScanId === second.id)
        .map(summary)
        .sort(),
    ).toEqual(
      [
        ...changes.flatMap((c) => c.resolves.map((rule) => `${key(c.target.bucket)} ${rule} fixed`)),
        `${key(deleted[0]!.bucket)} unencrypted resource_deleted`,
      ].sort(),
    );
    expect(
      after
        .filter((f) => f.openedScanId === second.id)
        .map(summary)
        .sort(),
    ).toEqual(changes.flatMap((c) => c.opens.map((rule) => `${key(c.target.bucket)} ${rule}`)).sort());
    // AES256 -> SM4 keeps its non_kms finding: the same row, still open.
    const kept = before.find((f) => f.resourceKey === key(sameStrength));
    expect(after.find((f) => f.id === kept?.id)).toMatchObject({ rule: 'non_kms', status: 'open' });
    // What is open now is the ground truth of the fleet as it now is.
    expect(await openFindingRules(dataSource)).toEqual(expectedFindings(env.emulator.state.toSpec()));

    const gone = await dataSource.query<{ resource_key: string; deleted_scan_id: number }[]>(
      `SELECT "resource_key", "deleted_scan_id" FROM "resources" WHERE "deleted_at" IS NOT NULL`,
    );
    expect(gone.map((row) => `${row.resource_key} ${row.deleted_scan_id.toString()}`).sort()).toEqual(
      deleted.map(({ bucket }) => `${key(bucket)} ${second.id.toString()}`).sort(),
    );
  }, 120_000);
});

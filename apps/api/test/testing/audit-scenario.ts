import { type BucketRecord, type FleetSpec, generateFleet } from '@app/oss-emulator';
import type { ScanRecord } from '@app/persistence';
import { type ScanEnvironment, startScanEnvironment, withHealthyKeys } from '@app/testing';

/** Two real scans of an emulated fleet, with changes between them that every read endpoint can show. */
export interface AuditScenario {
  readonly scanning: ScanEnvironment;
  /** The fleet as the first scan saw it, and as the second did. */
  readonly fleets: readonly [FleetSpec, FleetSpec];
  readonly first: ScanRecord;
  readonly second: ScanRecord;
  /** Bucket that had a customer KMS key on the first scan and no encryption on the second. */
  readonly weakened: string;
  /** Bucket that had no encryption on the first scan and a customer KMS key on the second. */
  readonly strengthened: string;
  /** Bucket deleted between the scans. */
  readonly removed: string;
}

export const SCENARIO_KMS_KEY = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

function pick(buckets: Iterable<BucketRecord>, predicate: (bucket: BucketRecord) => boolean): string {
  for (const bucket of buckets) {
    if (bucket.deny === undefined && predicate(bucket)) return bucket.name;
  }
  throw new Error('The scenario fleet has no bucket of the kind asked for');
}

/**
 * 2 accounts, 2 regions, 24 buckets of every class (2 of them denied: `unknown`), 6 table buckets.
 * Scans once, weakens one bucket, strengthens one, deletes one, and scans again: findings open and
 * resolve, drift of every kind is recorded, and the change log has a past to ask about.
 */
export async function runAuditScenario(): Promise<AuditScenario> {
  // Healthy keys: these tests are about the API, not about what a key's state means.
  const fleet = withHealthyKeys(
    generateFleet({
      accounts: 2,
      regions: ['cn-hangzhou', 'cn-shanghai'],
      buckets: 24,
      tableBuckets: 6,
      deniedBuckets: 2,
      seed: 11,
    }),
  );
  const scanning = await startScanEnvironment({ fleet });
  try {
    const first = await scanning.runScan();
    const buckets = [...scanning.emulator.state.buckets.values()];
    const weakened = pick(buckets, (bucket) => bucket.encryption?.kmsMasterKeyId !== undefined);
    const strengthened = pick(buckets, (bucket) => bucket.encryption === null);
    const removed = pick(buckets, (bucket) => bucket.encryption?.sseAlgorithm === 'AES256');
    scanning.emulator.state.setBucketEncryption(weakened, null);
    const strengthenedBucket = scanning.emulator.state.buckets.get(strengthened);
    if (strengthenedBucket !== undefined) {
      scanning.emulator.state.addKmsKey(strengthenedBucket.accountId, {
        keyId: SCENARIO_KMS_KEY,
        region: strengthenedBucket.region,
        automaticRotation: 'Enabled',
        deletionProtection: 'Enabled',
      });
    }
    scanning.emulator.state.setBucketEncryption(strengthened, {
      sseAlgorithm: 'KMS',
      kmsMasterKeyId: SCENARIO_KMS_KEY,
    });
    scanning.emulator.state.removeBucket(removed);
    const second = await scanning.runScan();
    return {
      scanning,
      fleets: [fleet, scanning.emulator.state.toSpec()],
      first,
      second,
      weakened,
      strengthened,
      removed,
    };
  } catch (error) {
    await scanning.close();
    throw error;
  }
}

import { kmsKeyResourceKey, OSS_SERVICE_KEY_ALIAS } from '@app/audit';
import { kmsKeyRegion } from '@app/cloud-client';
import type { AuditConfig } from '@app/config';
import { tableBucketArn, type AccountSpec, type DenySpec, type FleetSpec } from '@app/oss-emulator';
import { AccountClientRegistry, type AccountClientPair } from '@app/scanner';

import { forEachConcurrently } from './for-each-concurrently';

/** What sending a fleet's reads alone took. */
export interface ReadsAlone {
  /** Encryption reads (buckets, table buckets, tables) and DescribeKey requests sent. */
  readonly requests: number;
  readonly describeKeyRequests: number;
  readonly seconds: number;
}

type Read = (pair: AccountClientPair) => Promise<unknown>;

/**
 * The fetch phase's measured baseline: the requests a full scan of `fleet` reads (every bucket's,
 * table bucket's and table's encryption, and one DescribeKey per key they name), and nothing else:
 * no listing, no job engine, no database. Sent through the scanner's own clients on the scan's
 * configuration (same signing, parsing, dispatcher and per-account limits), each account kept at
 * its `rate.concurrency` in flight. Run in the same process and minute as the scan, it is what the
 * machine and the emulator allow right now, so the scan's fetch phase over it is what the pipeline
 * costs, whatever else the machine is doing.
 */
export async function sendReadsAlone(config: AuditConfig, fleet: FleetSpec): Promise<ReadsAlone> {
  const registry = new AccountClientRegistry(config);
  // The configuration lists the fleet's accounts in the fleet's order (fleetAuditConfig).
  const perAccount = config.accounts.map(({ alias, rate }, index) => {
    const account = fleet.accounts[index];
    if (account === undefined) throw new Error(`the fleet has no account for ${alias}`);
    return {
      pair: registry.forAccount(alias),
      reads: readsOf(alias, account),
      concurrency: rate.concurrency,
    };
  });
  const started = performance.now();
  try {
    await Promise.all(
      perAccount.map(({ pair, reads, concurrency }) =>
        forEachConcurrently(reads.all, concurrency, (read) => read(pair)),
      ),
    );
  } finally {
    await registry.close();
  }
  return {
    requests: perAccount.reduce((sum, { reads }) => sum + reads.all.length, 0),
    describeKeyRequests: perAccount.reduce((sum, { reads }) => sum + reads.keys, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * An account's reads, the keys' last: one DescribeKey per key a readable resource names, counted
 * as the scan counts them (by `kmsKeyResourceKey`; the OSS service key is the service's own).
 */
function readsOf(alias: string, account: AccountSpec): { all: Read[]; keys: number } {
  const reads: Read[] = [];
  const keys = new Map<string, Read>();
  const nameKey = (reference: string | undefined, region: string, denied: DenySpec | undefined) => {
    if (reference === undefined || reference === '' || reference === OSS_SERVICE_KEY_ALIAS) return;
    if (denied !== undefined) return;
    const keyRegion = kmsKeyRegion(reference, region);
    keys.set(kmsKeyResourceKey(reference, { alias, accountId: account.id }, region), (pair) =>
      pair.kms.describeKey(keyRegion, reference),
    );
  };
  for (const bucket of account.buckets) {
    reads.push((pair) => pair.oss.getBucketEncryption(bucket.name, bucket.region));
    if (bucket.encryption?.sseAlgorithm === 'KMS') {
      nameKey(bucket.encryption.kmsMasterKeyId, bucket.region, bucket.deny);
    }
  }
  for (const tableBucket of account.tableBuckets) {
    const arn = tableBucketArn(tableBucket.region, account.id, tableBucket.name);
    reads.push((pair) => pair.tables.getTableBucketEncryption(arn));
    nameKey(tableBucket.encryption?.kmsKeyArn, tableBucket.region, tableBucket.deny);
    for (const namespace of tableBucket.namespaces ?? []) {
      for (const table of namespace.tables ?? []) {
        reads.push((pair) => pair.tables.getTableEncryption(arn, namespace.name, table.name));
        // A table without encryption of its own was created with its table bucket's.
        const encryption = table.encryption === undefined ? tableBucket.encryption : table.encryption;
        nameKey(encryption?.kmsKeyArn, tableBucket.region, tableBucket.deny);
      }
    }
  }
  return { all: [...reads, ...keys.values()], keys: keys.size };
}

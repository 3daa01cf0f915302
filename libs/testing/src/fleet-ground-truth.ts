import type { AccountSpec, FleetSpec } from '@app/oss-emulator';

/**
 * Resource key of every bucket and table bucket of `account`, written from the fleet by hand (not
 * by the audit code): `oss:{name}` and the table bucket ARN (docs/architecture.md, docs/wire/oss.md).
 */
function resourceKeys(account: AccountSpec): { buckets: string[]; tableBuckets: string[] } {
  return {
    buckets: account.buckets.map((bucket) => `oss:${bucket.name}`),
    tableBuckets: account.tableBuckets.map(
      (tableBucket) => `acs:osstables:${tableBucket.region}:${account.id}:bucket/${tableBucket.name}`,
    ),
  };
}

/** Every resource key of the fleet. */
export function fleetResourceKeys(fleet: FleetSpec): string[] {
  return fleet.accounts.flatMap((account) => {
    const keys = resourceKeys(account);
    return [...keys.buckets, ...keys.tableBuckets];
  });
}

/**
 * The open finding rule each resource of `fleet` must have under the default policy, by resource
 * key; resources that need none are absent. From docs/wire/oss.md §7 and docs/architecture.md's class table:
 * denied → unverifiable, no rule → unencrypted, AES256/SM4 → non_kms, KMS without a customer key →
 * kms_default_key, KMS with one → nothing.
 */
export function expectedFindings(fleet: FleetSpec): Map<string, string> {
  const expected = new Map<string, string>();
  for (const account of fleet.accounts) {
    const keys = resourceKeys(account);
    account.buckets.forEach((bucket, index) => {
      const rule =
        bucket.deny !== undefined
          ? 'unverifiable'
          : bucket.encryption == null
            ? 'unencrypted'
            : bucket.encryption.sseAlgorithm === 'KMS'
              ? bucket.encryption.kmsMasterKeyId
                ? null
                : 'kms_default_key'
              : 'non_kms';
      const key = keys.buckets[index];
      if (rule !== null && key !== undefined) expected.set(key, rule);
    });
    account.tableBuckets.forEach((tableBucket, index) => {
      const rule =
        tableBucket.deny !== undefined
          ? 'unverifiable'
          : tableBucket.encryption == null || tableBucket.encryption.sseAlgorithm === ''
            ? 'unencrypted'
            : tableBucket.encryption.sseAlgorithm === 'KMS'
              ? tableBucket.encryption.kmsKeyArn
                ? null
                : 'kms_default_key'
              : 'non_kms';
      const key = keys.tableBuckets[index];
      if (rule !== null && key !== undefined) expected.set(key, rule);
    });
  }
  return expected;
}

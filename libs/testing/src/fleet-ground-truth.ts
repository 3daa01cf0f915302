import {
  FleetState,
  type AccountSpec,
  type FleetSpec,
  type KmsKeySpec,
  type TableBucketEncryptionSpec,
} from '@app/oss-emulator';

/**
 * What a fleet must look like to the audit, written from the fleet by hand (not by the audit code):
 * the resource keys a scan observes and the open findings each must have under the default policy
 * (docs/architecture.md, Domain; docs/wire/). The emulator's own state gives the table ARNs it
 * serves, since a table's id is the service's to assign.
 */

/** Strength of an encryption, as docs/architecture.md orders the classes. */
const STRENGTH = { none: 0, non_kms: 1, kms_default: 2, kms_cmk: 3 } as const;
type Strength = keyof typeof STRENGTH;

interface KeyVerdict {
  /** The resource key of the KMS key resource a scan records; null when none is recorded. */
  readonly resourceKey: string | null;
  /** Rules the key's state raises on the resource that names it. */
  readonly rules: string[];
  /** The resource is encrypted with the OSS service key after all. */
  readonly serviceKey: boolean;
}

function accountAlias(fleet: FleetSpec, account: AccountSpec): string {
  return `account-${(fleet.accounts.indexOf(account) + 1).toString()}`;
}

function findKey(account: AccountSpec | undefined, keyId: string, region: string): KmsKeySpec | undefined {
  return (account?.kmsKeys ?? []).find(
    (key) => key.region === region && (key.keyId === keyId || (key.aliases ?? []).includes(keyId)),
  );
}

function isServiceCreator(creator: string | undefined): boolean {
  return creator !== undefined && !/^\d+$/.test(creator);
}

/**
 * One key, one identity: the key ARN when KMS can describe it or the reference is an ARN or a bare
 * id (the configuration gives every account's uid); an alias nobody could resolve keeps its name.
 */
function keyResourceKey(
  fleet: FleetSpec,
  account: AccountSpec,
  reference: string,
  region: string,
  key: KmsKeySpec | undefined,
  owner: AccountSpec | undefined,
): string {
  if (reference.startsWith('acs:')) return reference;
  if (key !== undefined && key.deny === undefined && owner !== undefined) {
    return `acs:kms:${key.region}:${owner.id}:key/${key.keyId}`;
  }
  return reference.startsWith('alias/')
    ? `kms:${accountAlias(fleet, account)}/${region}/${reference}`
    : `acs:kms:${region}:${account.id}:key/${reference}`;
}

/** What the key a resource names means for it; null: the resource names no customer key. */
function keyVerdict(
  fleet: FleetSpec,
  account: AccountSpec,
  reference: string,
  region: string,
): KeyVerdict | null {
  if (reference === 'alias/acs/oss') return null;
  const arn = /^acs:kms:([^:]+):(\d+):key\/(.+)$/.exec(reference);
  const keyRegion = arn?.[1] ?? region;
  const owner = arn === null ? account : fleet.accounts.find((candidate) => candidate.id === arn[2]);
  const key = findKey(owner, arn?.[3] ?? reference, keyRegion);
  const resourceKey = keyResourceKey(fleet, account, reference, region, key, owner);
  if (key === undefined) return { resourceKey, rules: ['kms_key_not_found'], serviceKey: false };
  if (key.deny !== undefined || owner !== account)
    return { resourceKey, rules: ['unverifiable'], serviceKey: false };
  const state = key.keyState ?? 'Enabled';
  const rules =
    state === 'PendingDeletion'
      ? ['kms_key_pending_deletion']
      : state === 'Enabled'
        ? []
        : ['kms_key_disabled'];
  return { resourceKey, rules, serviceKey: isServiceCreator(key.creator) };
}

/** The class rule of an encryption, and its strength (null strength: it could not be read). */
function classRules(
  encryption: { algorithm: string | null; keyId: string | null } | null,
  key: KeyVerdict | null,
): { rules: string[]; strength: Strength } {
  if (encryption === null || encryption.algorithm === null || encryption.algorithm === '') {
    return { rules: ['unencrypted'], strength: 'none' };
  }
  if (encryption.algorithm !== 'KMS') return { rules: ['non_kms'], strength: 'non_kms' };
  if (encryption.keyId === null || encryption.keyId === '' || encryption.keyId === 'alias/acs/oss') {
    return { rules: ['kms_default_key'], strength: 'kms_default' };
  }
  if (key?.serviceKey === true) return { rules: ['kms_default_key', ...key.rules], strength: 'kms_default' };
  return { rules: key?.rules ?? [], strength: 'kms_cmk' };
}

function tableEncryption(
  spec: TableBucketEncryptionSpec | null,
): { algorithm: string | null; keyId: string | null } | null {
  return spec === null ? null : { algorithm: spec.sseAlgorithm, keyId: spec.kmsKeyArn ?? null };
}

/**
 * Every resource a full scan of `fleet` observes, by resource key: buckets, table buckets, tables,
 * and the KMS keys they name.
 */
export function fleetResourceKeys(fleet: FleetSpec): string[] {
  return [...expectedResources(fleet).keys()];
}

/** The open finding rules each resource of `fleet` must have, by resource key (sorted; resources without any absent). */
export function expectedFindings(fleet: FleetSpec): Map<string, string[]> {
  const expected = new Map<string, string[]>();
  for (const [key, rules] of expectedResources(fleet)) {
    if (rules.length > 0) expected.set(key, [...new Set(rules)].sort());
  }
  return expected;
}

function expectedResources(fleet: FleetSpec): Map<string, string[]> {
  const state = new FleetState(fleet);
  const resources = new Map<string, string[]>();
  const add = (key: string, rules: readonly string[]): void => {
    resources.set(key, [...(resources.get(key) ?? []), ...rules]);
  };
  const addKey = (
    account: AccountSpec,
    verdict: KeyVerdict | null,
    region: string,
    reference: string,
  ): void => {
    if (verdict?.resourceKey == null) return;
    const arn = /^acs:kms:([^:]+):(\d+):key\/(.+)$/.exec(reference);
    const owner = arn === null ? account : fleet.accounts.find((candidate) => candidate.id === arn[2]);
    const key = findKey(owner, arn?.[3] ?? reference, arn?.[1] ?? region);
    // Another account's key cannot be described with this account's credentials: its facts are unknown.
    const hygiene =
      key === undefined || owner !== account || key.deny !== undefined || isServiceCreator(key.creator)
        ? []
        : [
            ...((key.automaticRotation ?? 'Disabled') === 'Enabled' ? [] : ['kms_key_rotation_disabled']),
            ...((key.deletionProtection ?? 'Disabled') === 'Enabled'
              ? []
              : ['kms_key_deletion_protection_disabled']),
          ];
    if (!resources.has(verdict.resourceKey)) resources.set(verdict.resourceKey, hygiene);
  };

  for (const account of fleet.accounts) {
    for (const bucket of account.buckets) {
      const key = `oss:${bucket.name}`;
      if (bucket.deny !== undefined) {
        add(key, ['unverifiable']);
        continue;
      }
      const encryption =
        bucket.encryption == null
          ? null
          : { algorithm: bucket.encryption.sseAlgorithm, keyId: bucket.encryption.kmsMasterKeyId ?? null };
      const verdict =
        encryption?.algorithm === 'KMS' && encryption.keyId !== null
          ? keyVerdict(fleet, account, encryption.keyId, bucket.region)
          : null;
      add(key, classRules(encryption, verdict).rules);
      if (encryption?.keyId != null) addKey(account, verdict, bucket.region, encryption.keyId);
    }
    for (const tableBucket of account.tableBuckets) {
      const arn = `acs:osstables:${tableBucket.region}:${account.id}:bucket/${tableBucket.name}`;
      const own = tableEncryption(tableBucket.encryption ?? null);
      const verdict =
        own?.algorithm === 'KMS' && own.keyId !== null && own.keyId !== ''
          ? keyVerdict(fleet, account, own.keyId, tableBucket.region)
          : null;
      const bucketClass = tableBucket.deny === undefined ? classRules(own, verdict) : null;
      add(arn, bucketClass?.rules ?? ['unverifiable']);
      if (bucketClass !== null && own?.keyId) addKey(account, verdict, tableBucket.region, own.keyId);
      if (tableBucket.deny !== undefined) continue;
      for (const namespace of tableBucket.namespaces ?? []) {
        for (const table of namespace.tables ?? []) {
          const record = state.tableCatalog.table(arn, namespace.name, table.name);
          if (record === undefined) continue;
          if (record.deny !== undefined) {
            add(record.tableArn, ['unverifiable']);
            continue;
          }
          const tableOwn = tableEncryption(record.encryption);
          const tableKey =
            tableOwn?.algorithm === 'KMS' && tableOwn.keyId !== null && tableOwn.keyId !== ''
              ? keyVerdict(fleet, account, tableOwn.keyId, tableBucket.region)
              : null;
          const tableClass = classRules(tableOwn, tableKey);
          const weaker =
            bucketClass !== null && STRENGTH[tableClass.strength] < STRENGTH[bucketClass.strength];
          add(record.tableArn, [...tableClass.rules, ...(weaker ? ['table_weaker_than_bucket'] : [])]);
          if (tableOwn?.keyId) addKey(account, tableKey, tableBucket.region, tableOwn.keyId);
        }
      }
    }
  }
  return resources;
}

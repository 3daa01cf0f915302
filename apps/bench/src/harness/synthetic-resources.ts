import {
  bucketResourceKey,
  type EncryptionClass,
  type EncryptionObservation,
  type ResourceRef,
  tableBucketArn,
} from '@app/audit';

/** The fleet the write-path benchmarks invent, spread over accounts and regions. */
export interface SyntheticFleet {
  readonly accounts: readonly { readonly alias: string; readonly id: string }[];
  readonly regions: readonly string[];
  /** One resource in this many is a table bucket. */
  readonly tableBucketEvery: number;
}

/** The `index`-th resource of the fleet: the same index is always the same resource. */
export function syntheticRef(fleet: SyntheticFleet, index: number): ResourceRef {
  const account = fleet.accounts[index % fleet.accounts.length] ?? { alias: 'prod', id: '1000000000000001' };
  const region =
    fleet.regions[Math.floor(index / fleet.accounts.length) % fleet.regions.length] ?? 'cn-hangzhou';
  const serial = index.toString().padStart(6, '0');
  if (index % fleet.tableBucketEvery === 0) {
    const name = `tables-${serial}`;
    return {
      kind: 'table_bucket',
      resourceKey: tableBucketArn(region, account.id, name),
      accountAlias: account.alias,
      region,
      name,
    };
  }
  const name = `fleet-${serial}-${region}`;
  return { kind: 'bucket', resourceKey: bucketResourceKey(name), accountAlias: account.alias, region, name };
}

const ALGORITHM: Readonly<Record<EncryptionClass, string | null>> = {
  kms_cmk: 'KMS',
  kms_default: 'KMS',
  oss_aes256: 'AES256',
  oss_sm4: 'SM4',
  none: null,
  unknown: null,
};

/** What a scan would record for `ref` in `encryptionClass`; `unknown` is a denied read. */
export function syntheticObservation(
  ref: ResourceRef,
  encryptionClass: EncryptionClass,
  requestId: string,
): EncryptionObservation {
  const denied = encryptionClass === 'unknown';
  return {
    encryptionClass,
    algorithm: ALGORITHM[encryptionClass],
    kmsKeyId: encryptionClass === 'kms_cmk' ? `key-${ref.accountAlias}-${ref.region}` : null,
    kmsDataEncryption: null,
    errorCode: denied ? 'AccessDenied' : null,
    errorMessage: denied ? 'You have no right to access this bucket.' : null,
    requestId,
  };
}

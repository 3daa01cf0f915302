import type { OssErrorInfo } from './errors';

/** One bucket from ListBuckets. Optional elements the service omitted are null. */
export interface BucketSummary {
  readonly name: string;
  /** Region id, e.g. `cn-hangzhou`: `<Region>`, else `<Location>` without its `oss-` prefix. */
  readonly region: string;
  /** `<Location>` as sent, e.g. `oss-cn-hangzhou`. */
  readonly location: string | null;
  readonly creationDate: string | null;
  readonly storageClass: string | null;
  readonly extranetEndpoint: string | null;
  readonly intranetEndpoint: string | null;
  readonly resourceGroupId: string | null;
}

/** The default server-side encryption rule of a bucket, values as the service spelled them. */
export interface BucketEncryptionRule {
  /** `KMS`, `AES256` or `SM4`. */
  readonly sseAlgorithm: string;
  /** Customer master key id; null when absent or empty (OSS-managed key). */
  readonly kmsMasterKeyId: string | null;
  /** `SM4` when KMS encrypts data with SM4; null when absent (AES256 data encryption). */
  readonly kmsDataEncryption: string | null;
}

/**
 * GetBucketEncryption, classified. `no_rule` is the service's 404 NoSuchServerSideEncryptionRule,
 * `bucket_missing` its NoSuchBucket; anything else that is not a rule is an `error`.
 */
export type BucketEncryptionResult =
  | { readonly outcome: 'rule'; readonly rule: BucketEncryptionRule; readonly requestId: string | null }
  | { readonly outcome: 'no_rule'; readonly requestId: string | null }
  | { readonly outcome: 'bucket_missing'; readonly requestId: string | null }
  | { readonly outcome: 'error'; readonly error: OssErrorInfo };

/** One table bucket from ListTableBuckets. */
export interface TableBucketSummary {
  readonly arn: string;
  readonly name: string;
  readonly ownerAccountId: string;
  readonly createdAt: string | null;
  readonly tableBucketId: string | null;
  /** `customer` for customer table buckets. */
  readonly type: string | null;
  /** Region id taken from the ARN. */
  readonly region: string;
}

/** The encryption configuration of a table bucket. */
export interface TableBucketEncryptionConfiguration {
  /** e.g. `AES256` or `KMS`. */
  readonly sseAlgorithm: string;
  /** KMS key ARN; null when absent or empty. */
  readonly kmsKeyArn: string | null;
}

/**
 * GetTableBucketEncryption, classified. `no_configuration` covers both forms the service may use
 * for "not encrypted": a 200 with an empty or absent configuration, and a 404 whose error says the
 * encryption configuration does not exist. `bucket_missing` is a 404 for the table bucket itself.
 */
export type TableBucketEncryptionResult =
  | {
      readonly outcome: 'configuration';
      readonly configuration: TableBucketEncryptionConfiguration;
      readonly requestId: string | null;
    }
  | { readonly outcome: 'no_configuration'; readonly requestId: string | null }
  | { readonly outcome: 'bucket_missing'; readonly requestId: string | null }
  | { readonly outcome: 'error'; readonly error: OssErrorInfo };

/** One namespace of a table bucket, from ListNamespaces. Fields the service omitted are null. */
export interface NamespaceSummary {
  /** The table bucket listed (as the caller gave it). */
  readonly tableBucketArn: string;
  /** The namespace name (the single element of the service's `namespace` array). */
  readonly name: string;
  readonly namespaceId: string | null;
  readonly tableBucketId: string | null;
  readonly ownerAccountId: string | null;
  readonly createdAt: string | null;
  readonly createdBy: string | null;
}

/** One table of a namespace, from ListTables. Fields the service omitted are null. */
export interface TableSummary {
  /** The table bucket listed (as the caller gave it). */
  readonly tableBucketArn: string;
  readonly namespace: string;
  readonly name: string;
  /** `acs:osstables:{region}:{uid}:bucket/{bucket}/table/{tableId}`; checked to lie in the table bucket. */
  readonly tableArn: string | null;
  /** The id part of `tableArn`: the table's identity, which a rename keeps. */
  readonly tableId: string | null;
  /** `customer` for customer tables. */
  readonly type: string | null;
  readonly createdAt: string | null;
  readonly modifiedAt: string | null;
  /** Region id taken from the table bucket ARN. */
  readonly region: string;
}

/** The encryption configuration of a table: the one it was created with (tables keep it). */
export type TableEncryptionConfiguration = TableBucketEncryptionConfiguration;

/**
 * GetTableEncryption, classified. A 404 is read by what it says is missing: the table, its
 * namespace, or the table bucket (`*_missing`), or the encryption configuration
 * (`no_configuration`, like a 200 with an empty configuration). A 404 that names none of them is
 * an `error`.
 */
export type TableEncryptionResult =
  | {
      readonly outcome: 'configuration';
      readonly configuration: TableEncryptionConfiguration;
      readonly requestId: string | null;
    }
  | { readonly outcome: 'no_configuration'; readonly requestId: string | null }
  | { readonly outcome: 'table_missing'; readonly requestId: string | null }
  | { readonly outcome: 'namespace_missing'; readonly requestId: string | null }
  | { readonly outcome: 'bucket_missing'; readonly requestId: string | null }
  | { readonly outcome: 'error'; readonly error: OssErrorInfo };

/**
 * A KMS key as DescribeKey (2016-01-20) describes it. Every value is the string the service sent;
 * an absent, null or empty one is null (the service sends `""` for dates that do not apply).
 * `keyId` and `keyState` are always present: an answer without them is refused as malformed.
 */
export interface KmsKeyMetadata {
  readonly keyId: string;
  readonly arn: string | null;
  /** `Enabled`, `Disabled`, `PendingDeletion` or `PendingImport`; only Enabled keys encrypt. */
  readonly keyState: string;
  /** The owner's account uid for a customer key; the service name (`Oss`) for a service key. */
  readonly creator: string | null;
  /** `Aliyun_KMS`, or `EXTERNAL` for imported key material. */
  readonly origin: string | null;
  /** `SOFTWARE` or `HSM`. */
  readonly protectionLevel: string | null;
  /** `Enabled`, `Disabled` or `Suspended`. */
  readonly automaticRotation: string | null;
  /** e.g. `31536000s`; only when rotation is not Disabled. */
  readonly rotationInterval: string | null;
  /** `Enabled` or `Disabled`. */
  readonly deletionProtection: string | null;
  /** Scheduled deletion time; only when PendingDeletion. */
  readonly deleteDate: string | null;
  readonly keySpec: string | null;
  readonly keyUsage: string | null;
  readonly creationDate: string | null;
  readonly nextRotationDate: string | null;
  readonly lastRotationDate: string | null;
  readonly primaryKeyVersion: string | null;
  /** When imported key material expires; null when it never does. */
  readonly materialExpireTime: string | null;
  readonly description: string | null;
}

/**
 * DescribeKey, classified. `key_not_found` is the service's 404 Forbidden.KeyNotFound or
 * Forbidden.AliasNotFound (no such key in that account and region); `access_denied` a 403 that
 * says the caller may not read the key (Forbidden.NoPermission, Forbidden.RAM, ...); anything else
 * that is not a key is an `error`.
 */
export type DescribeKeyResult =
  | { readonly outcome: 'key'; readonly metadata: KmsKeyMetadata; readonly requestId: string | null }
  | { readonly outcome: 'key_not_found'; readonly code: string; readonly requestId: string | null }
  | { readonly outcome: 'access_denied'; readonly error: OssErrorInfo }
  | { readonly outcome: 'error'; readonly error: OssErrorInfo };

/** One page a listing read: the proof that it was listed (its request id) and how much it held. */
export interface ListingPageReport {
  readonly requestId: string | null;
  readonly items: number;
}

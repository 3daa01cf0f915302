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

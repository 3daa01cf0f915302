/**
 * The kinds of resource the auditor covers: OSS buckets, OSS Tables table buckets and the tables in
 * them, and the KMS keys any of them names.
 */
export type ResourceKind = 'bucket' | 'table_bucket' | 'table' | 'kms_key';

/** Every resource kind. */
export const RESOURCE_KINDS: readonly ResourceKind[] = ['bucket', 'table_bucket', 'table', 'kms_key'];

/**
 * Encryption class of one observation (docs/architecture.md, Domain). `unknown` means the scan could not
 * tell (denied, throttled or failing after retries, malformed answer): never treated as compliant.
 */
export type EncryptionClass = 'kms_cmk' | 'kms_default' | 'oss_aes256' | 'oss_sm4' | 'none' | 'unknown';

/** Every encryption class, strongest first. */
export const ENCRYPTION_CLASSES: readonly EncryptionClass[] = [
  'kms_cmk',
  'kms_default',
  'oss_aes256',
  'oss_sm4',
  'none',
  'unknown',
];

/** Severity of a finding, lowest first. */
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** Every severity, lowest first: the order `compareSeverity` uses. */
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Finding rules; a resource has at most one open finding per rule. */
export type FindingRule =
  | 'unencrypted'
  | 'non_kms'
  | 'kms_default_key'
  | 'kms_key_not_approved'
  | 'unverifiable'
  | 'table_weaker_than_bucket'
  | 'kms_key_disabled'
  | 'kms_key_pending_deletion'
  | 'kms_key_not_found'
  | 'kms_key_cross_account'
  | 'kms_key_rotation_disabled'
  | 'kms_key_deletion_protection_disabled';

/** Every finding rule. */
export const FINDING_RULES: readonly FindingRule[] = [
  'unencrypted',
  'non_kms',
  'kms_default_key',
  'kms_key_not_approved',
  'unverifiable',
  'table_weaker_than_bucket',
  'kms_key_disabled',
  'kms_key_pending_deletion',
  'kms_key_not_found',
  'kms_key_cross_account',
  'kms_key_rotation_disabled',
  'kms_key_deletion_protection_disabled',
];

/**
 * A resource's identity. `resourceKey` is the stable identifier used across scans: `oss:{bucketName}`
 * (bucket names are globally unique), the table bucket ARN, the table ARN, or the key reference of
 * a KMS key (`kmsKeyResourceKey`). A table's `name` is `{namespace}/{table}` and its `parentKey` is
 * its table bucket's ARN.
 */
export interface ResourceRef {
  readonly kind: ResourceKind;
  readonly resourceKey: string;
  readonly accountAlias: string;
  readonly region: string;
  readonly name: string;
  /** The resource this one lives in (a table's table bucket); absent otherwise. */
  readonly parentKey?: string | null;
}

/**
 * What DescribeKey said about a KMS key, as the service spelled it (absent values null). Only an
 * `Enabled` key encrypts and decrypts.
 */
export interface KeyFacts {
  readonly keyId: string;
  readonly arn: string | null;
  /** `Enabled`, `Disabled`, `PendingDeletion` or `PendingImport`. */
  readonly keyState: string;
  /** The owner's account uid for a customer key; the service (`Oss`) for a service key. */
  readonly creator: string | null;
  /** `Aliyun_KMS`, or `EXTERNAL` for imported material (BYOK). */
  readonly origin: string | null;
  readonly protectionLevel: string | null;
  /** `Enabled`, `Disabled` or `Suspended`. */
  readonly automaticRotation: string | null;
  readonly rotationInterval: string | null;
  /** `Enabled` or `Disabled`. */
  readonly deletionProtection: string | null;
  /** When a key pending deletion goes (ISO 8601); null otherwise. */
  readonly deleteDate: string | null;
  readonly keySpec: string | null;
  readonly keyUsage: string | null;
}

/** What the service said about a resource's encryption, normalised; raw values kept as evidence. */
export interface EncryptionObservation {
  readonly encryptionClass: EncryptionClass;
  /**
   * `KMS`, `AES256`, `SM4` as the service spelled it; null when none, or unknown because the answer
   * never came. An unrecognised algorithm is kept here as evidence beside its `unknown` class.
   */
  readonly algorithm: string | null;
  /** KMSMasterKeyID (OSS) or kmsKeyArn (Tables); null when absent or empty. */
  readonly kmsKeyId: string | null;
  /** KMSDataEncryption (OSS, e.g. `SM4`); null when absent. */
  readonly kmsDataEncryption: string | null;
  /** For `unknown`: the error code that prevented the observation (e.g. `AccessDenied`). */
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** Request id of the answer that proves this observation, when the service gave one. */
  readonly requestId: string | null;
  /** A KMS key's own facts (resources of kind `kms_key` that DescribeKey described); null otherwise. */
  readonly keyFacts?: KeyFacts | null;
}

/** How a change of encryption moved a resource's posture. */
export type DriftDirection = 'weakened' | 'strengthened' | 'changed';

/** Why a drift event exists. */
export type DriftKind = 'encryption_changed' | 'appeared' | 'disappeared';

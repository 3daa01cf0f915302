/** The two kinds of resource the auditor covers. */
export type ResourceKind = 'bucket' | 'table_bucket';

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
  'unencrypted' | 'non_kms' | 'kms_default_key' | 'kms_key_not_approved' | 'unverifiable';

/** Every finding rule. */
export const FINDING_RULES: readonly FindingRule[] = [
  'unencrypted',
  'non_kms',
  'kms_default_key',
  'kms_key_not_approved',
  'unverifiable',
];

/**
 * A resource's identity. Buckets are globally unique by name; table buckets by ARN
 * `acs:osstables:{region}:{account}:bucket/{name}`. `resourceKey` is the stable identifier used
 * across scans: `oss:{bucketName}` or the table bucket ARN.
 */
export interface ResourceRef {
  readonly kind: ResourceKind;
  readonly resourceKey: string;
  readonly accountAlias: string;
  readonly region: string;
  readonly name: string;
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
}

/** How a change of encryption moved a resource's posture. */
export type DriftDirection = 'weakened' | 'strengthened' | 'changed';

/** Why a drift event exists. */
export type DriftKind = 'encryption_changed' | 'appeared' | 'disappeared';

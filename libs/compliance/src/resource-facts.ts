import { type EncryptionObservation, RESOURCE_KINDS, type ResourceKind, type ResourceRef } from '@app/audit';

/** The kinds of resource compliance judges: the audit's (buckets, table buckets, tables, KMS keys). */
export type ComplianceResourceKind = ResourceKind;

/** Every compliance resource kind. */
export const COMPLIANCE_RESOURCE_KINDS: readonly ComplianceResourceKind[] = RESOURCE_KINDS;

/**
 * A resource's identity, as the audit names it. `resourceKey` is the stable key across scans
 * (`oss:{bucket}`, a table bucket ARN, a table's key, a key ARN).
 */
export type ComplianceResourceRef = Pick<
  ResourceRef,
  'kind' | 'resourceKey' | 'accountAlias' | 'region' | 'name'
>;

/** DescribeKey `KeyState` (docs/wire/kms-and-acs3.md §2): only `Enabled` keys encrypt or decrypt. */
export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';

/** DescribeKey `AutomaticRotation`. */
export type KeyRotationStatus = 'Enabled' | 'Disabled' | 'Suspended';

/** What DescribeKey said about one KMS key, normalised by the integrator. */
export interface KeyFacts {
  readonly keyId: string;
  readonly arn: string;
  readonly region: string;
  /** The account in the key ARN `acs:kms:{region}:{uid}:key/{id}`. */
  readonly ownerAccountId: string | null;
  readonly keyState: KeyState;
  /** The account uid for a customer key; a service name (`Oss`) for a service key such as `alias/acs/oss`. */
  readonly creator: string;
  /** `Aliyun_KMS`, or `EXTERNAL` for imported key material (BYOK). */
  readonly origin: 'Aliyun_KMS' | 'EXTERNAL';
  /** `SOFTWARE` or `HSM`. */
  readonly protectionLevel: string;
  readonly automaticRotation: KeyRotationStatus;
  /** e.g. `31536000s`; null when rotation is Disabled. */
  readonly rotationInterval: string | null;
  readonly deletionProtection: 'Enabled' | 'Disabled';
  /** ISO 8601 instant the key will be deleted; only while PendingDeletion. */
  readonly deleteDate: string | null;
  /** e.g. `Aliyun_AES_256`, `Aliyun_SM4`, `RSA_2048`. */
  readonly keySpec: string;
  /** e.g. `ENCRYPT/DECRYPT`. */
  readonly keyUsage: string;
}

/**
 * What is known of the KMS key a resource names (or of a `kms_key` resource itself): described, not found
 * (`Forbidden.KeyNotFound`), not describable (denied, throttled: `errorCode` says why), or not applicable
 * (the resource names no key).
 */
export type KeyAssessment =
  | { readonly kind: 'observed'; readonly facts: KeyFacts }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'unknown'; readonly errorCode: string }
  | { readonly kind: 'not_applicable' };

/**
 * Everything the controls read about one resource. Missing inputs are never guessed: a control that needs
 * one that is null answers `warning`.
 */
export interface ResourceFacts {
  readonly resource: ComplianceResourceRef;
  /** The account's uid, to tell a key the account created (CIS 5.9); null when not known. */
  readonly accountUid: string | null;
  /**
   * The resource's encryption as observed (buckets, table buckets, tables). Null for `kms_key`, or when the
   * resource was not observed.
   */
  readonly encryption: EncryptionObservation | null;
  /**
   * The key the observation names (`kmsKeyId`), or for a `kms_key` resource the key itself;
   * `not_applicable` when no key is named.
   */
  readonly key: KeyAssessment;
  /** Tables only: the current default encryption of the table bucket the table lives in; null when not known. */
  readonly tableBucketEncryption?: EncryptionObservation | null;
}

const ACCOUNT_UID = /^[0-9]+$/;

/**
 * True for a key a cloud service created for itself (`Creator` is a service name such as `Oss`, not an
 * account uid): such keys cannot be rotated or deleted by the customer.
 */
export function isServiceKey(facts: KeyFacts): boolean {
  return !ACCOUNT_UID.test(facts.creator);
}

/** True for a symmetric key spec (`Aliyun_AES_*`, `Aliyun_SM4`): the only keys OSS encrypts with or KMS rotates. */
export function isSymmetricKeySpec(keySpec: string): boolean {
  return keySpec.startsWith('Aliyun_AES') || keySpec === 'Aliyun_SM4';
}

import type { WeakeningAlertSeverities } from './alerts';
import type {
  EncryptionClass,
  EncryptionObservation,
  FindingRule,
  ResourceKind,
  ResourceRef,
  Severity,
} from './domain';

/** Classes that raise a finding by themselves; `kms_cmk` raises one only through the approved-key list. */
export type FlaggableEncryptionClass = Exclude<EncryptionClass, 'kms_cmk'>;

/** Every flaggable class, in the order policy tables list them. */
export const FLAGGABLE_ENCRYPTION_CLASSES: readonly FlaggableEncryptionClass[] = [
  'none',
  'oss_aes256',
  'oss_sm4',
  'kms_default',
  'unknown',
];

/** The rule each flaggable class fires; fixed by meaning, unlike its severity. */
export const CLASS_RULES: Readonly<Record<FlaggableEncryptionClass, FindingRule>> = {
  none: 'unencrypted',
  oss_aes256: 'non_kms',
  oss_sm4: 'non_kms',
  kms_default: 'kms_default_key',
  unknown: 'unverifiable',
};

/** Severity of the finding each class raises for one resource kind; null: that class raises none. */
export type ClassSeverities = Readonly<Record<FlaggableEncryptionClass, Severity | null>>;

/** Which observations are findings, and how severe: configuration, with docs/architecture.md's defaults. */
export interface FindingPolicy {
  readonly severities: Readonly<Record<ResourceKind, ClassSeverities>>;
  /**
   * KMS keys allowed for `kms_cmk`, as key ids or KMS ARNs (`acs:kms:{region}:{uid}:key/{id}`).
   * Empty: every customer key is accepted.
   */
  readonly approvedKmsKeys: readonly string[];
  readonly keyNotApprovedSeverity: Severity;
  /** Rules that never fire, whatever the class. */
  readonly disabledRules: readonly FindingRule[];
  /** Severity of the alert a weakening of encryption raises. */
  readonly weakeningAlertSeverity: WeakeningAlertSeverities;
}

/**
 * The default policy. Table buckets cannot use KMS yet, so their `non_kms` finding is `low`: the
 * best setting available today must not look as bad as a bucket that chose not to use KMS.
 */
export const DEFAULT_FINDING_POLICY: FindingPolicy = Object.freeze({
  severities: Object.freeze({
    bucket: Object.freeze({
      none: 'high',
      oss_aes256: 'medium',
      oss_sm4: 'medium',
      kms_default: 'low',
      unknown: 'medium',
    } as const),
    table_bucket: Object.freeze({
      none: 'high',
      oss_aes256: 'low',
      oss_sm4: 'low',
      kms_default: 'low',
      unknown: 'medium',
    } as const),
  }),
  approvedKmsKeys: Object.freeze([]),
  keyNotApprovedSeverity: 'medium',
  disabledRules: Object.freeze([]),
  weakeningAlertSeverity: Object.freeze({ toNone: 'high', other: 'medium' } as const),
});

/** A finding an observation calls for, before the lifecycle decides whether it is new. */
export interface RequiredFinding {
  readonly rule: FindingRule;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
}

/**
 * True when the observation says what the encryption is. Only a complete observation may resolve
 * findings or take part in a drift diff; an `unknown` one can only raise `unverifiable`.
 */
export function isCompleteObservation(observation: EncryptionObservation): boolean {
  return observation.encryptionClass !== 'unknown';
}

/** The findings the policy requires for one observation of one resource, at most one per rule. */
export function evaluateFindings(
  resource: ResourceRef,
  observation: EncryptionObservation,
  policy: FindingPolicy,
): RequiredFinding[] {
  const candidate = requiredBy(resource, observation, policy);
  return candidate === null || policy.disabledRules.includes(candidate.rule) ? [] : [candidate];
}

function requiredBy(
  resource: ResourceRef,
  observation: EncryptionObservation,
  policy: FindingPolicy,
): RequiredFinding | null {
  const encryptionClass = observation.encryptionClass;
  if (encryptionClass === 'kms_cmk') {
    if (
      policy.approvedKmsKeys.length === 0 ||
      isApprovedKmsKey(observation.kmsKeyId, policy.approvedKmsKeys)
    ) {
      return null;
    }
    return {
      rule: 'kms_key_not_approved',
      severity: policy.keyNotApprovedSeverity,
      ...describe(resource, observation, 'kms_key_not_approved'),
    };
  }
  const severity = policy.severities[resource.kind][encryptionClass];
  if (severity === null) {
    return null;
  }
  const rule = CLASS_RULES[encryptionClass];
  return { rule, severity, ...describe(resource, observation, rule) };
}

/**
 * True when `keyId` (a key id or a KMS key ARN) is in the approved list. Values match exactly, and a
 * bare key id also matches an ARN ending in `key/{id}` on either side; two different ARNs never
 * match, even with the same id, because they name keys of different regions or accounts.
 */
export function isApprovedKmsKey(keyId: string | null, approved: readonly string[]): boolean {
  if (keyId === null) {
    return false;
  }
  const ownId = keyIdOfArn(keyId);
  return approved.some((entry) => {
    if (entry === keyId) {
      return true;
    }
    const entryId = keyIdOfArn(entry);
    return (ownId !== null && entryId === null && ownId === entry) || (ownId === null && entryId === keyId);
  });
}

const KMS_KEY_ARN = /^acs:kms:[^:]*:[^:]*:key\/(.+)$/;

function keyIdOfArn(value: string): string | null {
  return KMS_KEY_ARN.exec(value)?.[1] ?? null;
}

function describe(
  resource: ResourceRef,
  observation: EncryptionObservation,
  rule: FindingRule,
): Pick<RequiredFinding, 'title' | 'message'> {
  const noun = resource.kind === 'bucket' ? 'OSS bucket' : 'Table bucket';
  const subject = `${noun} "${resource.name}" (account ${resource.accountAlias}, ${resource.region})`;
  switch (rule) {
    case 'unencrypted':
      return {
        title: `${noun} has no server-side encryption`,
        message:
          resource.kind === 'bucket'
            ? `${subject} has no default server-side encryption rule: objects are stored unencrypted unless each upload asks for encryption.`
            : `${subject} has no default encryption: tables created in it are not encrypted at rest.`,
      };
    case 'non_kms':
      return {
        title: `${noun} uses OSS-managed keys, not KMS`,
        message:
          resource.kind === 'bucket'
            ? `${subject} is encrypted with OSS-managed ${observation.algorithm ?? 'keys'} (SSE-OSS); the policy asks for KMS.`
            : `${subject} is encrypted with OSS-managed ${observation.algorithm ?? 'keys'}. KMS is not offered for table buckets yet, so this is the strongest setting available today.`,
      };
    case 'kms_default_key':
      return {
        title: `${noun} uses the default KMS key`,
        message: `${subject} is encrypted with KMS using the OSS-managed default key, not a customer-managed key.`,
      };
    case 'kms_key_not_approved':
      return {
        title: `${noun} uses a KMS key that is not approved`,
        message: `${subject} is encrypted with KMS key "${observation.kmsKeyId ?? ''}", which is not in the approved key list.`,
      };
    case 'unverifiable':
      return {
        title: `${noun} encryption could not be verified`,
        message: `The encryption of ${subject} could not be verified (${observation.errorCode ?? 'no answer'}); it is not treated as compliant.`,
      };
  }
}

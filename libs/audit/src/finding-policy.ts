import type { ExceptionAlertSeverities, WeakeningAlertSeverities } from './alerts';
import { ENCRYPTION_STRENGTH, type ObservedEncryptionClass } from './drift';
import {
  accountOfKeyArn,
  daysUntilDeletion,
  isServiceKey,
  KEY_NOT_APPLICABLE,
  keyIdOfArn,
  type KeyAssessment,
} from './key-facts';
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
export const CLASS_RULES: Readonly<Record<FlaggableEncryptionClass, ClassRule>> = {
  none: 'unencrypted',
  oss_aes256: 'non_kms',
  oss_sm4: 'non_kms',
  kms_default: 'kms_default_key',
  unknown: 'unverifiable',
};

/** Severity of the finding each class raises for one resource kind; null: that class raises none. */
export type ClassSeverities = Readonly<Record<FlaggableEncryptionClass, Severity | null>>;

/** The rules an observation's own class (or its key's approval) raises. */
export type ClassRule = Exclude<FindingRule, ContextRule>;

/** Rules that judge a resource by something other than its own class: its key, or its parent. */
export type ContextRule = Extract<
  FindingRule,
  | 'table_weaker_than_bucket'
  | 'kms_key_disabled'
  | 'kms_key_pending_deletion'
  | 'kms_key_not_found'
  | 'kms_key_cross_account'
  | 'kms_key_rotation_disabled'
  | 'kms_key_deletion_protection_disabled'
>;

/** Every context rule, in the order policy tables list them. */
export const CONTEXT_RULES: readonly ContextRule[] = [
  'table_weaker_than_bucket',
  'kms_key_disabled',
  'kms_key_pending_deletion',
  'kms_key_not_found',
  'kms_key_cross_account',
  'kms_key_rotation_disabled',
  'kms_key_deletion_protection_disabled',
];

/** Which observations are findings, and how severe: configuration, with docs/architecture.md's defaults. */
export interface FindingPolicy {
  readonly severities: Readonly<Record<ResourceKind, ClassSeverities>>;
  /**
   * KMS keys allowed for `kms_cmk`, as key ids or KMS ARNs (`acs:kms:{region}:{uid}:key/{id}`).
   * Empty: every customer key is accepted.
   */
  readonly approvedKmsKeys: readonly string[];
  readonly keyNotApprovedSeverity: Severity;
  /** Severity of each context rule; null: the rule raises nothing. */
  readonly ruleSeverities: Readonly<Record<ContextRule, Severity | null>>;
  /** Rules that never fire, whatever the class. */
  readonly disabledRules: readonly FindingRule[];
  /** Severity of the alert a weakening of encryption raises. */
  readonly weakeningAlertSeverity: WeakeningAlertSeverities;
  /** Severity of the alerts about accountable exceptions (expiring, stale). */
  readonly exceptionAlertSeverity: ExceptionAlertSeverities;
}

/**
 * The default policy. Table buckets and tables cannot use KMS yet, so their `non_kms` finding is
 * `low`: the best setting available today must not look as bad as a bucket that chose not to use
 * KMS. A KMS key's own class raises nothing: what its state means is said on the resources that
 * name it (`kms_key_*` rules), and its hygiene (rotation, deletion protection) on the key.
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
    table: Object.freeze({
      none: 'high',
      oss_aes256: 'low',
      oss_sm4: 'low',
      kms_default: 'low',
      unknown: 'medium',
    } as const),
    kms_key: Object.freeze({
      none: null,
      oss_aes256: null,
      oss_sm4: null,
      kms_default: null,
      unknown: null,
    } as const),
  }),
  ruleSeverities: Object.freeze({
    table_weaker_than_bucket: 'medium',
    kms_key_disabled: 'critical',
    kms_key_pending_deletion: 'critical',
    kms_key_not_found: 'high',
    kms_key_cross_account: 'info',
    kms_key_rotation_disabled: 'low',
    kms_key_deletion_protection_disabled: 'low',
  } as const),
  approvedKmsKeys: Object.freeze([]),
  keyNotApprovedSeverity: 'medium',
  disabledRules: Object.freeze([]),
  weakeningAlertSeverity: Object.freeze({ toNone: 'high', other: 'medium' } as const),
  exceptionAlertSeverity: Object.freeze({ expiring: 'medium', stale: 'low' } as const),
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

/** What else evaluation knows of a resource besides its own observation. */
export interface FindingContext {
  /** The key its encryption names (resources that store data); `not_applicable` otherwise. */
  readonly key: KeyAssessment;
  /** A table's table bucket, as currently observed; null for other kinds or when unknown. */
  readonly parent: EncryptionObservation | null;
  /** The account uid the resource belongs to, when known (tells a cross-account key). */
  readonly accountId: string | null;
  /** When evaluation runs (days until a key's deletion). */
  readonly at: Date;
}

/** No key, no parent, no account: what a resource with nothing around it is judged by. */
export const NO_CONTEXT: FindingContext = Object.freeze({
  key: KEY_NOT_APPLICABLE,
  parent: null,
  accountId: null,
  at: new Date(0),
});

/**
 * The findings the policy requires for one observation of one resource, at most one per rule, and
 * the rules it cannot judge now (their open findings stay as they are): the key rules when the key
 * is unknown, a table's comparison with its bucket when the bucket's encryption is unknown.
 */
export function evaluateFindings(
  resource: ResourceRef,
  observation: EncryptionObservation,
  policy: FindingPolicy,
  context: FindingContext = NO_CONTEXT,
): RequiredFinding[] {
  return judgeResource(resource, observation, policy, context).required;
}

/** {@link evaluateFindings} with the rules that could not be judged. */
export function judgeResource(
  resource: ResourceRef,
  observation: EncryptionObservation,
  policy: FindingPolicy,
  context: FindingContext,
): { required: RequiredFinding[]; unjudged: FindingRule[] } {
  const candidates: RequiredFinding[] = [];
  const unjudged: FindingRule[] = [];
  const classFinding = requiredBy(resource, observation, policy);
  if (classFinding !== null) candidates.push(classFinding);
  if (isCompleteObservation(observation)) {
    if (resource.kind === 'kms_key') {
      candidates.push(...keyHygiene(resource, observation, policy));
    } else {
      const key = keyFindings(resource, observation, policy, context);
      candidates.push(...key.required);
      unjudged.push(...key.unjudged);
      const weaker = tableWeakerThanBucket(resource, observation, policy, context);
      if (weaker === 'unjudged') unjudged.push('table_weaker_than_bucket');
      else if (weaker !== null) candidates.push(weaker);
    }
  }
  const byRule = new Map<FindingRule, RequiredFinding>();
  for (const finding of candidates) {
    if (!policy.disabledRules.includes(finding.rule) && !byRule.has(finding.rule))
      byRule.set(finding.rule, finding);
  }
  return { required: [...byRule.values()], unjudged };
}

function contextual(
  resource: ResourceRef,
  rule: ContextRule,
  policy: FindingPolicy,
  text: Pick<RequiredFinding, 'title' | 'message'>,
): RequiredFinding[] {
  const severity = policy.ruleSeverities[rule];
  return severity === null ? [] : [{ rule, severity, ...text }];
}

/** What the state of the key a resource's encryption names means for that resource. */
function keyFindings(
  resource: ResourceRef,
  observation: EncryptionObservation,
  policy: FindingPolicy,
  context: FindingContext,
): { required: RequiredFinding[]; unjudged: FindingRule[] } {
  const key = context.key;
  const subject = subjectOf(resource);
  const keyName = observation.kmsKeyId ?? 'its KMS key';
  switch (key.kind) {
    case 'not_applicable':
      return { required: [], unjudged: [] };
    case 'unknown':
      return {
        required: [
          {
            rule: 'unverifiable',
            severity: policy.severities[resource.kind].unknown ?? 'medium',
            title: `${nounOf(resource)} uses a KMS key that could not be read`,
            message: `${subject} is encrypted with KMS key "${keyName}", whose state could not be read (${key.errorCode ?? 'not read in this scan'}); it is not treated as compliant.`,
          },
        ],
        unjudged: [
          'kms_key_disabled',
          'kms_key_pending_deletion',
          'kms_key_not_found',
          'kms_key_cross_account',
        ],
      };
    case 'not_found':
      return {
        required: contextual(resource, 'kms_key_not_found', policy, {
          title: `${nounOf(resource)} names a KMS key that does not exist`,
          message: `${subject} is encrypted with KMS key "${keyName}", which KMS does not know in ${resource.region} (${key.code ?? 'not found'}): new data cannot be encrypted and existing data may be unreadable.`,
        }),
        unjudged: [],
      };
    case 'observed': {
      const facts = key.facts;
      const required: RequiredFinding[] = [];
      if (facts.keyState === 'PendingDeletion') {
        const days = daysUntilDeletion(facts, context.at);
        required.push(
          ...contextual(resource, 'kms_key_pending_deletion', policy, {
            title: `${nounOf(resource)} is encrypted with a KMS key scheduled for deletion`,
            message: `${subject} is encrypted with KMS key "${facts.keyId}", which is pending deletion${days === null ? '' : ` in ${days.toString()} day${days === 1 ? '' : 's'} (${facts.deleteDate ?? ''})`}: after that its data can never be decrypted. Cancel the deletion or re-encrypt.`,
          }),
        );
      } else if (facts.keyState !== 'Enabled') {
        required.push(
          ...contextual(resource, 'kms_key_disabled', policy, {
            title: `${nounOf(resource)} is encrypted with a KMS key that is not enabled`,
            message: `${subject} is encrypted with KMS key "${facts.keyId}", whose state is ${facts.keyState}: uploads fail and existing data cannot be decrypted until it is enabled.`,
          }),
        );
      }
      const owner = facts.arn === null ? facts.creator : accountOfKeyArn(facts.arn);
      if (
        context.accountId !== null &&
        owner !== null &&
        /^\d+$/.test(owner) &&
        owner !== context.accountId
      ) {
        required.push(
          ...contextual(resource, 'kms_key_cross_account', policy, {
            title: `${nounOf(resource)} uses a KMS key of another account`,
            message: `${subject} is encrypted with KMS key "${facts.arn ?? facts.keyId}" of account ${owner}, not its own account ${context.accountId}.`,
          }),
        );
      }
      return { required, unjudged: [] };
    }
  }
}

/** A key's own hygiene, as Alibaba Cloud Config judges it (customer keys only). */
function keyHygiene(
  resource: ResourceRef,
  observation: EncryptionObservation,
  policy: FindingPolicy,
): RequiredFinding[] {
  const facts = observation.keyFacts;
  if (facts == null || isServiceKey(facts)) return [];
  const subject = subjectOf(resource);
  return [
    ...(facts.automaticRotation === 'Enabled'
      ? []
      : contextual(resource, 'kms_key_rotation_disabled', policy, {
          title: 'KMS key does not rotate automatically',
          message: `${subject} has automatic rotation ${facts.automaticRotation ?? 'not reported'} (Cloud Config kms-key-rotation-enabled).`,
        })),
    ...(facts.deletionProtection === 'Enabled'
      ? []
      : contextual(resource, 'kms_key_deletion_protection_disabled', policy, {
          title: 'KMS key has no deletion protection',
          message: `${subject} has deletion protection ${facts.deletionProtection ?? 'not reported'} (Cloud Config kms-key-delete-protection-enabled).`,
        })),
  ];
}

/** A table created before its table bucket's current default, and weaker than it. */
function tableWeakerThanBucket(
  resource: ResourceRef,
  observation: EncryptionObservation,
  policy: FindingPolicy,
  context: FindingContext,
): RequiredFinding | 'unjudged' | null {
  if (resource.kind !== 'table') return null;
  const parent = context.parent;
  if (parent === null || !isCompleteObservation(parent)) return 'unjudged';
  const own = observation.encryptionClass as ObservedEncryptionClass;
  const bucket = parent.encryptionClass as ObservedEncryptionClass;
  if (ENCRYPTION_STRENGTH[own] >= ENCRYPTION_STRENGTH[bucket]) return null;
  const [finding] = contextual(resource, 'table_weaker_than_bucket', policy, {
    title: "Table is weaker than its table bucket's default encryption",
    message: `${subjectOf(resource)} is ${own} while its table bucket now defaults to ${bucket}. A table keeps the encryption it was created with: recreate or copy it to get the bucket's default.`,
  });
  return finding ?? null;
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

function requiredBy(
  resource: ResourceRef,
  observation: EncryptionObservation,
  policy: FindingPolicy,
): RequiredFinding | null {
  const encryptionClass = observation.encryptionClass;
  if (encryptionClass === 'kms_cmk') {
    if (
      resource.kind === 'kms_key' ||
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

const NOUNS: Readonly<Record<ResourceKind, string>> = {
  bucket: 'OSS bucket',
  table_bucket: 'Table bucket',
  table: 'Table',
  kms_key: 'KMS key',
};

function nounOf(resource: ResourceRef): string {
  return NOUNS[resource.kind];
}

/** How a finding names its resource: kind, name, account and region. */
function subjectOf(resource: ResourceRef): string {
  return `${nounOf(resource)} "${resource.name}" (account ${resource.accountAlias}, ${resource.region})`;
}

function describe(
  resource: ResourceRef,
  observation: EncryptionObservation,
  rule: ClassRule,
): Pick<RequiredFinding, 'title' | 'message'> {
  const noun = nounOf(resource);
  const subject = subjectOf(resource);
  switch (rule) {
    case 'unencrypted':
      return {
        title: `${noun} has no server-side encryption`,
        message:
          resource.kind === 'bucket'
            ? `${subject} has no default server-side encryption rule: objects are stored unencrypted unless each upload asks for encryption.`
            : resource.kind === 'table'
              ? `${subject} is not encrypted at rest, and a table keeps the encryption it was created with: recreate or copy it into an encrypted table.`
              : `${subject} has no default encryption: tables created in it are not encrypted at rest.`,
      };
    case 'non_kms':
      return {
        title: `${noun} uses OSS-managed keys, not KMS`,
        message:
          resource.kind === 'bucket'
            ? `${subject} is encrypted with OSS-managed ${observation.algorithm ?? 'keys'} (SSE-OSS); the policy asks for KMS.`
            : `${subject} is encrypted with OSS-managed ${observation.algorithm ?? 'keys'}. KMS is not offered for OSS Tables yet, so this is the strongest setting available today.`,
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
        message:
          resource.kind === 'kms_key'
            ? `${subject} could not be described (${observation.errorCode ?? 'no answer'}); the resources that use it are not treated as compliant.`
            : `The encryption of ${subject} could not be verified (${observation.errorCode ?? 'no answer'}); it is not treated as compliant.`,
      };
  }
}

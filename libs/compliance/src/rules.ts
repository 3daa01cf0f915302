import {
  ENCRYPTION_STRENGTH,
  isApprovedKmsKey,
  type EncryptionClass,
  type EncryptionObservation,
} from '@app/audit';

import type { RuleId } from './catalogue/catalogue';
import type { RemedyIntent } from './remediation/remedy-intent';
import {
  isServiceKey,
  isSymmetricKeySpec,
  type KeyAssessment,
  type KeyFacts,
  type ResourceFacts,
} from './resource-facts';

/** The evidence a verdict used: flat, serialisable, the raw values beside the judgement. */
export type Evidence = Readonly<Record<string, string | number | boolean | null>>;

/** Policy the rules read beyond the facts. */
export interface CompliancePolicy {
  /** KMS keys allowed (ids or ARNs, as `policy.approvedKmsKeys`); empty: `key_approved` gives no result. */
  readonly approvedKmsKeys: readonly string[];
}

/** No approved-key list. */
export const DEFAULT_COMPLIANCE_POLICY: CompliancePolicy = Object.freeze({
  approvedKmsKeys: Object.freeze([]),
});

/** What a rule sees besides the facts: the instant of evaluation (days left before a key deletion) and policy. */
export interface RuleContext {
  readonly at: Date;
  readonly policy: CompliancePolicy;
}

/** A rule's judgement of one resource. `not_applicable` produces no result. */
export type RuleVerdict =
  | {
      readonly status: 'pass' | 'fail' | 'warning';
      readonly reason: string;
      readonly evidence: Evidence;
      readonly remedies: readonly RemedyIntent[];
    }
  | { readonly status: 'not_applicable'; readonly reason: string };

type Rule = (facts: ResourceFacts, context: RuleContext) => RuleVerdict;

const DAY_MS = 86_400_000;

/** Every rule the catalogue may name. */
export const RULES: Readonly<Record<RuleId, Rule>> = {
  sse_service_key: sseServiceKey,
  sse_account_key: sseAccountKey,
  sse_enabled: sseEnabled,
  sse_kms: sseKms,
  sse_customer_key: sseCustomerKey,
  key_rotation_enabled: keyRotationEnabled,
  key_deletion_protection_enabled: keyDeletionProtectionEnabled,
  resource_encrypted: resourceEncrypted,
  not_weaker_than_table_bucket: notWeakerThanTableBucket,
  key_exists: keyExists,
  key_enabled: keyEnabled,
  key_approved: keyApproved,
  encryption_verifiable: encryptionVerifiable,
};

// --- OSS bucket default encryption --------------------------------------------------------------------

function sseServiceKey(facts: ResourceFacts): RuleVerdict {
  const read = readable(facts);
  if (!read.ok) return read.verdict;
  const { observation, evidence } = read;
  const toServiceKey: RemedyIntent[] = [{ kind: 'set_bucket_encryption', target: 'service_key' }];
  switch (observation.encryptionClass) {
    case 'none':
    case 'oss_aes256':
    case 'oss_sm4':
      return fail(`${describeEncryption(observation)}, not KMS with the service key`, evidence, toServiceKey);
    case 'kms_default':
      return pass(`${describeEncryption(observation)}: the OSS service key`, evidence);
    case 'kms_cmk':
      return byNamedKey(observation, facts.key, evidence, {
        judge: (key, keyEvidence) =>
          key.creator === 'Oss'
            ? pass(`KMS key ${key.keyId} is the OSS service key (Creator Oss)`, keyEvidence)
            : fail(
                `KMS key ${key.keyId} was created by ${key.creator}, not the OSS service key`,
                keyEvidence,
                toServiceKey,
              ),
        notFound: toServiceKey,
      });
  }
}

function sseAccountKey(facts: ResourceFacts): RuleVerdict {
  const read = readable(facts);
  if (!read.ok) return read.verdict;
  const { observation } = read;
  const evidence = { ...read.evidence, accountUid: facts.accountUid };
  const toAccountKey: RemedyIntent[] = [{ kind: 'set_bucket_encryption', target: 'account_key' }];
  switch (observation.encryptionClass) {
    case 'none':
    case 'oss_aes256':
    case 'oss_sm4':
      return fail(
        `${describeEncryption(observation)}, not KMS with a key of the account`,
        evidence,
        toAccountKey,
      );
    case 'kms_default':
      return fail(
        `${describeEncryption(observation)}, not a key the account created`,
        evidence,
        toAccountKey,
      );
    case 'kms_cmk':
      return byNamedKey(observation, facts.key, evidence, {
        judge: (key, keyEvidence) => {
          if (isServiceKey(key)) {
            return fail(
              `KMS key ${key.keyId} is a service key (Creator ${key.creator}), not a key the account created`,
              keyEvidence,
              toAccountKey,
            );
          }
          if (facts.accountUid === null) {
            return warning(
              `KMS key ${key.keyId} was created by ${key.creator}; the account uid is not known to compare`,
              keyEvidence,
            );
          }
          return key.creator === facts.accountUid
            ? pass(`KMS key ${key.keyId} was created by the account (${key.creator})`, keyEvidence)
            : fail(
                `KMS key ${key.keyId} was created by ${key.creator}, not by this account (${facts.accountUid})`,
                keyEvidence,
                toAccountKey,
              );
        },
        notFound: toAccountKey,
      });
  }
}

function sseEnabled(facts: ResourceFacts): RuleVerdict {
  const read = readable(facts);
  if (!read.ok) return read.verdict;
  const { observation, evidence } = read;
  return observation.encryptionClass === 'none'
    ? fail(describeEncryption(observation), evidence, [{ kind: 'set_bucket_encryption', target: 'kms' }])
    : pass(describeEncryption(observation), evidence);
}

function sseKms(facts: ResourceFacts): RuleVerdict {
  const read = readable(facts);
  if (!read.ok) return read.verdict;
  const { observation, evidence } = read;
  return isKms(observation.encryptionClass)
    ? pass(describeEncryption(observation), evidence)
    : fail(`${describeEncryption(observation)}, not KMS`, evidence, [
        { kind: 'set_bucket_encryption', target: 'kms' },
      ]);
}

function sseCustomerKey(facts: ResourceFacts): RuleVerdict {
  const read = readable(facts);
  if (!read.ok) return read.verdict;
  const { observation, evidence } = read;
  const toCustomerKey: RemedyIntent[] = [{ kind: 'set_bucket_encryption', target: 'account_key' }];
  switch (observation.encryptionClass) {
    case 'none':
    case 'oss_aes256':
    case 'oss_sm4':
      return fail(`${describeEncryption(observation)}, not KMS with a customer key`, evidence, toCustomerKey);
    case 'kms_default':
      return fail(`${describeEncryption(observation)}: no customer key is named`, evidence, toCustomerKey);
    case 'kms_cmk':
      return byNamedKey(observation, facts.key, evidence, {
        judge: (key, keyEvidence) =>
          isServiceKey(key)
            ? fail(
                `KMS key ${key.keyId} is a service key (Creator ${key.creator}), not customer-managed`,
                keyEvidence,
                toCustomerKey,
              )
            : pass(`KMS key ${key.keyId} is customer-managed (Creator ${key.creator})`, keyEvidence),
        notFound: toCustomerKey,
      });
  }
}

// --- KMS keys themselves ------------------------------------------------------------------------------

function keyRotationEnabled(facts: ResourceFacts): RuleVerdict {
  return byOwnKey(facts, (key, evidence) => {
    const excluded = rotationExclusion(key);
    if (excluded !== null) return notApplicable(excluded);
    const withRotation = { ...evidence, keyRotationInterval: key.rotationInterval };
    switch (key.automaticRotation) {
      case 'Enabled':
        return pass(
          `automatic rotation is Enabled (every ${key.rotationInterval ?? 'unknown interval'})`,
          withRotation,
        );
      case 'Disabled':
        return fail('automatic rotation is Disabled', withRotation, [{ kind: 'enable_key_rotation' }]);
      case 'Suspended':
        return fail(
          `automatic rotation is Suspended because the key is ${key.keyState}`,
          withRotation,
          keyStateRemedies(key),
        );
    }
  });
}

function keyDeletionProtectionEnabled(facts: ResourceFacts): RuleVerdict {
  return byOwnKey(facts, (key, evidence) => {
    if (isServiceKey(key)) return notApplicable(`a service key (Creator ${key.creator}) cannot be deleted`);
    if (key.keyState !== 'Enabled') return notApplicable(`the key is ${key.keyState}, not Enabled`);
    return key.deletionProtection === 'Enabled'
      ? pass('deletion protection is Enabled', evidence)
      : fail('deletion protection is Disabled', evidence, [{ kind: 'enable_key_deletion_protection' }]);
  });
}

// --- Tables and table buckets --------------------------------------------------------------------------

function resourceEncrypted(facts: ResourceFacts): RuleVerdict {
  const read = readable(facts);
  if (!read.ok) return read.verdict;
  const { observation, evidence } = read;
  if (observation.encryptionClass !== 'none') return pass(describeEncryption(observation), evidence);
  const remedies: RemedyIntent[] =
    facts.resource.kind === 'table'
      ? [{ kind: 'recreate_table' }]
      : [{ kind: 'set_table_bucket_encryption' }];
  return fail(describeEncryption(observation), evidence, remedies);
}

function notWeakerThanTableBucket(facts: ResourceFacts): RuleVerdict {
  const read = readable(facts);
  if (!read.ok) return read.verdict;
  const table = read.observation;
  const parent = facts.tableBucketEncryption ?? null;
  const evidence = {
    ...read.evidence,
    tableBucketEncryptionClass: parent?.encryptionClass ?? null,
    tableBucketAlgorithm: parent?.algorithm ?? null,
    tableBucketKmsKeyId: parent?.kmsKeyId ?? null,
    tableBucketErrorCode: parent?.errorCode ?? null,
  };
  if (parent === null) return warning("the table bucket's current encryption is not known", evidence);
  if (parent.encryptionClass === 'unknown') {
    return warning(
      `the table bucket's encryption could not be read (${parent.errorCode ?? 'no answer'})`,
      evidence,
      [{ kind: 'restore_visibility' }],
    );
  }
  return ENCRYPTION_STRENGTH[table.encryptionClass] < ENCRYPTION_STRENGTH[parent.encryptionClass]
    ? fail(
        `the table is ${describeEncryption(table)}, weaker than its table bucket's current default ` +
          `(${describeEncryption(parent)}); a table keeps the encryption it was created with`,
        evidence,
        [{ kind: 'recreate_table' }],
      )
    : pass(
        `the table (${describeEncryption(table)}) is at least as strong as its table bucket's default ` +
          `(${describeEncryption(parent)})`,
        evidence,
      );
}

// --- The key behind a resource (or the key itself) -----------------------------------------------------

function keyExists(facts: ResourceFacts): RuleVerdict {
  return byKeyBehind(facts, (key, evidence) =>
    pass(`KMS key ${key.keyId} exists (${key.keyState})`, evidence),
  );
}

function keyEnabled(facts: ResourceFacts, context: RuleContext): RuleVerdict {
  return byKeyBehind(facts, (key, evidence) => {
    switch (key.keyState) {
      case 'Enabled':
        return pass(`KMS key ${key.keyId} is Enabled`, evidence);
      case 'Disabled':
        return fail(`KMS key ${key.keyId} is Disabled: it can neither encrypt nor decrypt`, evidence, [
          { kind: 'enable_key' },
        ]);
      case 'PendingDeletion': {
        const daysLeft = daysUntil(key.deleteDate, context.at);
        return fail(
          `KMS key ${key.keyId} is PendingDeletion${deletionSchedule(key.deleteDate, daysLeft)}; data under it ` +
            'becomes unreadable when it is deleted',
          { ...evidence, keyDeletionDaysLeft: daysLeft },
          [{ kind: 'cancel_key_deletion' }],
        );
      }
      case 'PendingImport':
        return fail(`KMS key ${key.keyId} is PendingImport: it has no key material yet`, evidence, [
          { kind: 'import_key_material' },
        ]);
    }
  });
}

function keyApproved(facts: ResourceFacts, context: RuleContext): RuleVerdict {
  const approved = context.policy.approvedKmsKeys;
  if (approved.length === 0) return notApplicable('the policy lists no approved KMS keys');
  const named = namedKey(facts);
  if (!named.ok) return named.verdict;
  const observed = facts.key.kind === 'observed' ? facts.key.facts : null;
  const candidates = [named.name, ...(observed === null ? [] : [observed.keyId, observed.arn])];
  const evidence = {
    ...named.evidence,
    ...keyEvidence(facts.key),
    approvedKmsKeys: approved.join(','),
  };
  if (candidates.some((candidate) => isApprovedKmsKey(candidate, approved))) {
    return pass(`KMS key ${named.name} is on the approved list`, evidence);
  }
  if (observed === null && named.name.startsWith('alias/')) {
    return warning(`KMS key ${named.name} is an alias that could not be resolved to a key id`, evidence);
  }
  return fail(`KMS key ${named.name} is not on the approved list`, evidence, [{ kind: 'use_another_key' }]);
}

function encryptionVerifiable(facts: ResourceFacts): RuleVerdict {
  if (facts.resource.kind === 'kms_key') {
    const evidence = keyEvidence(facts.key);
    switch (facts.key.kind) {
      case 'observed':
      case 'not_found':
        return pass(
          `DescribeKey answered (${facts.key.kind === 'observed' ? 'described' : 'not found'})`,
          evidence,
        );
      case 'unknown':
        return warning(`DescribeKey did not answer (${facts.key.errorCode})`, evidence, [
          { kind: 'restore_visibility' },
        ]);
      case 'not_applicable':
        return warning('the key was not described', evidence);
    }
  }
  const read = readable(facts);
  return read.ok ? pass(describeEncryption(read.observation), read.evidence) : read.verdict;
}

// --- Helpers -------------------------------------------------------------------------------------------

/** An observation that says what the encryption is. */
type ReadObservation = EncryptionObservation & {
  readonly encryptionClass: Exclude<EncryptionClass, 'unknown'>;
};

type Readable =
  | { readonly ok: true; readonly observation: ReadObservation; readonly evidence: Evidence }
  | { readonly ok: false; readonly verdict: RuleVerdict };

/** The resource's observation when it says what the encryption is; a warning otherwise. */
function readable(facts: ResourceFacts): Readable {
  const observation = facts.encryption;
  if (observation === null) {
    return { ok: false, verdict: warning('the encryption was not observed', { encryptionObserved: false }) };
  }
  const evidence = encryptionEvidence(observation);
  if (observation.encryptionClass === 'unknown') {
    return {
      ok: false,
      verdict: warning(
        `the encryption could not be read (${observation.errorCode ?? 'no answer'})`,
        evidence,
        [{ kind: 'restore_visibility' }],
      ),
    };
  }
  return {
    ok: true,
    observation: { ...observation, encryptionClass: observation.encryptionClass },
    evidence,
  };
}

interface KeyJudgement {
  readonly judge: (key: KeyFacts, evidence: Evidence) => RuleVerdict;
  readonly notFound: readonly RemedyIntent[];
}

/** Judges a KMS observation by the key it names; a KMS observation without a key id never reaches here. */
function byNamedKey(
  observation: EncryptionObservation,
  assessment: KeyAssessment,
  evidence: Evidence,
  judgement: KeyJudgement,
): RuleVerdict {
  const keyId = observation.kmsKeyId ?? '(no key id)';
  const withKey = { ...evidence, ...keyEvidence(assessment) };
  switch (assessment.kind) {
    case 'observed':
      return judgement.judge(assessment.facts, withKey);
    case 'not_found':
      return fail(`KMS key ${keyId} was not found`, withKey, judgement.notFound);
    case 'unknown':
      return warning(
        `KMS key ${keyId} could not be described (${assessment.errorCode}): its Creator is unknown`,
        withKey,
        [{ kind: 'restore_visibility' }],
      );
    case 'not_applicable':
      return warning(`KMS key ${keyId} was not described: its Creator is unknown`, withKey);
  }
}

type NamedKey =
  | { readonly ok: true; readonly name: string; readonly evidence: Evidence }
  | { readonly ok: false; readonly verdict: RuleVerdict };

/** The key a resource names (its `kmsKeyId`), or a `kms_key` resource's own name. */
function namedKey(facts: ResourceFacts): NamedKey {
  if (facts.resource.kind === 'kms_key') {
    return { ok: true, name: facts.resource.name, evidence: { keyName: facts.resource.name } };
  }
  const read = readable(facts);
  if (!read.ok) return read;
  if (read.observation.kmsKeyId === null) {
    return { ok: false, verdict: notApplicable('the resource names no KMS key') };
  }
  return { ok: true, name: read.observation.kmsKeyId, evidence: read.evidence };
}

/** Judges the key behind a resource, or a key itself: not found fails, not described is a warning. */
function byKeyBehind(
  facts: ResourceFacts,
  judge: (key: KeyFacts, evidence: Evidence) => RuleVerdict,
): RuleVerdict {
  const named = namedKey(facts);
  if (!named.ok) return named.verdict;
  const evidence = { ...named.evidence, ...keyEvidence(facts.key) };
  switch (facts.key.kind) {
    case 'observed':
      return judge(facts.key.facts, evidence);
    case 'not_found':
      return fail(`KMS key ${named.name} was not found (Forbidden.KeyNotFound)`, evidence, [
        { kind: 'use_another_key' },
      ]);
    case 'unknown':
      return warning(`KMS key ${named.name} could not be described (${facts.key.errorCode})`, evidence, [
        { kind: 'restore_visibility' },
      ]);
    case 'not_applicable':
      return warning(`KMS key ${named.name} was not described`, evidence);
  }
}

/** Judges a `kms_key` resource's own configuration; a key that does not exist has none to judge. */
function byOwnKey(
  facts: ResourceFacts,
  judge: (key: KeyFacts, evidence: Evidence) => RuleVerdict,
): RuleVerdict {
  const evidence = keyEvidence(facts.key);
  switch (facts.key.kind) {
    case 'observed':
      return judge(facts.key.facts, evidence);
    case 'not_found':
      return notApplicable('the key does not exist (seed-kms-key-exists reports it)');
    case 'unknown':
      return warning(`the key could not be described (${facts.key.errorCode})`, evidence, [
        { kind: 'restore_visibility' },
      ]);
    case 'not_applicable':
      return warning('the key was not described', evidence);
  }
}

function rotationExclusion(key: KeyFacts): string | null {
  if (isServiceKey(key)) return `a service key (Creator ${key.creator}) is rotated by its service`;
  if (key.origin === 'EXTERNAL')
    return 'a key with imported material (Origin EXTERNAL) cannot be rotated by KMS';
  if (!isSymmetricKeySpec(key.keySpec)) return `an asymmetric key (${key.keySpec}) cannot be rotated`;
  return null;
}

function keyStateRemedies(key: KeyFacts): RemedyIntent[] {
  switch (key.keyState) {
    case 'Disabled':
      return [{ kind: 'enable_key' }];
    case 'PendingDeletion':
      return [{ kind: 'cancel_key_deletion' }];
    case 'PendingImport':
      return [{ kind: 'import_key_material' }];
    case 'Enabled':
      return [{ kind: 'enable_key_rotation' }];
  }
}

function isKms(encryptionClass: EncryptionClass): boolean {
  return encryptionClass === 'kms_cmk' || encryptionClass === 'kms_default';
}

/** Whole days from `at` to the deletion date, rounded up; null when the date is missing or malformed. */
function daysUntil(deleteDate: string | null, at: Date): number | null {
  if (deleteDate === null) return null;
  const due = Date.parse(deleteDate);
  return Number.isNaN(due) ? null : Math.max(0, Math.ceil((due - at.getTime()) / DAY_MS));
}

function deletionSchedule(deleteDate: string | null, daysLeft: number | null): string {
  if (deleteDate === null || daysLeft === null) return ' (deletion date unknown)';
  return daysLeft === 0
    ? ` (deletion due ${deleteDate}: no days left)`
    : ` (deleted on ${deleteDate}: ${daysLeft} day${daysLeft === 1 ? '' : 's'} left)`;
}

/** How the evidence reads in a sentence: `SSE-KMS with key k-1, KMSDataEncryption SM4`. */
export function describeEncryption(observation: EncryptionObservation): string {
  const cipher =
    observation.kmsDataEncryption === null ? '' : `, KMSDataEncryption ${observation.kmsDataEncryption}`;
  switch (observation.encryptionClass) {
    case 'none':
      return 'no default server-side encryption';
    case 'oss_aes256':
      return 'SSE-OSS with AES256';
    case 'oss_sm4':
      return 'SSE-OSS with SM4 (SSEAlgorithm SM4)';
    case 'kms_default':
      return `SSE-KMS with no key id${cipher}`;
    case 'kms_cmk':
      return `SSE-KMS with key ${observation.kmsKeyId ?? ''}${cipher}`;
    case 'unknown':
      return `unknown encryption (${observation.errorCode ?? 'no answer'})`;
  }
}

function encryptionEvidence(observation: EncryptionObservation): Evidence {
  return {
    encryptionClass: observation.encryptionClass,
    algorithm: observation.algorithm,
    kmsKeyId: observation.kmsKeyId,
    kmsDataEncryption: observation.kmsDataEncryption,
    errorCode: observation.errorCode,
    requestId: observation.requestId,
  };
}

function keyEvidence(assessment: KeyAssessment): Evidence {
  switch (assessment.kind) {
    case 'observed': {
      const key = assessment.facts;
      return {
        keyAssessment: 'observed',
        keyId: key.keyId,
        keyArn: key.arn,
        keyState: key.keyState,
        keyCreator: key.creator,
        keyOrigin: key.origin,
        keySpec: key.keySpec,
        keyAutomaticRotation: key.automaticRotation,
        keyDeletionProtection: key.deletionProtection,
        keyDeleteDate: key.deleteDate,
      };
    }
    case 'unknown':
      return { keyAssessment: 'unknown', keyErrorCode: assessment.errorCode };
    case 'not_found':
    case 'not_applicable':
      return { keyAssessment: assessment.kind };
  }
}

function pass(reason: string, evidence: Evidence): RuleVerdict {
  return { status: 'pass', reason, evidence, remedies: [] };
}

function fail(reason: string, evidence: Evidence, remedies: readonly RemedyIntent[]): RuleVerdict {
  return { status: 'fail', reason, evidence, remedies };
}

function warning(reason: string, evidence: Evidence, remedies: readonly RemedyIntent[] = []): RuleVerdict {
  return { status: 'warning', reason, evidence, remedies };
}

function notApplicable(reason: string): RuleVerdict {
  return { status: 'not_applicable', reason };
}

import type {
  EncryptionObservation,
  KeyAssessment as AuditKeyAssessment,
  KeyFacts as ObservedKeyFacts,
  ResourceEvaluationInput,
} from '@app/audit';

import type { KeyAssessment, KeyFacts, KeyRotationStatus, KeyState, ResourceFacts } from './resource-facts';

const KEY_STATES: readonly string[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'];
const ROTATION: readonly string[] = ['Enabled', 'Disabled', 'Suspended'];
/** `acs:kms:{region}:{account uid}:key/{id}` */
const KEY_ARN = /^acs:kms:([^:]+):([0-9]+):key\//;

/**
 * The facts controls read, from what the end of a scan knows of one observed resource (the audit's
 * evaluation input). A KMS key's facts are its own observation; other kinds read the key they name.
 * Null for a resource with no current observation (gone or out of scope): nothing can be judged.
 */
export function factsOfEvaluationInput(input: ResourceEvaluationInput): ResourceFacts | null {
  const current = input.current;
  if (current === null) return null;
  const { ref } = input;
  const resource = {
    kind: ref.kind,
    resourceKey: ref.resourceKey,
    accountAlias: ref.accountAlias,
    region: ref.region,
    name: ref.name,
  };
  if (ref.kind === 'kms_key') {
    return {
      resource,
      accountUid: input.accountId,
      encryption: null,
      key: ownKeyAssessment(current.observation),
    };
  }
  return {
    resource,
    accountUid: input.accountId,
    encryption: current.observation,
    key: complianceKeyAssessment(input.key),
    ...(ref.kind === 'table' ? { tableBucketEncryption: input.parent } : {}),
  };
}

function ownKeyAssessment(observation: EncryptionObservation): KeyAssessment {
  if (observation.encryptionClass === 'none') return { kind: 'not_found' };
  if (observation.encryptionClass === 'unknown' || observation.keyFacts == null) {
    return { kind: 'unknown', errorCode: observation.errorCode ?? 'NotDescribed' };
  }
  return describedKey(observation.keyFacts);
}

function complianceKeyAssessment(key: AuditKeyAssessment): KeyAssessment {
  switch (key.kind) {
    case 'not_applicable':
      return { kind: 'not_applicable' };
    case 'observed':
      return describedKey(key.facts);
    case 'not_found':
      return { kind: 'not_found' };
    case 'unknown':
      // Not read in this scan, or DescribeKey refused: either way the key's facts are unknown.
      return { kind: 'unknown', errorCode: key.errorCode ?? 'NotDescribed' };
  }
}

/**
 * DescribeKey's answer as controls read it. An answer without the state or the creator cannot
 * decide CIS 5.8/5.9 or the key's health: the key counts as not described (a warning), never as fine.
 */
function describedKey(observed: ObservedKeyFacts): KeyAssessment {
  const { keyState, creator, automaticRotation } = observed;
  if (!KEY_STATES.includes(keyState) || creator === null) {
    return { kind: 'unknown', errorCode: 'IncompleteKeyDescription' };
  }
  const arn = observed.arn === null ? null : KEY_ARN.exec(observed.arn);
  const facts: KeyFacts = {
    keyId: observed.keyId,
    arn: observed.arn ?? '',
    region: arn?.[1] ?? '',
    ownerAccountId: arn?.[2] ?? null,
    keyState: keyState as KeyState,
    creator,
    origin: observed.origin === 'EXTERNAL' ? 'EXTERNAL' : 'Aliyun_KMS',
    protectionLevel: observed.protectionLevel ?? '',
    automaticRotation:
      automaticRotation !== null && ROTATION.includes(automaticRotation)
        ? (automaticRotation as KeyRotationStatus)
        : 'Disabled',
    rotationInterval: observed.rotationInterval,
    deletionProtection: observed.deletionProtection === 'Enabled' ? 'Enabled' : 'Disabled',
    deleteDate: observed.deleteDate,
    keySpec: observed.keySpec ?? '',
    keyUsage: observed.keyUsage ?? '',
  };
  return { kind: 'observed', facts };
}

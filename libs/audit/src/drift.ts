import { AuditError } from './audit-error';
import type {
  DriftDirection,
  DriftKind,
  EncryptionClass,
  EncryptionObservation,
  KeyFacts,
  ResourceKind,
} from './domain';

/** Classes a drift diff can compare: every class but `unknown`. */
export type ObservedEncryptionClass = Exclude<EncryptionClass, 'unknown'>;

/**
 * The strength ladder drift directions are read from:
 * `none` < `oss_aes256` = `oss_sm4` < `kms_default` < `kms_cmk`.
 * AES256 and SM4 are equally strong (both OSS-managed), so a swap between them is `changed`, as is a
 * swap of KMS key or a change of KMS data encryption alone.
 */
export const ENCRYPTION_STRENGTH: Readonly<Record<ObservedEncryptionClass, number>> = {
  none: 0,
  oss_aes256: 1,
  oss_sm4: 1,
  kms_default: 2,
  kms_cmk: 3,
};

/** The observation fields whose change is drift (the last four: a KMS key's own state). */
export type DriftField =
  | 'encryptionClass'
  | 'algorithm'
  | 'kmsKeyId'
  | 'kmsDataEncryption'
  | 'keyState'
  | 'automaticRotation'
  | 'deletionProtection'
  | 'deleteDate';

/**
 * How usable a KMS key is: gone (not found) < pending deletion < disabled or awaiting its material
 * < enabled. A key that loses rotation or deletion protection at the same state has weakened too.
 */
const KEY_STATE_STRENGTH: Readonly<Record<string, number>> = {
  PendingDeletion: 1,
  Disabled: 2,
  PendingImport: 2,
  Enabled: 3,
};

function keyStrength(observation: EncryptionObservation): readonly [number, number] {
  const facts = observation.keyFacts;
  if (observation.encryptionClass === 'none' || facts == null) return [0, 0];
  const hygiene =
    (facts.automaticRotation === 'Enabled' ? 1 : 0) + (facts.deletionProtection === 'Enabled' ? 1 : 0);
  return [KEY_STATE_STRENGTH[facts.keyState] ?? 0, hygiene];
}

const KEY_FIELDS: readonly (keyof KeyFacts & DriftField)[] = [
  'keyState',
  'automaticRotation',
  'deletionProtection',
  'deleteDate',
];

/** One drift event: before and after (null for appeared / disappeared) and what moved. */
export interface DriftChange {
  readonly kind: DriftKind;
  /** `changed` for appeared and disappeared: they are not moves along the ladder. */
  readonly direction: DriftDirection;
  readonly before: EncryptionObservation | null;
  readonly after: EncryptionObservation | null;
  /** Fields that differ; empty for appeared and disappeared. */
  readonly changedFields: readonly DriftField[];
}

/**
 * The drift between a resource's consecutive complete observations, or null when nothing that
 * matters changed. `before` null: the resource appeared; `after` null: it disappeared. Algorithm and
 * data-encryption spellings compare case-insensitively; key ids exactly. The caller skips `unknown`
 * observations, which say nothing about encryption; passing one throws `INCOMPLETE_OBSERVATION`.
 */
export function diffEncryption(
  before: EncryptionObservation | null,
  after: EncryptionObservation | null,
  kind: ResourceKind = 'bucket',
): DriftChange | null {
  const from = ranked(before);
  const to = ranked(after);
  if (from === null) {
    return to === null
      ? null
      : { kind: 'appeared', direction: 'changed', before: null, after: to.observation, changedFields: [] };
  }
  if (to === null) {
    return {
      kind: 'disappeared',
      direction: 'changed',
      before: from.observation,
      after: null,
      changedFields: [],
    };
  }
  const changedFields = differingFields(from.observation, to.observation);
  if (changedFields.length === 0) {
    return null;
  }
  return {
    kind: 'encryption_changed',
    direction:
      kind === 'kms_key'
        ? directionOf(compareKeyStrength(keyStrength(to.observation), keyStrength(from.observation)))
        : directionOf(to.strength - from.strength),
    before: from.observation,
    after: to.observation,
    changedFields,
  };
}

/**
 * True for the drift worth an alert: a weakening, or any move to (or appearance as) `none` (for a
 * KMS key: gone).
 */
export function isAlertableDrift(change: DriftChange): boolean {
  return change.direction === 'weakened' || change.after?.encryptionClass === 'none';
}

function differingFields(before: EncryptionObservation, after: EncryptionObservation): DriftField[] {
  const fields: DriftField[] = [];
  if (before.encryptionClass !== after.encryptionClass) {
    fields.push('encryptionClass');
  }
  if (!sameIgnoringCase(before.algorithm, after.algorithm)) {
    fields.push('algorithm');
  }
  if (before.kmsKeyId !== after.kmsKeyId) {
    fields.push('kmsKeyId');
  }
  if (!sameIgnoringCase(before.kmsDataEncryption, after.kmsDataEncryption)) {
    fields.push('kmsDataEncryption');
  }
  for (const field of KEY_FIELDS) {
    if ((before.keyFacts?.[field] ?? null) !== (after.keyFacts?.[field] ?? null)) fields.push(field);
  }
  return fields;
}

function compareKeyStrength(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] === b[0] ? a[1] - b[1] : a[0] - b[0];
}

interface RankedObservation {
  readonly observation: EncryptionObservation;
  readonly strength: number;
}

function ranked(observation: EncryptionObservation | null): RankedObservation | null {
  if (observation === null) {
    return null;
  }
  if (observation.encryptionClass === 'unknown') {
    throw new AuditError(
      'INCOMPLETE_OBSERVATION',
      'An unknown observation cannot take part in a drift diff; compare complete observations only',
    );
  }
  return { observation, strength: ENCRYPTION_STRENGTH[observation.encryptionClass] };
}

function directionOf(strengthDelta: number): DriftDirection {
  if (strengthDelta < 0) {
    return 'weakened';
  }
  return strengthDelta > 0 ? 'strengthened' : 'changed';
}

function sameIgnoringCase(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : a.toUpperCase() === b.toUpperCase();
}

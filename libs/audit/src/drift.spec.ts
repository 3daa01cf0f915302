import type { DriftDirection } from './domain';
import { diffEncryption, isAlertableDrift, type ObservedEncryptionClass } from './drift';
import { observationOf, thrownBy } from './testing/observations';

const LADDER: readonly ObservedEncryptionClass[] = [
  'none',
  'oss_aes256',
  'oss_sm4',
  'kms_default',
  'kms_cmk',
];

const W = 'weakened';
const S = 'strengthened';
const C = 'changed';
const _ = null;

// Rows: before; columns: after, both in LADDER order. `_`: no drift (same class, same fields).
const DIRECTION_MATRIX: Record<ObservedEncryptionClass, readonly (DriftDirection | null)[]> = {
  none: [_, S, S, S, S],
  oss_aes256: [W, _, C, S, S],
  oss_sm4: [W, C, _, S, S],
  kms_default: [W, W, W, _, S],
  kms_cmk: [W, W, W, W, _],
};

const everyPair = LADDER.flatMap((before) =>
  LADDER.map((after, column) => [before, after, DIRECTION_MATRIX[before][column] ?? null] as const),
);

describe('diffEncryption between classes', () => {
  it.each(everyPair)('%s -> %s is %s', (before, after, direction) => {
    expect(diffEncryption(observationOf(before), observationOf(after))?.direction ?? null).toBe(direction);
  });

  it.each(everyPair)('%s -> %s is alertable exactly when it weakens', (before, after, direction) => {
    const change = diffEncryption(observationOf(before), observationOf(after));
    expect(change === null ? null : isAlertableDrift(change)).toBe(
      direction === null ? null : direction === W,
    );
  });

  it('reports the class change as an encryption_changed event with before, after and fields', () => {
    const before = observationOf('kms_cmk');
    const after = observationOf('oss_aes256');
    expect(diffEncryption(before, after)).toEqual({
      kind: 'encryption_changed',
      direction: 'weakened',
      before,
      after,
      changedFields: ['encryptionClass', 'algorithm', 'kmsKeyId'],
    });
  });
});

describe('diffEncryption within a class', () => {
  it('calls a KMS key swap changed', () => {
    const change = diffEncryption(
      observationOf('kms_cmk'),
      observationOf('kms_cmk', { kmsKeyId: 'key-0002' }),
    );
    expect([change?.direction, change?.changedFields]).toEqual(['changed', ['kmsKeyId']]);
  });

  it('calls a change of KMS data encryption alone changed', () => {
    const change = diffEncryption(
      observationOf('kms_cmk'),
      observationOf('kms_cmk', { kmsDataEncryption: 'SM4' }),
    );
    expect([change?.direction, change?.changedFields]).toEqual(['changed', ['kmsDataEncryption']]);
  });

  it('ignores a change of algorithm spelling case', () => {
    expect(
      diffEncryption(observationOf('oss_aes256'), observationOf('oss_aes256', { algorithm: 'aes256' })),
    ).toBe(null);
  });

  it('ignores a change of data encryption spelling case', () => {
    expect(
      diffEncryption(
        observationOf('kms_cmk', { kmsDataEncryption: 'SM4' }),
        observationOf('kms_cmk', { kmsDataEncryption: 'sm4' }),
      ),
    ).toBe(null);
  });

  it('compares key ids exactly, case included', () => {
    expect(
      diffEncryption(observationOf('kms_cmk'), observationOf('kms_cmk', { kmsKeyId: 'KEY-0001' }))
        ?.changedFields,
    ).toEqual(['kmsKeyId']);
  });

  it('ignores request ids', () => {
    expect(
      diffEncryption(observationOf('none', { requestId: 'a' }), observationOf('none', { requestId: 'b' })),
    ).toBe(null);
  });
});

describe('diffEncryption at the edges of a resource life', () => {
  it('reports a resource seen for the first time as appeared', () => {
    const after = observationOf('oss_aes256');
    expect(diffEncryption(null, after)).toEqual({
      kind: 'appeared',
      direction: 'changed',
      before: null,
      after,
      changedFields: [],
    });
  });

  it('reports a resource no longer listed as disappeared', () => {
    const before = observationOf('kms_cmk');
    expect(diffEncryption(before, null)).toEqual({
      kind: 'disappeared',
      direction: 'changed',
      before,
      after: null,
      changedFields: [],
    });
  });

  it('reports nothing when there is neither a before nor an after', () => {
    expect(diffEncryption(null, null)).toBeNull();
  });

  it.each(LADDER)('alerts on a resource that appears as %s only when it is none', (encryptionClass) => {
    const change = diffEncryption(null, observationOf(encryptionClass));
    expect(change !== null && isAlertableDrift(change)).toBe(encryptionClass === 'none');
  });

  it('does not alert on a disappearance', () => {
    const change = diffEncryption(observationOf('none'), null);
    expect(change !== null && isAlertableDrift(change)).toBe(false);
  });
});

describe('diffEncryption refuses unknown observations', () => {
  it.each([
    ['before', observationOf('unknown'), observationOf('none')],
    ['after', observationOf('none'), observationOf('unknown')],
    ['the only side (appeared)', null, observationOf('unknown')],
    ['the only side (disappeared)', observationOf('unknown'), null],
  ])('throws INCOMPLETE_OBSERVATION when %s is unknown', (_side, before, after) => {
    expect(thrownBy(() => diffEncryption(before, after))).toMatchObject({ code: 'INCOMPLETE_OBSERVATION' });
  });
});

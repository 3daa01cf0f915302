import { createHash } from 'node:crypto';

import { ENCRYPTION_CLASSES } from './domain';
import { observationHash } from './observation-hash';
import { observationOf } from './testing/observations';

describe('observationHash', () => {
  it('is the sha256 hex of the JSON array [class, ALGORITHM, key, DATA ENCRYPTION, error code]', () => {
    const observation = observationOf('kms_cmk', { algorithm: 'kms', kmsDataEncryption: 'sm4' });
    const expected = createHash('sha256').update('["kms_cmk","KMS","key-0001","SM4",null]').digest('hex');
    expect(observationHash(observation)).toBe(expected);
  });

  it('gives every class a distinct hash', () => {
    const hashes = ENCRYPTION_CLASSES.map((encryptionClass) =>
      observationHash(observationOf(encryptionClass)),
    );
    expect(new Set(hashes).size).toBe(ENCRYPTION_CLASSES.length);
  });

  it.each([
    ['key id', { kmsKeyId: 'key-0002' }],
    ['data encryption', { kmsDataEncryption: 'SM4' }],
    ['error code', { errorCode: 'Throttling' }],
  ])('changes when the %s changes', (_field, overrides) => {
    expect(observationHash(observationOf('kms_cmk', overrides))).not.toBe(
      observationHash(observationOf('kms_cmk')),
    );
  });

  it.each([
    ['request id', { requestId: 'another-request' }],
    ['error message', { errorMessage: 'worded differently' }],
    ['algorithm spelling case', { algorithm: 'Kms' }],
  ])('ignores the %s', (_field, overrides) => {
    expect(observationHash(observationOf('kms_cmk', overrides))).toBe(
      observationHash(observationOf('kms_cmk')),
    );
  });

  it('keeps one hash for two unknown observations failing with the same code', () => {
    const first = observationOf('unknown', { errorCode: 'AccessDenied', requestId: 'a', errorMessage: 'x' });
    const second = observationOf('unknown', { errorCode: 'AccessDenied', requestId: 'b', errorMessage: 'y' });
    expect(observationHash(first)).toBe(observationHash(second));
  });

  it('cannot be fooled by values that contain the separator of another field', () => {
    const split = observationOf('kms_cmk', { kmsKeyId: 'a', kmsDataEncryption: 'B' });
    const joined = observationOf('kms_cmk', { kmsKeyId: 'a","B', kmsDataEncryption: null });
    expect(observationHash(split)).not.toBe(observationHash(joined));
  });
});

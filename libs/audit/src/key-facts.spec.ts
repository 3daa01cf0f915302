import type { EncryptionObservation, KeyFacts } from './domain';
import {
  accountOfKeyArn,
  assessKey,
  classifyKeyDescription,
  daysUntilDeletion,
  describedKeyResourceKey,
  isServiceKey,
  keyIdOfArn,
  kmsKeyResourceKey,
  OSS_SERVICE_KEY_ALIAS,
  withKeyFacts,
} from './key-facts';

const OWNER = '1234567890123456';
const FACTS: KeyFacts = {
  keyId: 'key-hzz62f1cb66fa42qo2b6x',
  arn: `acs:kms:cn-hangzhou:${OWNER}:key/key-hzz62f1cb66fa42qo2b6x`,
  keyState: 'Enabled',
  creator: OWNER,
  origin: 'Aliyun_KMS',
  protectionLevel: 'SOFTWARE',
  automaticRotation: 'Enabled',
  rotationInterval: '31536000s',
  deletionProtection: 'Enabled',
  deleteDate: null,
  keySpec: 'Aliyun_AES_256',
  keyUsage: 'ENCRYPT/DECRYPT',
};

const CUSTOMER_KEY_OBSERVATION: EncryptionObservation = {
  encryptionClass: 'kms_cmk',
  algorithm: 'KMS',
  kmsKeyId: FACTS.keyId,
  kmsDataEncryption: null,
  errorCode: null,
  errorMessage: null,
  requestId: 'REQ-1',
};

describe('key identity', () => {
  it('keeps a key ARN as it is, even of another account', () => {
    expect(
      kmsKeyResourceKey('acs:kms:cn-beijing:999:key/k-1', { alias: 'prod', accountId: OWNER }, 'cn-hangzhou'),
    ).toBe('acs:kms:cn-beijing:999:key/k-1');
  });

  it('names a bare key id by the ARN it has in the resource’s own account and region', () => {
    // One key must be one resource whether a bucket names it by id and a table bucket by ARN.
    expect(kmsKeyResourceKey(FACTS.keyId, { alias: 'prod', accountId: OWNER }, 'cn-hangzhou')).toBe(
      FACTS.arn,
    );
  });

  it('names a bare key id by account alias and region when the account uid is not configured', () => {
    expect(kmsKeyResourceKey('k-1', { alias: 'prod', accountId: null }, 'cn-hangzhou')).toBe(
      'kms:prod/cn-hangzhou/k-1',
    );
  });

  it('gives an alias only a provisional name, which the description settles to the key ARN', () => {
    const named = kmsKeyResourceKey('alias/audit', { alias: 'prod', accountId: OWNER }, 'cn-hangzhou');
    expect(named).toBe('kms:prod/cn-hangzhou/alias/audit');
    const described = classifyKeyDescription({ outcome: 'key', facts: FACTS, requestId: 'R' });
    expect(describedKeyResourceKey(named, described)).toBe(FACTS.arn);
  });

  it('keeps the name it was asked by when KMS could not describe the key', () => {
    const denied = classifyKeyDescription({
      outcome: 'error',
      error: { code: 'Forbidden.NoPermission', message: 'denied', requestId: 'R' },
    });
    expect(describedKeyResourceKey('kms:prod/cn-hangzhou/alias/audit', denied)).toBe(
      'kms:prod/cn-hangzhou/alias/audit',
    );
  });

  it('reads the key id and the owner out of a key ARN, and nothing out of anything else', () => {
    expect(keyIdOfArn(FACTS.arn ?? '')).toBe(FACTS.keyId);
    expect(accountOfKeyArn(FACTS.arn ?? '')).toBe(OWNER);
    expect(keyIdOfArn('acs:kms:cn-hangzhou:1:alias/x')).toBeNull();
    expect(accountOfKeyArn('key-1')).toBeNull();
  });
});

describe('classifyKeyDescription', () => {
  it('is a customer key when an account created it, with its facts as evidence', () => {
    expect(classifyKeyDescription({ outcome: 'key', facts: FACTS, requestId: 'R-1' })).toEqual({
      encryptionClass: 'kms_cmk',
      algorithm: 'Aliyun_AES_256',
      kmsKeyId: FACTS.keyId,
      kmsDataEncryption: null,
      errorCode: null,
      errorMessage: null,
      requestId: 'R-1',
      keyFacts: FACTS,
    });
  });

  it('is the service’s key when a service (Oss) created it', () => {
    const service = { ...FACTS, creator: 'Oss' };
    expect(isServiceKey(service)).toBe(true);
    expect(classifyKeyDescription({ outcome: 'key', facts: service }).encryptionClass).toBe('kms_default');
  });

  it('is none when KMS has no such key, keeping the code that said so', () => {
    const missing = classifyKeyDescription({ outcome: 'key_not_found', code: 'Forbidden.KeyNotFound' });
    expect(missing).toMatchObject({
      encryptionClass: 'none',
      errorCode: 'Forbidden.KeyNotFound',
      keyFacts: null,
    });
  });

  it('is unknown when the call failed, never something better', () => {
    const failed = classifyKeyDescription({ outcome: 'error', error: { code: '', message: ' ' } });
    expect(failed).toMatchObject({
      encryptionClass: 'unknown',
      errorCode: 'UnspecifiedError',
      errorMessage: null,
    });
  });
});

describe('assessKey', () => {
  it('is unknown for a key this scan did not read: a resource is never compliant on an unread key', () => {
    expect(assessKey('k', null)).toEqual({ kind: 'unknown', resourceKey: 'k', errorCode: null });
  });

  it('follows the key’s observation: described, not found, or unknown with the error', () => {
    const described = classifyKeyDescription({ outcome: 'key', facts: FACTS });
    expect(assessKey('k', described)).toEqual({ kind: 'observed', resourceKey: 'k', facts: FACTS });
    const missing = classifyKeyDescription({ outcome: 'key_not_found', code: 'Forbidden.KeyNotFound' });
    expect(assessKey('k', missing)).toEqual({
      kind: 'not_found',
      resourceKey: 'k',
      code: 'Forbidden.KeyNotFound',
    });
    const denied = classifyKeyDescription({ outcome: 'error', error: { code: 'Forbidden.NoPermission' } });
    expect(assessKey('k', denied)).toEqual({
      kind: 'unknown',
      resourceKey: 'k',
      errorCode: 'Forbidden.NoPermission',
    });
  });
});

describe('withKeyFacts', () => {
  it('calls a bucket that names the OSS service key by its alias a default-key bucket', () => {
    const aliased = { ...CUSTOMER_KEY_OBSERVATION, kmsKeyId: OSS_SERVICE_KEY_ALIAS };
    expect(withKeyFacts(aliased, { kind: 'not_applicable' }).encryptionClass).toBe('kms_default');
  });

  it('calls a bucket whose key a service created a default-key bucket', () => {
    const key = { kind: 'observed', resourceKey: 'k', facts: { ...FACTS, creator: 'Oss' } } as const;
    expect(withKeyFacts(CUSTOMER_KEY_OBSERVATION, key).encryptionClass).toBe('kms_default');
  });

  it('leaves a customer key, and every other class, as observed', () => {
    const key = { kind: 'observed', resourceKey: 'k', facts: FACTS } as const;
    expect(withKeyFacts(CUSTOMER_KEY_OBSERVATION, key)).toBe(CUSTOMER_KEY_OBSERVATION);
    const aes = { ...CUSTOMER_KEY_OBSERVATION, encryptionClass: 'oss_aes256' as const, kmsKeyId: null };
    expect(withKeyFacts(aes, key)).toBe(aes);
  });
});

describe('daysUntilDeletion', () => {
  const at = new Date('2026-12-03T00:00:00Z');

  it('counts whole days left before a pending-deletion key goes', () => {
    expect(daysUntilDeletion({ ...FACTS, deleteDate: '2026-12-10T12:00:00Z' }, at)).toBe(7);
  });

  it('is 0 once the date has passed, and null without a (readable) date', () => {
    expect(daysUntilDeletion({ ...FACTS, deleteDate: '2026-11-01T00:00:00Z' }, at)).toBe(0);
    expect(daysUntilDeletion(FACTS, at)).toBeNull();
    expect(daysUntilDeletion({ ...FACTS, deleteDate: 'soon' }, at)).toBeNull();
  });
});

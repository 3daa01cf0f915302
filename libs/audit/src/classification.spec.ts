import {
  classifyBucketEncryption,
  classifyTableBucketEncryption,
  UNRECOGNISED_ALGORITHM,
  UNSPECIFIED_ERROR,
  type BucketEncryptionRuleInput,
  type TableBucketEncryptionConfigurationInput,
} from './classification';
import type { EncryptionClass, EncryptionObservation } from './domain';

const classOfRule = (rule: BucketEncryptionRuleInput): EncryptionClass =>
  classifyBucketEncryption({ outcome: 'rule', rule, requestId: 'r' }).encryptionClass;

const classOfConfiguration = (configuration: TableBucketEncryptionConfigurationInput): EncryptionClass =>
  classifyTableBucketEncryption({ outcome: 'configuration', configuration, requestId: 'r' }).encryptionClass;

describe('classifyBucketEncryption', () => {
  it.each<[string, BucketEncryptionRuleInput, EncryptionClass]>([
    ['KMS with a key id', { sseAlgorithm: 'KMS', kmsMasterKeyId: 'k-1', kmsDataEncryption: null }, 'kms_cmk'],
    [
      'KMS with SM4 data encryption and a key',
      { sseAlgorithm: 'KMS', kmsMasterKeyId: 'k', kmsDataEncryption: 'SM4' },
      'kms_cmk',
    ],
    [
      'KMS without a key id',
      { sseAlgorithm: 'KMS', kmsMasterKeyId: null, kmsDataEncryption: null },
      'kms_default',
    ],
    [
      'KMS with an empty key id',
      { sseAlgorithm: 'KMS', kmsMasterKeyId: '', kmsDataEncryption: null },
      'kms_default',
    ],
    [
      'KMS with a blank key id',
      { sseAlgorithm: 'KMS', kmsMasterKeyId: '  ', kmsDataEncryption: null },
      'kms_default',
    ],
    ['KMS with the key id missing', { sseAlgorithm: 'KMS' }, 'kms_default'],
    ['AES256', { sseAlgorithm: 'AES256', kmsMasterKeyId: null, kmsDataEncryption: null }, 'oss_aes256'],
    ['SM4', { sseAlgorithm: 'SM4', kmsMasterKeyId: null, kmsDataEncryption: null }, 'oss_sm4'],
    [
      'lower-case kms with a key',
      { sseAlgorithm: 'kms', kmsMasterKeyId: 'k', kmsDataEncryption: null },
      'kms_cmk',
    ],
    ['lower-case aes256', { sseAlgorithm: 'aes256' }, 'oss_aes256'],
    ['mixed-case Sm4', { sseAlgorithm: 'Sm4' }, 'oss_sm4'],
    ['an empty algorithm', { sseAlgorithm: '', kmsMasterKeyId: null, kmsDataEncryption: null }, 'none'],
    ['a missing algorithm', {}, 'none'],
    ['a null algorithm', { sseAlgorithm: null }, 'none'],
    [
      'AES256 with a stray key id (still OSS-managed)',
      { sseAlgorithm: 'AES256', kmsMasterKeyId: 'k' },
      'oss_aes256',
    ],
    ['an unrecognised algorithm', { sseAlgorithm: 'AES512' }, 'unknown'],
  ])('classifies a rule with %s', (_case, rule, expected) => {
    expect(classOfRule(rule)).toBe(expected);
  });

  it('records the raw algorithm spelling, key id, data encryption and request id of a rule', () => {
    expect(
      classifyBucketEncryption({
        outcome: 'rule',
        rule: { sseAlgorithm: 'kms', kmsMasterKeyId: '9468da86-3509', kmsDataEncryption: 'SM4' },
        requestId: '5C1B138A109F4E405B2D',
      }),
    ).toEqual<EncryptionObservation>({
      encryptionClass: 'kms_cmk',
      algorithm: 'kms',
      kmsKeyId: '9468da86-3509',
      kmsDataEncryption: 'SM4',
      errorCode: null,
      errorMessage: null,
      requestId: '5C1B138A109F4E405B2D',
    });
  });

  it('turns empty key id, data encryption and request id into null', () => {
    const observation = classifyBucketEncryption({
      outcome: 'rule',
      rule: { sseAlgorithm: 'KMS', kmsMasterKeyId: '', kmsDataEncryption: '' },
      requestId: '',
    });
    expect([observation.kmsKeyId, observation.kmsDataEncryption, observation.requestId]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('treats a missing request id as null', () => {
    expect(classifyBucketEncryption({ outcome: 'no_rule' }).requestId).toBeNull();
  });

  it('classifies NoSuchServerSideEncryptionRule (no rule) as none with its request id', () => {
    expect(
      classifyBucketEncryption({ outcome: 'no_rule', requestId: 'req-404' }),
    ).toEqual<EncryptionObservation>({
      encryptionClass: 'none',
      algorithm: null,
      kmsKeyId: null,
      kmsDataEncryption: null,
      errorCode: null,
      errorMessage: null,
      requestId: 'req-404',
    });
  });

  it('classifies an error as unknown with its code, message and request id', () => {
    expect(
      classifyBucketEncryption({
        outcome: 'error',
        error: {
          code: 'AccessDenied',
          message: 'You have no right to access this object.',
          requestId: 'req-403',
        },
      }),
    ).toEqual<EncryptionObservation>({
      encryptionClass: 'unknown',
      algorithm: null,
      kmsKeyId: null,
      kmsDataEncryption: null,
      errorCode: 'AccessDenied',
      errorMessage: 'You have no right to access this object.',
      requestId: 'req-403',
    });
  });

  it('gives an error without a code the code UnspecifiedError, so unknown always says why', () => {
    const observation = classifyBucketEncryption({ outcome: 'error', error: { code: '' } });
    expect([observation.encryptionClass, observation.errorCode, observation.errorMessage]).toEqual([
      'unknown',
      UNSPECIFIED_ERROR,
      null,
    ]);
  });

  it('never treats an unrecognised algorithm as compliant: unknown, UnrecognisedAlgorithm, raw value kept', () => {
    const observation = classifyBucketEncryption({
      outcome: 'rule',
      rule: { sseAlgorithm: 'AES512', kmsMasterKeyId: null, kmsDataEncryption: null },
      requestId: 'req-7',
    });
    expect(observation).toMatchObject({
      encryptionClass: 'unknown',
      algorithm: 'AES512',
      errorCode: UNRECOGNISED_ALGORITHM,
      requestId: 'req-7',
    });
    expect(observation.errorMessage).toContain('AES512');
  });
});

describe('classifyTableBucketEncryption', () => {
  it.each<[string, TableBucketEncryptionConfigurationInput, EncryptionClass]>([
    ['AES256 with an empty kmsKeyArn', { sseAlgorithm: 'AES256', kmsKeyArn: '' }, 'oss_aes256'],
    ['AES256 with kmsKeyArn missing', { sseAlgorithm: 'AES256' }, 'oss_aes256'],
    [
      'KMS with a key ARN',
      { sseAlgorithm: 'KMS', kmsKeyArn: 'acs:kms:cn-hangzhou:1234567890:key/key-id' },
      'kms_cmk',
    ],
    ['KMS with an empty kmsKeyArn', { sseAlgorithm: 'KMS', kmsKeyArn: '' }, 'kms_default'],
    ['lower-case aes256', { sseAlgorithm: 'aes256', kmsKeyArn: null }, 'oss_aes256'],
    ['SM4', { sseAlgorithm: 'SM4' }, 'oss_sm4'],
    ['an empty configuration', {}, 'none'],
    ['an empty sseAlgorithm', { sseAlgorithm: '', kmsKeyArn: '' }, 'none'],
    ['an unrecognised algorithm', { sseAlgorithm: 'RSA' }, 'unknown'],
  ])('classifies a configuration with %s', (_case, configuration, expected) => {
    expect(classOfConfiguration(configuration)).toBe(expected);
  });

  it('records the kmsKeyArn as the key id and never a data encryption', () => {
    const arn = 'acs:kms:cn-hangzhou:1234567890:key/key-id';
    const observation = classifyTableBucketEncryption({
      outcome: 'configuration',
      configuration: { sseAlgorithm: 'KMS', kmsKeyArn: arn },
      requestId: 'req-t',
    });
    expect([observation.kmsKeyId, observation.kmsDataEncryption, observation.requestId]).toEqual([
      arn,
      null,
      'req-t',
    ]);
  });

  it('classifies the absent configuration as none', () => {
    expect(
      classifyTableBucketEncryption({ outcome: 'no_configuration', requestId: 'r' }).encryptionClass,
    ).toBe('none');
  });

  it('classifies an error as unknown with its code', () => {
    const observation = classifyTableBucketEncryption({
      outcome: 'error',
      error: {
        code: 'Throttling.User',
        message: 'Request was denied due to user flow control.',
        requestId: 'r9',
      },
    });
    expect([observation.encryptionClass, observation.errorCode, observation.requestId]).toEqual([
      'unknown',
      'Throttling.User',
      'r9',
    ]);
  });

  it('marks an unrecognised table algorithm with UnrecognisedAlgorithm', () => {
    const observation = classifyTableBucketEncryption({
      outcome: 'configuration',
      configuration: { sseAlgorithm: 'RSA' },
    });
    expect([observation.encryptionClass, observation.errorCode, observation.algorithm]).toEqual([
      'unknown',
      UNRECOGNISED_ALGORITHM,
      'RSA',
    ]);
  });
});

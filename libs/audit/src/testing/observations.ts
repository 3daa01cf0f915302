import type { EncryptionClass, EncryptionObservation, ResourceKind, ResourceRef } from '../domain';
import { bucketResourceKey, tableBucketArn } from '../resource-identity';

// Spec-only helpers: one typical observation per class, overridable field by field, and a resource.
const TYPICAL: Record<EncryptionClass, Omit<EncryptionObservation, 'requestId'>> = {
  kms_cmk: nothing('kms_cmk', { algorithm: 'KMS', kmsKeyId: 'key-0001' }),
  kms_default: nothing('kms_default', { algorithm: 'KMS' }),
  oss_aes256: nothing('oss_aes256', { algorithm: 'AES256' }),
  oss_sm4: nothing('oss_sm4', { algorithm: 'SM4' }),
  none: nothing('none', {}),
  unknown: nothing('unknown', {
    errorCode: 'AccessDenied',
    errorMessage: 'You have no right to access this.',
  }),
};

export function observationOf(
  encryptionClass: EncryptionClass,
  overrides: Partial<EncryptionObservation> = {},
): EncryptionObservation {
  return { ...TYPICAL[encryptionClass], requestId: 'req-1', ...overrides };
}

export function resourceOf(kind: ResourceKind, name = 'audit-target'): ResourceRef {
  return {
    kind,
    name,
    accountAlias: 'prod',
    region: 'cn-hangzhou',
    resourceKey:
      kind === 'bucket' ? bucketResourceKey(name) : tableBucketArn('cn-hangzhou', '1234567890', name),
  };
}

function nothing(
  encryptionClass: EncryptionClass,
  fields: Partial<EncryptionObservation>,
): Omit<EncryptionObservation, 'requestId'> {
  return {
    encryptionClass,
    algorithm: null,
    kmsKeyId: null,
    kmsDataEncryption: null,
    errorCode: null,
    errorMessage: null,
    ...fields,
  };
}

export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

import {
  type EncryptionClass,
  type EncryptionObservation,
  observationHash,
  type ResourceRef,
} from '@app/audit';

import type { ObservedResource } from '../observation.repository';

/** Factories for the persistence tests (not exported from the library). */
export function bucketRef(name: string, overrides: Partial<ResourceRef> = {}): ResourceRef {
  return {
    kind: 'bucket',
    resourceKey: `oss:${name}`,
    accountAlias: 'prod',
    region: 'cn-hangzhou',
    name,
    ...overrides,
  };
}

const ALGORITHM: Record<EncryptionClass, string | null> = {
  kms_cmk: 'KMS',
  kms_default: 'KMS',
  oss_aes256: 'AES256',
  oss_sm4: 'SM4',
  none: null,
  unknown: null,
};

export function observation(
  encryptionClass: EncryptionClass,
  overrides: Partial<EncryptionObservation> = {},
): EncryptionObservation {
  return {
    encryptionClass,
    algorithm: ALGORITHM[encryptionClass],
    kmsKeyId: encryptionClass === 'kms_cmk' ? 'key-1' : null,
    kmsDataEncryption: null,
    errorCode: encryptionClass === 'unknown' ? 'AccessDenied' : null,
    errorMessage: encryptionClass === 'unknown' ? 'You have no right to access this bucket.' : null,
    requestId: 'req-0001',
    ...overrides,
  };
}

export function observed(ref: ResourceRef, seen: EncryptionObservation): ObservedResource {
  return { ref, observation: seen, contentHash: observationHash(seen) };
}

/** Pinned instants, one per night. */
export function night(day: number): Date {
  return new Date(Date.UTC(2026, 2, day, 2, 0, 0));
}

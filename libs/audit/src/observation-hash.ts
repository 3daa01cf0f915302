import { createHash } from 'node:crypto';

import type { EncryptionObservation } from './domain';

/**
 * Content hash (sha256, hex) of what an observation says: class, algorithm, key id, data encryption,
 * error code and, for a KMS key, its facts. Request id and error message vary on every call and are left out, and spellings
 * are compared as drift compares them (algorithm and data encryption case-insensitively), so two
 * observations share a hash exactly when the change log should keep one row for both.
 */
export function observationHash(observation: EncryptionObservation): string {
  const content: unknown[] = [
    observation.encryptionClass,
    observation.algorithm?.toUpperCase() ?? null,
    observation.kmsKeyId,
    observation.kmsDataEncryption?.toUpperCase() ?? null,
    observation.errorCode,
  ];
  // A KMS key's facts are part of what it says; other observations hash as they always did.
  if (observation.keyFacts != null) content.push(observation.keyFacts);
  return createHash('sha256').update(JSON.stringify(content), 'utf8').digest('hex');
}

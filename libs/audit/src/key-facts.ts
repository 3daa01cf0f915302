import type { ServiceErrorInput } from './classification';
import type { EncryptionObservation, KeyFacts } from './domain';

/**
 * What the audit knows of the KMS key a resource's encryption names, at evaluation:
 * - `not_applicable`: the resource names no key (not KMS, or the OSS-managed default key);
 * - `observed`: DescribeKey described it in this scan;
 * - `not_found`: KMS says no such key in that account and region;
 * - `unknown`: DescribeKey was denied or failed, or the key was not read in this scan. The resource
 *   is then never reported compliant on its key.
 */
export type KeyAssessment =
  | { readonly kind: 'not_applicable' }
  | { readonly kind: 'observed'; readonly resourceKey: string; readonly facts: KeyFacts }
  | { readonly kind: 'not_found'; readonly resourceKey: string; readonly code: string | null }
  | { readonly kind: 'unknown'; readonly resourceKey: string; readonly errorCode: string | null };

export const KEY_NOT_APPLICABLE: KeyAssessment = Object.freeze({ kind: 'not_applicable' });

/** The outcome of DescribeKey, as the client reports it (its own result type is compatible). */
export type KeyDescriptionInput =
  | { readonly outcome: 'key'; readonly facts: KeyFacts; readonly requestId?: string | null }
  | { readonly outcome: 'key_not_found'; readonly code: string; readonly requestId?: string | null }
  | { readonly outcome: 'error'; readonly error: ServiceErrorInput };

/** The alias of the OSS service key in KMS (what a bucket with `KMS` and no key id uses). */
export const OSS_SERVICE_KEY_ALIAS = 'alias/acs/oss';

const KMS_KEY_ARN = /^acs:kms:([^:]*):([^:]*):key\/(.+)$/;

/** The key id of a key ARN (`acs:kms:{region}:{uid}:key/{id}`); null for anything else. */
export function keyIdOfArn(value: string): string | null {
  return KMS_KEY_ARN.exec(value)?.[3] ?? null;
}

/** The owner account uid of a key ARN; null for anything else. */
export function accountOfKeyArn(value: string): string | null {
  const account = KMS_KEY_ARN.exec(value)?.[2];
  return account === undefined || account === '' ? null : account;
}

/**
 * The resource key of the KMS key a resource names, so that one key has one identity however it
 * is named. A key ARN is itself; a bare key id is the ARN of that id in the resource's own account
 * and region (OSS requires the key in the bucket's region) when the account uid is known, else
 * `kms:{accountAlias}/{region}/{id}`. An alias (`alias/x` or its ARN) is only a provisional name:
 * `describedKeyResourceKey` settles it once KMS has said which key it points to.
 */
export function kmsKeyResourceKey(
  reference: string,
  owner: { readonly alias: string; readonly accountId: string | null },
  region: string,
): string {
  if (reference.startsWith('acs:')) return reference;
  if (!reference.startsWith('alias/') && owner.accountId !== null) {
    return `acs:kms:${region}:${owner.accountId}:key/${reference}`;
  }
  return `kms:${owner.alias}/${region}/${reference}`;
}

/** The identity of a key once described: the ARN KMS reports, else the name it was asked by. */
export function describedKeyResourceKey(referenceKey: string, description: EncryptionObservation): string {
  return description.keyFacts?.arn ?? referenceKey;
}

/**
 * A key that the service, not the customer, created (`Creator` is a service name such as `Oss`
 * rather than an account uid), or the OSS service key's alias.
 */
export function isServiceKey(facts: KeyFacts): boolean {
  return facts.creator !== null && !/^\d+$/.test(facts.creator);
}

/**
 * The observation of a `kms_key` resource: `kms_cmk` for a customer key, `kms_default` for a
 * service key, `none` when KMS has no such key, `unknown` when it could not tell. The facts travel
 * with it (and into its content hash), so a change of state is a change of observation.
 */
export function classifyKeyDescription(result: KeyDescriptionInput): EncryptionObservation {
  switch (result.outcome) {
    case 'key':
      return {
        encryptionClass: isServiceKey(result.facts) ? 'kms_default' : 'kms_cmk',
        algorithm: result.facts.keySpec,
        kmsKeyId: result.facts.keyId,
        kmsDataEncryption: null,
        errorCode: null,
        errorMessage: null,
        requestId: presentOrNull(result.requestId),
        keyFacts: result.facts,
      };
    case 'key_not_found':
      return {
        encryptionClass: 'none',
        algorithm: null,
        kmsKeyId: null,
        kmsDataEncryption: null,
        errorCode: result.code,
        errorMessage: null,
        requestId: presentOrNull(result.requestId),
        keyFacts: null,
      };
    case 'error':
      return {
        encryptionClass: 'unknown',
        algorithm: null,
        kmsKeyId: null,
        kmsDataEncryption: null,
        errorCode: presentOrNull(result.error.code) ?? 'UnspecifiedError',
        errorMessage: presentOrNull(result.error.message),
        requestId: presentOrNull(result.error.requestId),
        keyFacts: null,
      };
  }
}

/** The assessment of a key from its resource's observation in this scan (null: not read in it). */
export function assessKey(resourceKey: string, keyObservation: EncryptionObservation | null): KeyAssessment {
  if (keyObservation === null) return { kind: 'unknown', resourceKey, errorCode: null };
  if (keyObservation.encryptionClass === 'none') {
    return { kind: 'not_found', resourceKey, code: keyObservation.errorCode };
  }
  if (keyObservation.encryptionClass === 'unknown' || keyObservation.keyFacts == null) {
    return { kind: 'unknown', resourceKey, errorCode: keyObservation.errorCode };
  }
  return { kind: 'observed', resourceKey, facts: keyObservation.keyFacts };
}

/**
 * A resource's observation, honest about its key: one that names the OSS service key explicitly
 * (by its alias, or a key whose Creator is a service) is `kms_default`, not a customer key.
 */
export function withKeyFacts(observation: EncryptionObservation, key: KeyAssessment): EncryptionObservation {
  if (observation.encryptionClass !== 'kms_cmk') return observation;
  const namesServiceKey =
    observation.kmsKeyId === OSS_SERVICE_KEY_ALIAS || (key.kind === 'observed' && isServiceKey(key.facts));
  return namesServiceKey ? { ...observation, encryptionClass: 'kms_default' } : observation;
}

/** Whole days from `at` until a pending-deletion key goes (0 when the date has passed); null if unknown. */
export function daysUntilDeletion(facts: KeyFacts, at: Date): number | null {
  if (facts.deleteDate === null) return null;
  const deletion = Date.parse(facts.deleteDate);
  if (Number.isNaN(deletion)) return null;
  return Math.max(0, Math.floor((deletion - at.getTime()) / 86_400_000));
}

function presentOrNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

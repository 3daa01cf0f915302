import type { EncryptionClass, EncryptionObservation } from '@app/audit';

import type { ComplianceException } from '../exceptions/exception';
import type {
  ComplianceResourceKind,
  ComplianceResourceRef,
  KeyAssessment,
  KeyFacts,
  KeyState,
  ResourceFacts,
} from '../resource-facts';

// Spec-only builders: typical facts, overridable field by field. Pinned clock and account.
export const AT = new Date('2025-06-01T00:00:00Z');
export const ACCOUNT_UID = '1234567890';
export const OTHER_ACCOUNT_UID = '9876543210';
export const KEY_ID = 'key-hzz0001';
export const REGION = 'cn-hangzhou';

export function observationOf(
  encryptionClass: EncryptionClass,
  overrides: Partial<EncryptionObservation> = {},
): EncryptionObservation {
  const typical: Record<EncryptionClass, Partial<EncryptionObservation>> = {
    kms_cmk: { algorithm: 'KMS', kmsKeyId: KEY_ID },
    kms_default: { algorithm: 'KMS' },
    oss_aes256: { algorithm: 'AES256' },
    oss_sm4: { algorithm: 'SM4' },
    none: {},
    unknown: { errorCode: 'AccessDenied', errorMessage: 'You have no right to access this.' },
  };
  return {
    encryptionClass,
    algorithm: null,
    kmsKeyId: null,
    kmsDataEncryption: null,
    errorCode: null,
    errorMessage: null,
    requestId: 'req-1',
    ...typical[encryptionClass],
    ...overrides,
  };
}

/** A customer key of the account, in the state given, with the configuration a key in that state has. */
export function keyFactsOf(keyState: KeyState = 'Enabled', overrides: Partial<KeyFacts> = {}): KeyFacts {
  return {
    keyId: KEY_ID,
    arn: `acs:kms:${REGION}:${ACCOUNT_UID}:key/${KEY_ID}`,
    region: REGION,
    ownerAccountId: ACCOUNT_UID,
    keyState,
    creator: ACCOUNT_UID,
    origin: keyState === 'PendingImport' ? 'EXTERNAL' : 'Aliyun_KMS',
    protectionLevel: 'SOFTWARE',
    automaticRotation: keyState === 'Enabled' ? 'Enabled' : 'Suspended',
    rotationInterval: '31536000s',
    deletionProtection: keyState === 'PendingDeletion' ? 'Disabled' : 'Enabled',
    deleteDate: keyState === 'PendingDeletion' ? '2025-06-08T00:00:00Z' : null,
    keySpec: 'Aliyun_AES_256',
    keyUsage: 'ENCRYPT/DECRYPT',
    ...overrides,
  };
}

export function observedKey(
  keyState: KeyState = 'Enabled',
  overrides: Partial<KeyFacts> = {},
): KeyAssessment {
  return { kind: 'observed', facts: keyFactsOf(keyState, overrides) };
}

export function resourceOf(kind: ComplianceResourceKind, name = defaultName(kind)): ComplianceResourceRef {
  const resourceKey: Record<ComplianceResourceKind, string> = {
    bucket: `oss:${name}`,
    table_bucket: `acs:osstables:${REGION}:${ACCOUNT_UID}:bucket/${name}`,
    table: `acs:osstables:${REGION}:${ACCOUNT_UID}:bucket/analytics/table/${name}`,
    kms_key: `acs:kms:${REGION}:${ACCOUNT_UID}:key/${name}`,
  };
  return { kind, name, resourceKey: resourceKey[kind], accountAlias: 'prod', region: REGION };
}

export function factsOf(kind: ComplianceResourceKind, overrides: Partial<ResourceFacts> = {}): ResourceFacts {
  const keyOwner = kind === 'kms_key';
  return {
    resource: resourceOf(kind),
    accountUid: ACCOUNT_UID,
    encryption: keyOwner ? null : observationOf('kms_cmk'),
    key: observedKey(),
    ...(kind === 'table' ? { tableBucketEncryption: observationOf('oss_aes256') } : {}),
    ...overrides,
  };
}

/** An approved, active exception of the resource, covering the given controls. */
export function exceptionOf(overrides: Partial<ComplianceException> = {}): ComplianceException {
  return {
    id: 'exc-1',
    source: 'api',
    scope: { type: 'resource', resourceKey: resourceOf('bucket').resourceKey },
    controlIds: [],
    findingRules: [],
    reason: 'Accepted until the migration planned in SEC-42',
    owner: 'alice@example.com',
    approver: 'bob@example.com',
    ticketUrl: 'https://jira.example.com/browse/SEC-42',
    createdBy: 'alice@example.com',
    createdAt: new Date('2025-05-01T00:00:00Z'),
    expiresAt: new Date('2025-12-31T00:00:00Z'),
    approvedBy: 'bob@example.com',
    approvedAt: new Date('2025-05-02T00:00:00Z'),
    revokedBy: null,
    revokedAt: null,
    revocationReason: null,
    ...overrides,
  };
}

function defaultName(kind: ComplianceResourceKind): string {
  return kind === 'kms_key' ? KEY_ID : kind === 'table' ? 'events' : 'audit-target';
}

export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

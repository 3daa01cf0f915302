import { DEFAULT_CATALOGUE } from './catalogue/default-catalogue';
import { evaluateControls, type ControlResult } from './evaluation';
import type { ResourceFacts } from './resource-facts';
import type { CompliancePolicy } from './rules';
import {
  ACCOUNT_UID,
  AT,
  factsOf,
  KEY_ID,
  observationOf,
  observedKey,
  OTHER_ACCOUNT_UID,
  REGION,
} from './testing/facts';

const CIS_58 = 'cis-alibaba-v2.0.0-5.8';
const CIS_59 = 'cis-alibaba-v2.0.0-5.9';
const BYOK = 'config-oss-encryption-byok-check';

function resultOf(
  facts: ResourceFacts,
  controlId: string,
  policy?: CompliancePolicy,
): ControlResult | undefined {
  return evaluateControls(facts, DEFAULT_CATALOGUE, [], AT, policy).find(
    (result) => result.controlId === controlId,
  );
}

function statusOf(facts: ResourceFacts, controlId: string, policy?: CompliancePolicy): string {
  return resultOf(facts, controlId, policy)?.status ?? 'no result';
}

const serviceKey = observedKey('Enabled', {
  creator: 'Oss',
  keyId: 'key-oss-service',
  automaticRotation: 'Disabled',
});

describe("peers' known mistakes on CIS 5.8 and 5.9", () => {
  it('passes 5.8 for a bucket on KMS with no key id, which Steampipe alarms on', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('kms_default'),
      key: { kind: 'not_applicable' },
    });
    expect(statusOf(facts, CIS_58)).toBe('pass');
    expect(statusOf(facts, CIS_59)).toBe('fail');
  });

  it('fails 5.8 and 5.9 for SSEAlgorithm SM4, which Prowler passes as "encrypted"', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('oss_sm4'),
      key: { kind: 'not_applicable' },
    });
    expect([statusOf(facts, CIS_58), statusOf(facts, CIS_59)]).toEqual(['fail', 'fail']);
    expect(statusOf(facts, 'config-oss-bucket-server-side-encryption-enabled')).toBe('pass');
  });

  it('reads KMSDataEncryption SM4 as a cipher: KMS with the service key still passes 5.8', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('kms_default', { kmsDataEncryption: 'SM4' }),
      key: { kind: 'not_applicable' },
    });
    expect(statusOf(facts, CIS_58)).toBe('pass');
    expect(resultOf(facts, CIS_58)?.evidence).toMatchObject({
      kmsDataEncryption: 'SM4',
      encryptionClass: 'kms_default',
    });
  });

  it('answers warning, never pass or fail, for a bucket whose encryption was denied', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('unknown'),
      key: { kind: 'not_applicable' },
    });
    for (const controlId of [CIS_58, CIS_59]) {
      const result = resultOf(facts, controlId);
      expect(result?.status).toBe('warning');
      expect(result?.reason).toContain('AccessDenied');
    }
  });

  it('answers warning for both when the key of a KMS bucket cannot be described: its Creator is unknown', () => {
    const facts = factsOf('bucket', { key: { kind: 'unknown', errorCode: 'Forbidden.NoPermission' } });
    expect([statusOf(facts, CIS_58), statusOf(facts, CIS_59)]).toEqual(['warning', 'warning']);
    expect(resultOf(facts, CIS_59)?.reason).toContain('Forbidden.NoPermission');
  });

  it('passes 5.8 and fails 5.9 and the BYOK rule for a bucket naming the service key explicitly', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('kms_cmk', { kmsKeyId: 'key-oss-service' }),
      key: serviceKey,
    });
    expect([statusOf(facts, CIS_58), statusOf(facts, CIS_59), statusOf(facts, BYOK)]).toEqual([
      'pass',
      'fail',
      'fail',
    ]);
  });

  it("fails 5.9 for another account's key, which the BYOK rule still counts as customer-managed", () => {
    const facts = factsOf('bucket', { key: observedKey('Enabled', { creator: OTHER_ACCOUNT_UID }) });
    expect(statusOf(facts, CIS_59)).toBe('fail');
    expect(resultOf(facts, CIS_59)?.reason).toContain(OTHER_ACCOUNT_UID);
    expect(statusOf(facts, BYOK)).toBe('pass');
  });

  it("answers warning on 5.9 when the account's uid is not known", () => {
    const facts = factsOf('bucket', { accountUid: null });
    expect(statusOf(facts, CIS_59)).toBe('warning');
  });

  it('records the creator and the account uid it compared as evidence', () => {
    expect(resultOf(factsOf('bucket'), CIS_59)?.evidence).toMatchObject({
      keyCreator: ACCOUNT_UID,
      accountUid: ACCOUNT_UID,
      kmsKeyId: KEY_ID,
      keyAssessment: 'observed',
    });
  });
});

describe('resources that were not observed', () => {
  it.each(['bucket', 'table_bucket', 'table'] as const)(
    'a %s without an observation gets warnings only',
    (kind) => {
      const results = evaluateControls(factsOf(kind, { encryption: null }), DEFAULT_CATALOGUE, [], AT);
      expect(results.length).toBeGreaterThan(0);
      expect(new Set(results.map((result) => result.status))).toEqual(new Set(['warning']));
    },
  );
});

describe('controls of other kinds', () => {
  it('gives a bucket no table or key-configuration result', () => {
    const ids = evaluateControls(factsOf('bucket'), DEFAULT_CATALOGUE, [], AT).map(
      (result) => result.controlId,
    );
    expect(ids).toEqual([
      CIS_58,
      CIS_59,
      'config-oss-bucket-server-side-encryption-enabled',
      'config-oss-default-encryption-kms',
      BYOK,
      'seed-kms-key-exists',
      'seed-kms-key-enabled',
      'seed-encryption-verifiable',
    ]);
  });

  it('gives a key no bucket result', () => {
    const ids = evaluateControls(factsOf('kms_key'), DEFAULT_CATALOGUE, [], AT).map(
      (result) => result.controlId,
    );
    expect(ids).toEqual([
      'config-kms-key-rotation-enabled',
      'config-kms-key-delete-protection-enabled',
      'seed-kms-key-exists',
      'seed-kms-key-enabled',
      'seed-encryption-verifiable',
    ]);
  });
});

describe('the key behind a resource', () => {
  it('says how many days are left before a PendingDeletion key is deleted', () => {
    const result = resultOf(
      factsOf('bucket', { key: observedKey('PendingDeletion') }),
      'seed-kms-key-enabled',
    );
    expect(result?.status).toBe('fail');
    expect(result?.reason).toContain('7 days left');
    expect(result?.evidence).toMatchObject({ keyDeletionDaysLeft: 7, keyDeleteDate: '2025-06-08T00:00:00Z' });
    expect(result?.remedies).toEqual([{ kind: 'cancel_key_deletion' }]);
  });

  it('rounds a part day up and says when the deletion is due now', () => {
    const soon = resultOf(
      factsOf('bucket', { key: observedKey('PendingDeletion', { deleteDate: '2025-06-01T06:00:00Z' }) }),
      'seed-kms-key-enabled',
    );
    expect(soon?.reason).toContain('1 day left');
    const due = resultOf(
      factsOf('bucket', { key: observedKey('PendingDeletion', { deleteDate: '2025-05-30T00:00:00Z' }) }),
      'seed-kms-key-enabled',
    );
    expect(due?.reason).toContain('no days left');
  });

  it('still fails a PendingDeletion key whose deletion date is missing', () => {
    const result = resultOf(
      factsOf('bucket', { key: observedKey('PendingDeletion', { deleteDate: null }) }),
      'seed-kms-key-enabled',
    );
    expect(result?.status).toBe('fail');
    expect(result?.evidence).toMatchObject({ keyDeletionDaysLeft: null });
  });

  it('fails a key that does not exist, for the resource and for the key itself', () => {
    expect(statusOf(factsOf('table_bucket', { key: { kind: 'not_found' } }), 'seed-kms-key-exists')).toBe(
      'fail',
    );
    expect(statusOf(factsOf('kms_key', { key: { kind: 'not_found' } }), 'seed-kms-key-exists')).toBe('fail');
  });
});

describe('approved keys (policy)', () => {
  const arnPolicy = { approvedKmsKeys: [`acs:kms:${REGION}:${ACCOUNT_UID}:key/${KEY_ID}`] };

  it('gives no result without an approved list', () => {
    expect(statusOf(factsOf('bucket'), 'seed-kms-key-approved')).toBe('no result');
  });

  it('passes a key named by id when the list holds its ARN', () => {
    expect(statusOf(factsOf('bucket'), 'seed-kms-key-approved', arnPolicy)).toBe('pass');
  });

  it('fails a key that is not on the list', () => {
    const result = resultOf(factsOf('bucket'), 'seed-kms-key-approved', { approvedKmsKeys: ['key-other'] });
    expect(result?.status).toBe('fail');
    expect(result?.remedies).toEqual([{ kind: 'use_another_key' }]);
  });

  it('resolves an alias through the described key, and warns when it cannot', () => {
    const alias = observationOf('kms_cmk', { kmsKeyId: 'alias/data' });
    expect(statusOf(factsOf('bucket', { encryption: alias }), 'seed-kms-key-approved', arnPolicy)).toBe(
      'pass',
    );
    const undescribed = factsOf('bucket', {
      encryption: alias,
      key: { kind: 'unknown', errorCode: 'Throttling' },
    });
    expect(statusOf(undescribed, 'seed-kms-key-approved', arnPolicy)).toBe('warning');
  });

  it('gives a bucket that names no key no result', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('kms_default'),
      key: { kind: 'not_applicable' },
    });
    expect(statusOf(facts, 'seed-kms-key-approved', arnPolicy)).toBe('no result');
  });

  it('judges a key resource by its own id', () => {
    expect(statusOf(factsOf('kms_key'), 'seed-kms-key-approved', { approvedKmsKeys: [KEY_ID] })).toBe('pass');
    expect(statusOf(factsOf('kms_key'), 'seed-kms-key-approved', { approvedKmsKeys: ['key-other'] })).toBe(
      'fail',
    );
  });
});

describe('key rotation (kms-key-rotation-enabled)', () => {
  const rotation = (key: ResourceFacts['key']): string =>
    statusOf(factsOf('kms_key', { key }), 'config-kms-key-rotation-enabled');

  it('fails a customer key whose rotation is Disabled', () => {
    expect(rotation(observedKey('Enabled', { automaticRotation: 'Disabled', rotationInterval: null }))).toBe(
      'fail',
    );
  });

  it('gives no result for service keys, imported material and asymmetric keys', () => {
    expect(rotation(serviceKey)).toBe('no result');
    expect(rotation(observedKey('Enabled', { origin: 'EXTERNAL', automaticRotation: 'Disabled' }))).toBe(
      'no result',
    );
    expect(rotation(observedKey('Enabled', { keySpec: 'RSA_2048', automaticRotation: 'Disabled' }))).toBe(
      'no result',
    );
  });

  it('asks to enable a Disabled key whose rotation is Suspended', () => {
    const result = resultOf(
      factsOf('kms_key', { key: observedKey('Disabled') }),
      'config-kms-key-rotation-enabled',
    );
    expect(result?.reason).toContain('Suspended because the key is Disabled');
    expect(result?.remedies).toEqual([{ kind: 'enable_key' }]);
  });
});

describe('key deletion protection (kms-key-delete-protection-enabled)', () => {
  it('fails an Enabled customer key without deletion protection', () => {
    const facts = factsOf('kms_key', { key: observedKey('Enabled', { deletionProtection: 'Disabled' }) });
    expect(statusOf(facts, 'config-kms-key-delete-protection-enabled')).toBe('fail');
  });

  it('gives no result for a service key', () => {
    expect(
      statusOf(factsOf('kms_key', { key: serviceKey }), 'config-kms-key-delete-protection-enabled'),
    ).toBe('no result');
  });
});

describe('a table against its table bucket', () => {
  const table = (
    encryptionClass: 'oss_aes256' | 'kms_cmk' | 'none',
    parent: ResourceFacts['tableBucketEncryption'],
  ) =>
    resultOf(
      factsOf('table', { encryption: observationOf(encryptionClass), tableBucketEncryption: parent }),
      'seed-table-not-weaker-than-bucket',
    );

  it('fails an AES256 table in a table bucket whose default is now a KMS key, and asks to recreate it', () => {
    const result = table('oss_aes256', observationOf('kms_cmk'));
    expect(result?.status).toBe('fail');
    expect(result?.reason).toContain('keeps the encryption it was created with');
    expect(result?.remedies).toEqual([{ kind: 'recreate_table' }]);
  });

  it('passes a table stronger than its table bucket default', () => {
    expect(table('kms_cmk', observationOf('oss_aes256'))?.status).toBe('pass');
  });

  it("warns when the table bucket's encryption is unknown or missing", () => {
    expect(table('oss_aes256', observationOf('unknown'))?.status).toBe('warning');
    expect(table('oss_aes256', null)?.status).toBe('warning');
    expect(table('oss_aes256', undefined)?.status).toBe('warning');
  });
});

describe('results', () => {
  it('carry the catalogue version, severity, resource and instant', () => {
    const [first] = evaluateControls(factsOf('bucket'), DEFAULT_CATALOGUE, [], AT);
    expect(first).toMatchObject({
      controlId: CIS_58,
      ruleId: 'sse_service_key',
      catalogueVersion: DEFAULT_CATALOGUE.version,
      severity: 'medium',
      resourceKey: 'oss:audit-target',
      resourceKind: 'bucket',
      evaluatedAt: AT,
    });
  });

  it('carry no remedy when they pass', () => {
    const results = evaluateControls(factsOf('bucket'), DEFAULT_CATALOGUE, [], AT);
    expect(
      results.filter((result) => result.status === 'pass').every((result) => result.remedies.length === 0),
    ).toBe(true);
  });
});

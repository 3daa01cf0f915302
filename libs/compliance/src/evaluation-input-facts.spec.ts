import type { KeyFacts as ObservedKeyFacts, ResourceEvaluationInput, ResourceRef } from '@app/audit';

import { DEFAULT_CATALOGUE } from './catalogue/default-catalogue';
import { evaluateControls } from './evaluation';
import { factsOfEvaluationInput } from './evaluation-input-facts';
import { ACCOUNT_UID, AT, KEY_ID, observationOf, REGION } from './testing/facts';

const BUCKET: ResourceRef = {
  kind: 'bucket',
  resourceKey: 'oss:reports',
  accountAlias: 'prod',
  region: REGION,
  name: 'reports',
  parentKey: null,
};
const KEY_REF: ResourceRef = {
  kind: 'kms_key',
  resourceKey: `acs:kms:${REGION}:${ACCOUNT_UID}:key/${KEY_ID}`,
  accountAlias: 'prod',
  region: REGION,
  name: KEY_ID,
  parentKey: null,
};

function describedKey(overrides: Partial<ObservedKeyFacts> = {}): ObservedKeyFacts {
  return {
    keyId: KEY_ID,
    arn: `acs:kms:${REGION}:${ACCOUNT_UID}:key/${KEY_ID}`,
    keyState: 'Enabled',
    creator: ACCOUNT_UID,
    origin: 'Aliyun_KMS',
    protectionLevel: 'SOFTWARE',
    automaticRotation: 'Enabled',
    rotationInterval: '31536000s',
    deletionProtection: 'Enabled',
    deleteDate: null,
    keySpec: 'Aliyun_AES_256',
    keyUsage: 'ENCRYPT/DECRYPT',
    ...overrides,
  };
}

function inputOf(overrides: Partial<ResourceEvaluationInput>): ResourceEvaluationInput {
  return {
    resourceId: 1,
    ref: BUCKET,
    firstSeenInThisScan: false,
    reappearedInThisScan: false,
    previousScanId: null,
    current: { changeId: 1, observation: observationOf('kms_cmk') },
    absence: null,
    previousComplete: null,
    openFindings: [],
    key: { kind: 'observed', resourceKey: KEY_REF.resourceKey, facts: describedKey() },
    parent: null,
    accountId: ACCOUNT_UID,
    ...overrides,
  };
}

const statusOf = (input: ResourceEvaluationInput, controlId: string): string | undefined => {
  const facts = factsOfEvaluationInput(input);
  if (facts === null) return undefined;
  return evaluateControls(facts, DEFAULT_CATALOGUE, [], AT).find((result) => result.controlId === controlId)
    ?.status;
};

describe('factsOfEvaluationInput', () => {
  it('judges nothing for a resource without a current observation (gone or out of scope)', () => {
    expect(factsOfEvaluationInput(inputOf({ current: null, absence: 'disappeared' }))).toBeNull();
  });

  it('reads the account key the bucket names, with region and owner from its ARN: CIS 5.9 passes', () => {
    const facts = factsOfEvaluationInput(inputOf({}));
    expect(facts?.key).toMatchObject({
      kind: 'observed',
      facts: { region: REGION, ownerAccountId: ACCOUNT_UID, creator: ACCOUNT_UID },
    });
    expect(statusOf(inputOf({}), 'cis-alibaba-v2.0.0-5.9')).toBe('pass');
    expect(statusOf(inputOf({}), 'cis-alibaba-v2.0.0-5.8')).toBe('fail');
  });

  it('passes CIS 5.8 on KMS with no key named (the service key)', () => {
    const input = inputOf({
      current: { changeId: 1, observation: observationOf('kms_default') },
      key: { kind: 'not_applicable' },
    });
    expect(statusOf(input, 'cis-alibaba-v2.0.0-5.8')).toBe('pass');
  });

  it('makes a key not read in this scan, or refused, a warning, never a pass', () => {
    const unread = inputOf({ key: { kind: 'unknown', resourceKey: KEY_REF.resourceKey, errorCode: null } });
    expect(factsOfEvaluationInput(unread)?.key).toEqual({ kind: 'unknown', errorCode: 'NotDescribed' });
    expect(statusOf(unread, 'cis-alibaba-v2.0.0-5.9')).toBe('warning');
    const denied = inputOf({
      key: { kind: 'unknown', resourceKey: KEY_REF.resourceKey, errorCode: 'Forbidden.RAM' },
    });
    expect(statusOf(denied, 'seed-kms-key-enabled')).toBe('warning');
  });

  it('makes a DescribeKey answer without state or creator a warning (it cannot decide 5.8 or 5.9)', () => {
    const incomplete = inputOf({
      key: { kind: 'observed', resourceKey: KEY_REF.resourceKey, facts: describedKey({ creator: null }) },
    });
    expect(factsOfEvaluationInput(incomplete)?.key).toEqual({
      kind: 'unknown',
      errorCode: 'IncompleteKeyDescription',
    });
    expect(statusOf(incomplete, 'cis-alibaba-v2.0.0-5.9')).toBe('warning');
  });

  it('fails a named key that does not exist', () => {
    const missing = inputOf({
      key: { kind: 'not_found', resourceKey: KEY_REF.resourceKey, code: 'Forbidden.KeyNotFound' },
    });
    expect(statusOf(missing, 'seed-kms-key-exists')).toBe('fail');
  });

  it('judges a kms_key resource on its own observation, with no encryption of its own', () => {
    const own = inputOf({
      ref: KEY_REF,
      current: {
        changeId: 2,
        observation: observationOf('kms_cmk', { keyFacts: describedKey({ automaticRotation: 'Disabled' }) }),
      },
      key: { kind: 'not_applicable' },
    });
    const facts = factsOfEvaluationInput(own);
    expect(facts?.encryption).toBeNull();
    expect(statusOf(own, 'config-kms-key-rotation-enabled')).toBe('fail');
    const deniedKey = inputOf({
      ref: KEY_REF,
      current: { changeId: 3, observation: observationOf('unknown') },
    });
    expect(factsOfEvaluationInput(deniedKey)?.key).toEqual({ kind: 'unknown', errorCode: 'AccessDenied' });
  });

  it('gives a table its table bucket’s current default', () => {
    const table = inputOf({
      ref: {
        ...BUCKET,
        kind: 'table',
        resourceKey: 'acs:osstables:t',
        name: 'events',
        parentKey: 'acs:osstables:b',
      },
      current: { changeId: 4, observation: observationOf('none') },
      key: { kind: 'not_applicable' },
      parent: observationOf('oss_aes256'),
    });
    expect(factsOfEvaluationInput(table)?.tableBucketEncryption).toMatchObject({
      encryptionClass: 'oss_aes256',
    });
    expect(statusOf(table, 'seed-table-not-weaker-than-bucket')).toBe('fail');
  });
});

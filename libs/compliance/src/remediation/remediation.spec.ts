import type { FindingRule } from '@app/audit';
import { XMLParser } from 'fast-xml-parser';
import { SyntaxValidator } from 'fast-xml-validator';

import { DEFAULT_CATALOGUE } from '../catalogue/default-catalogue';
import { ComplianceError } from '../compliance-error';
import { evaluateControls, type ControlResult } from '../evaluation';
import type { ComplianceResourceKind, ResourceFacts } from '../resource-facts';
import type { CompliancePolicy } from '../rules';
import {
  ACCOUNT_UID,
  AT,
  factsOf,
  KEY_ID,
  observationOf,
  observedKey,
  REGION,
  thrownBy,
} from '../testing/facts';
import {
  KEY_ARN_PLACEHOLDER,
  KEY_ID_PLACEHOLDER,
  remediationFor,
  remediationForFinding,
  renderRemedy,
  shellWord,
  type Remediation,
  type RemediationStep,
} from './remediation';
import type { RemedyIntent } from './remedy-intent';

const APPROVED_KEY = 'key-approved-1';
const approvedPolicy: CompliancePolicy = {
  approvedKmsKeys: [
    `acs:kms:cn-shanghai:${ACCOUNT_UID}:key/key-elsewhere`,
    `acs:kms:${REGION}:${ACCOUNT_UID}:key/${APPROVED_KEY}`,
  ],
};
const xml = new XMLParser({ parseTagValue: false });

function remedyOf(facts: ResourceFacts, controlId: string, policy?: CompliancePolicy): Remediation[] {
  const result = evaluateControls(facts, DEFAULT_CATALOGUE, [], AT, policy).find(
    (candidate: ControlResult) => candidate.controlId === controlId,
  );
  if (result === undefined) throw new Error(`no result for ${controlId}`);
  return remediationFor(result, facts, policy);
}

function step(remediation: Remediation | undefined, tool: RemediationStep['tool']): RemediationStep {
  const found = remediation?.steps.find((candidate) => candidate.tool === tool);
  if (found === undefined) throw new Error(`no ${tool} step`);
  return found;
}

/** The rule the PutBucketEncryption body carries, read back by an XML parser. */
function bodyRule(remediation: Remediation | undefined): Record<string, string> {
  const body = step(remediation, 'http_api').request?.body ?? '';
  // Throws on any syntax error.
  expect(SyntaxValidator.validate(body)).toBe(true);
  const parsed = xml.parse(body) as {
    ServerSideEncryptionRule: { ApplyServerSideEncryptionByDefault: Record<string, string> };
  };
  return parsed.ServerSideEncryptionRule.ApplyServerSideEncryptionByDefault;
}

describe('bucket encryption guidance', () => {
  const aes256 = factsOf('bucket', {
    encryption: observationOf('oss_aes256'),
    key: { kind: 'not_applicable' },
  });

  it('moves a failing CIS 5.9 bucket to the approved key of its region, in every tool', () => {
    const [remediation] = remedyOf(aes256, 'cis-alibaba-v2.0.0-5.9', approvedPolicy);
    expect(bodyRule(remediation)).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: APPROVED_KEY });
    expect(step(remediation, 'http_api').request?.host).toBe(`audit-target.oss-${REGION}.aliyuncs.com`);
    for (const tool of ['http_api', 'ossutil_1', 'ossutil_2', 'aliyun_cli', 'terraform'] as const) {
      const text = step(remediation, tool).text;
      expect(text).toContain('audit-target');
      expect(text).toContain(APPROVED_KEY);
      expect(text).toContain(REGION);
      expect(text).not.toContain('key-elsewhere');
    }
  });

  it('writes the ossutil 1.x, 2.x, aliyun CLI and Terraform forms exactly', () => {
    const [remediation] = remedyOf(aes256, 'cis-alibaba-v2.0.0-5.9', approvedPolicy);
    expect(step(remediation, 'ossutil_1').text).toBe(
      `ossutil bucket-encryption --method put oss://audit-target --sse-algorithm KMS --kms-masterkey-id ${APPROVED_KEY} -e oss-cn-hangzhou.aliyuncs.com`,
    );
    expect(step(remediation, 'ossutil_2').text).toBe(
      `ossutil api put-bucket-encryption --bucket audit-target --server-side-encryption-rule '{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"KMS","KMSMasterKeyID":"${APPROVED_KEY}"}}' --region cn-hangzhou`,
    );
    expect(step(remediation, 'aliyun_cli').text).toContain(
      `aliyun ossutil api put-bucket-encryption --bucket audit-target`,
    );
    expect(step(remediation, 'aliyun_cli').text).toContain(
      'aliyun oss bucket-encryption --method put oss://audit-target',
    );
    expect(step(remediation, 'terraform').text).toMatchSnapshot();
    expect(step(remediation, 'terraform').text).toContain(`kms_master_key_id   = "${APPROVED_KEY}"`);
  });

  it('leaves a placeholder for the key when the policy approves none in the region, and says so', () => {
    const [remediation] = remedyOf(aes256, 'cis-alibaba-v2.0.0-5.9', {
      approvedKmsKeys: [`acs:kms:cn-shanghai:${ACCOUNT_UID}:key/key-elsewhere`],
    });
    expect(bodyRule(remediation).KMSMasterKeyID).toBe(KEY_ID_PLACEHOLDER);
    expect(step(remediation, 'ossutil_1').text).toContain(`--kms-masterkey-id ${KEY_ID_PLACEHOLDER}`);
    expect(remediation?.notes.some((note) => note.includes(`Replace ${KEY_ID_PLACEHOLDER}`))).toBe(true);
  });

  it('sets the service key for CIS 5.8: KMS with an empty key id, and no key option', () => {
    const [remediation] = remedyOf(aes256, 'cis-alibaba-v2.0.0-5.8', approvedPolicy);
    expect(bodyRule(remediation)).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: '' });
    expect(step(remediation, 'ossutil_1').text).not.toContain('--kms-masterkey-id');
    expect(step(remediation, 'ossutil_2').text).not.toContain('KMSMasterKeyID');
    expect(step(remediation, 'terraform').text).not.toContain('kms_master_key_id');
  });

  it('keeps the SM4 cipher of an SM4 bucket moved to KMS', () => {
    const sm4 = factsOf('bucket', { encryption: observationOf('oss_sm4'), key: { kind: 'not_applicable' } });
    const [remediation] = remedyOf(sm4, 'config-oss-default-encryption-kms');
    expect(bodyRule(remediation)).toEqual({
      SSEAlgorithm: 'KMS',
      KMSMasterKeyID: '',
      KMSDataEncryption: 'SM4',
    });
    expect(step(remediation, 'ossutil_1').text).toContain('--kms-data-encryption SM4');
    expect(step(remediation, 'terraform').text).toContain('kms_data_encryption = "SM4"');
  });

  it('guides the audit findings too', () => {
    const [remediation] = remediationForFinding(
      'unencrypted',
      factsOf('bucket', { encryption: observationOf('none') }),
      approvedPolicy,
    );
    expect(bodyRule(remediation)).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: APPROVED_KEY });
  });

  it.each<[FindingRule, ComplianceResourceKind, Exclude<RemedyIntent, { target: unknown }>['kind']]>([
    ['table_weaker_than_bucket', 'table', 'recreate_table'],
    ['kms_key_disabled', 'bucket', 'enable_key'],
    ['kms_key_pending_deletion', 'table_bucket', 'cancel_key_deletion'],
    ['kms_key_not_found', 'bucket', 'use_another_key'],
    ['kms_key_cross_account', 'bucket', 'use_another_key'],
    ['kms_key_rotation_disabled', 'kms_key', 'enable_key_rotation'],
    ['kms_key_deletion_protection_disabled', 'kms_key', 'enable_key_deletion_protection'],
  ])('guides a %s finding on a %s the way its remedy (%s) is rendered', (rule, kind, intent) => {
    const facts = factsOf(kind, { key: observedKey('Enabled') });
    expect(remediationForFinding(rule, facts, approvedPolicy)).toEqual([
      renderRemedy({ kind: intent }, facts, approvedPolicy),
    ]);
  });

  it('refuses facts of another resource', () => {
    const [result] = evaluateControls(aes256, DEFAULT_CATALOGUE, [], AT);
    const error = thrownBy(() => remediationFor(result!, factsOf('table_bucket'), approvedPolicy));
    expect((error as ComplianceError).code).toBe('FACTS_MISMATCH');
  });
});

describe('OSS Tables guidance', () => {
  it('sets a table bucket default to AES256 with a JSON body and the ARN as one path segment', () => {
    const facts = factsOf('table_bucket', {
      encryption: observationOf('none'),
      key: { kind: 'not_applicable' },
    });
    const [remediation] = remedyOf(facts, 'seed-table-bucket-default-encryption');
    const api = step(remediation, 'http_api');
    const arn = facts.resource.resourceKey;
    expect(JSON.parse(api.request?.body ?? '')).toEqual({
      encryptionConfiguration: { sseAlgorithm: 'AES256' },
    });
    expect(api.request?.path).toBe(`/buckets/${encodeURIComponent(arn)}/encryption`);
    expect(api.request?.host).toBe(`${REGION}.oss-tables.aliyuncs.com`);
    expect(step(remediation, 'ossutil_2').text).toBe(
      `ossutil tables-api put-table-bucket-encryption --table-bucket-arn ${arn} --encryption-configuration '{"sseAlgorithm":"AES256"}' --region ${REGION}`,
    );
    expect(remediation?.notes.join('\n')).toContain('KMS is not available for them yet');
  });

  it('says plainly that a table must be recreated, naming it and its table bucket', () => {
    const facts = factsOf('table', { encryption: observationOf('none'), key: { kind: 'not_applicable' } });
    const [remediation] = remedyOf(facts, 'seed-table-encrypted');
    const text = step(remediation, 'manual').text;
    expect(remediation?.summary).toContain('cannot be changed in place');
    expect(text).toContain('A table keeps the encryption it was created with');
    expect(text).toContain('"events"');
    expect(text).toContain(`acs:osstables:${REGION}:${ACCOUNT_UID}:bucket/analytics`);
    expect(text).toMatchSnapshot();
  });
});

describe('KMS key guidance', () => {
  it('enables a Disabled key behind a bucket, by its id and region', () => {
    const [remediation] = remedyOf(
      factsOf('bucket', { key: observedKey('Disabled') }),
      'seed-kms-key-enabled',
    );
    expect(step(remediation, 'aliyun_cli').text).toBe(
      `aliyun kms EnableKey --KeyId ${KEY_ID} --region ${REGION}`,
    );
    expect(step(remediation, 'terraform').text).toContain('status = "Enabled"');
  });

  it('cancels a scheduled deletion, then checks and enables the key', () => {
    const [remediation] = remedyOf(
      factsOf('kms_key', { key: observedKey('PendingDeletion') }),
      'seed-kms-key-enabled',
    );
    expect(step(remediation, 'aliyun_cli').text.split('\n')).toEqual([
      `aliyun kms CancelKeyDeletion --KeyId ${KEY_ID} --region ${REGION}`,
      `aliyun kms DescribeKey --KeyId ${KEY_ID} --region ${REGION}`,
      `aliyun kms EnableKey --KeyId ${KEY_ID} --region ${REGION}`,
    ]);
  });

  it('turns on rotation', () => {
    const facts = factsOf('kms_key', { key: observedKey('Enabled', { automaticRotation: 'Disabled' }) });
    const [remediation] = remedyOf(facts, 'config-kms-key-rotation-enabled');
    expect(step(remediation, 'aliyun_cli').text).toBe(
      `aliyun kms UpdateRotationPolicy --KeyId ${KEY_ID} --EnableAutomaticRotation true --RotationInterval 365d --region ${REGION}`,
    );
    expect(step(remediation, 'terraform').text).toMatchSnapshot();
  });

  it('turns on deletion protection by the key ARN', () => {
    const facts = factsOf('kms_key', { key: observedKey('Enabled', { deletionProtection: 'Disabled' }) });
    const [remediation] = remedyOf(facts, 'config-kms-key-delete-protection-enabled');
    expect(step(remediation, 'aliyun_cli').text).toBe(
      `aliyun kms SetDeletionProtection --ProtectedResourceArn acs:kms:${REGION}:${ACCOUNT_UID}:key/${KEY_ID} --EnableDeletionProtection true --region ${REGION}`,
    );
  });

  it('builds the ARN from the account uid, or leaves a placeholder, when the key was not described', () => {
    const bucket = factsOf('bucket', { key: { kind: 'unknown', errorCode: 'Throttling' } });
    const [known] = remediationFor(
      {
        ...evaluateControls(bucket, DEFAULT_CATALOGUE, [], AT)[0]!,
        remedies: [{ kind: 'enable_key_deletion_protection' }],
      },
      bucket,
    );
    expect(step(known, 'aliyun_cli').text).toContain(`acs:kms:${REGION}:${ACCOUNT_UID}:key/${KEY_ID}`);
    const anonymous = { ...bucket, accountUid: null };
    const [unknown] = remediationFor(
      {
        ...evaluateControls(anonymous, DEFAULT_CATALOGUE, [], AT)[0]!,
        remedies: [{ kind: 'enable_key_deletion_protection' }],
      },
      anonymous,
    );
    expect(step(unknown, 'aliyun_cli').text).toContain(KEY_ARN_PLACEHOLDER);
  });

  it('asks for read access when DescribeKey was denied, naming the error', () => {
    const facts = factsOf('bucket', { key: { kind: 'unknown', errorCode: 'Forbidden.NoPermission' } });
    const [remediation] = remedyOf(facts, 'seed-kms-key-exists');
    expect(step(remediation, 'manual').text).toContain('kms:DescribeKey');
    expect(step(remediation, 'manual').text).toContain('Forbidden.NoPermission');
  });
});

describe('shellWord', () => {
  it('leaves plain words bare and quotes the rest, quotes included', () => {
    expect(shellWord('oss://audit-target')).toBe('oss://audit-target');
    expect(shellWord('{"a":1}')).toBe(`'{"a":1}'`);
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });
});

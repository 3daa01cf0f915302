import type { EncryptionObservation, FindingRule } from '@app/audit';

import { ComplianceError } from '../compliance-error';
import type { ControlResult } from '../evaluation';
import type { ResourceFacts } from '../resource-facts';
import { DEFAULT_COMPLIANCE_POLICY, type CompliancePolicy } from '../rules';
import type { RemedyIntent } from './remedy-intent';

/** How a step is carried out. */
export type RemediationTool = 'http_api' | 'ossutil_1' | 'ossutil_2' | 'aliyun_cli' | 'terraform' | 'manual';

/** An HTTP request spelled out (signing left to the tool that sends it). */
export interface HttpRequestText {
  readonly method: 'PUT';
  readonly host: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

/** One way to carry out a remedy: a command, a request, a snippet or instructions. */
export interface RemediationStep {
  readonly tool: RemediationTool;
  readonly title: string;
  /** The text to run, send or paste. */
  readonly text: string;
  /** Where its syntax was read (repository + path, or URL). */
  readonly source: string;
  readonly request?: HttpRequestText;
}

/** The guidance for one remedy of one resource. Text only: Seed never applies it. */
export interface Remediation {
  readonly intent: RemedyIntent;
  readonly summary: string;
  readonly steps: readonly RemediationStep[];
  readonly notes: readonly string[];
}

/** Stands for a KMS key id the reader has to choose when the policy approves none for the region. */
export const KEY_ID_PLACEHOLDER = 'YOUR_KMS_KEY_ID';
/** Stands for a KMS key ARN that could not be worked out. */
export const KEY_ARN_PLACEHOLDER = 'YOUR_KMS_KEY_ARN';

const SOURCES = {
  putBucketEncryption: 'https://help.aliyun.com/en/oss/developer-reference/putbucketencryption',
  ossutil1: 'aliyun/ossutil: lib/bucket_encryption.go (ossutil 1.x "bucket-encryption" command)',
  ossutil2: 'https://help.aliyun.com/en/oss/developer-reference/put-bucket-encryption (ossutil 2.0)',
  aliyunCliOss:
    'https://www.alibabacloud.com/help/en/cli/use-alibaba-cloud-cli-to-manage-oss-data ' +
    '("aliyun ossutil" runs ossutil 2.0 from CLI 3.0.304; "aliyun oss" runs ossutil 1.0 commands)',
  terraformBucket:
    'aliyun/terraform-provider-alicloud: website/docs/r/oss_bucket_server_side_encryption.html.markdown',
  putTableBucketEncryption:
    'https://www.alibabacloud.com/help/en/oss/developer-reference/puttablebucketencryption',
  ossutil2Tables: 'https://www.alibabacloud.com/help/en/oss/developer-reference/put-table-bucket-encryption',
  tableEncryptionFixed: 'https://www.alibabacloud.com/help/en/oss/user-guide/server-side-encryption',
  kmsApi: 'https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/',
  updateRotationPolicy:
    'https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-updaterotationpolicy',
  setDeletionProtection:
    'https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-setdeletionprotection',
  terraformKey: 'aliyun/terraform-provider-alicloud: website/docs/r/kms_key.html.markdown',
  seedReadme: 'Seed README.md, "Credentials and the least-privilege RAM policy"',
} as const;

const READ_ONLY_NOTE =
  'Seed only reads: review this change and run it yourself with an identity allowed to make it.';

/** The guidance for each remedy of a result, rendered for its resource; empty for a pass. */
export function remediationFor(
  result: ControlResult,
  facts: ResourceFacts,
  policy: CompliancePolicy = DEFAULT_COMPLIANCE_POLICY,
): Remediation[] {
  if (result.resourceKey !== facts.resource.resourceKey) {
    throw new ComplianceError(
      'FACTS_MISMATCH',
      `Result of ${result.resourceKey} cannot be remedied with the facts of ${facts.resource.resourceKey}`,
    );
  }
  return result.remedies.map((intent) => renderRemedy(intent, facts, policy));
}

/** The guidance for an open audit finding of a resource. */
export function remediationForFinding(
  rule: FindingRule,
  facts: ResourceFacts,
  policy: CompliancePolicy = DEFAULT_COMPLIANCE_POLICY,
): Remediation[] {
  return findingIntents(rule, facts).map((intent) => renderRemedy(intent, facts, policy));
}

/** Renders one remedy for one resource. */
export function renderRemedy(
  intent: RemedyIntent,
  facts: ResourceFacts,
  policy: CompliancePolicy,
): Remediation {
  switch (intent.kind) {
    case 'set_bucket_encryption':
      return bucketEncryption(intent, facts, policy);
    case 'set_table_bucket_encryption':
      return tableBucketEncryption(intent, facts);
    case 'recreate_table':
      return recreateTable(intent, facts);
    case 'enable_key':
    case 'cancel_key_deletion':
    case 'import_key_material':
    case 'enable_key_rotation':
    case 'enable_key_deletion_protection':
      return keyRemedy(intent, facts);
    case 'use_another_key':
      return anotherKey(intent, facts, policy);
    case 'restore_visibility':
      return restoreVisibility(intent, facts);
  }
}

function findingIntents(rule: FindingRule, facts: ResourceFacts): RemedyIntent[] {
  const kind = facts.resource.kind;
  const encrypt: RemedyIntent =
    kind === 'bucket'
      ? { kind: 'set_bucket_encryption', target: 'kms' }
      : kind === 'table'
        ? { kind: 'recreate_table' }
        : { kind: 'set_table_bucket_encryption' };
  switch (rule) {
    case 'unencrypted':
    case 'non_kms':
      return [encrypt];
    case 'kms_default_key':
      return kind === 'bucket' ? [{ kind: 'set_bucket_encryption', target: 'account_key' }] : [encrypt];
    case 'kms_key_not_approved':
      return [{ kind: 'use_another_key' }];
    case 'unverifiable':
      return [{ kind: 'restore_visibility' }];
    case 'table_weaker_than_bucket':
      // A table keeps the encryption it was created with.
      return [{ kind: 'recreate_table' }];
    case 'kms_key_disabled':
      return [{ kind: 'enable_key' }];
    case 'kms_key_pending_deletion':
      return [{ kind: 'cancel_key_deletion' }];
    case 'kms_key_not_found':
    case 'kms_key_cross_account':
      return [{ kind: 'use_another_key' }];
    case 'kms_key_rotation_disabled':
      return [{ kind: 'enable_key_rotation' }];
    case 'kms_key_deletion_protection_disabled':
      return [{ kind: 'enable_key_deletion_protection' }];
  }
}

// --- OSS buckets --------------------------------------------------------------------------------------------

interface BucketRule {
  readonly keyId: string | null;
  readonly dataEncryption: 'SM4' | null;
}

function bucketEncryption(
  intent: Extract<RemedyIntent, { kind: 'set_bucket_encryption' }>,
  facts: ResourceFacts,
  policy: CompliancePolicy,
): Remediation {
  const { name: bucket, region } = facts.resource;
  const approved = approvedKeyFor(region, policy.approvedKmsKeys);
  const keyId =
    intent.target === 'service_key'
      ? null
      : intent.target === 'account_key'
        ? (approved ?? KEY_ID_PLACEHOLDER)
        : approved;
  const rule: BucketRule = { keyId, dataEncryption: keepsSm4(facts.encryption) ? 'SM4' : null };
  const endpoint = `oss-${region}.aliyuncs.com`;
  const xml = bucketRuleXml(rule);
  const notes = [
    READ_ONLY_NOTE,
    "A bucket's default encryption applies to objects written without their own encryption header; it does " +
      'not rewrite objects already stored, which keep the encryption they were written with.',
  ];
  if (keyId === null) {
    notes.push(
      'With no KMSMasterKeyID, OSS encrypts with the OSS service key (alias/acs/oss): what CIS 5.8 asks, and ' +
        'what CIS 5.9 (a key the account created) does not accept.',
    );
  } else {
    notes.push(`OSS uses only a KMS key in the bucket's region (${region}); it must be Enabled.`);
  }
  if (keyId === KEY_ID_PLACEHOLDER) {
    notes.push(
      `Replace ${KEY_ID_PLACEHOLDER} with the id of a key your account created in ${region}: the policy approves ` +
        'no key for this region.',
    );
  }
  if (rule.dataEncryption === 'SM4') {
    notes.push('KMSDataEncryption SM4 keeps objects under the SM4 cipher, as the bucket has them today.');
  }
  return {
    intent,
    summary:
      keyId === null
        ? `Set bucket "${bucket}" (${region}) to SSE-KMS with the OSS service key`
        : `Set bucket "${bucket}" (${region}) to SSE-KMS with key ${keyId}`,
    steps: [
      {
        tool: 'http_api',
        title: 'PutBucketEncryption request',
        text: httpText({
          method: 'PUT',
          host: `${bucket}.${endpoint}`,
          path: '/?encryption',
          contentType: 'application/xml',
          body: xml,
        }),
        source: SOURCES.putBucketEncryption,
        request: {
          method: 'PUT',
          host: `${bucket}.${endpoint}`,
          path: '/?encryption',
          contentType: 'application/xml',
          body: xml,
        },
      },
      {
        tool: 'ossutil_1',
        title: 'ossutil 1.x',
        text: ossutil1Command('ossutil', bucket, endpoint, rule),
        source: SOURCES.ossutil1,
      },
      {
        tool: 'ossutil_2',
        title: 'ossutil 2.x',
        text: ossutil2Command('ossutil', bucket, region, rule),
        source: SOURCES.ossutil2,
      },
      {
        tool: 'aliyun_cli',
        title: 'Alibaba Cloud CLI',
        text: [
          '# Alibaba Cloud CLI 3.0.304 or later (ossutil 2.0):',
          ossutil2Command('aliyun ossutil', bucket, region, rule),
          '# Older CLIs (ossutil 1.0 commands):',
          ossutil1Command('aliyun oss', bucket, endpoint, rule),
        ].join('\n'),
        source: SOURCES.aliyunCliOss,
      },
      {
        tool: 'terraform',
        title: 'Terraform (alicloud provider 1.222.0 or later)',
        text: bucketTerraform(bucket, region, rule),
        source: SOURCES.terraformBucket,
      },
    ],
    notes,
  };
}

function bucketRuleXml(rule: BucketRule): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ServerSideEncryptionRule>',
    '  <ApplyServerSideEncryptionByDefault>',
    '    <SSEAlgorithm>KMS</SSEAlgorithm>',
    `    <KMSMasterKeyID>${escapeXml(rule.keyId ?? '')}</KMSMasterKeyID>`,
    ...(rule.dataEncryption === null
      ? []
      : [`    <KMSDataEncryption>${rule.dataEncryption}</KMSDataEncryption>`]),
    '  </ApplyServerSideEncryptionByDefault>',
    '</ServerSideEncryptionRule>',
  ].join('\n');
}

function ossutil1Command(program: string, bucket: string, endpoint: string, rule: BucketRule): string {
  return [
    `${program} bucket-encryption --method put ${shellWord(`oss://${bucket}`)} --sse-algorithm KMS`,
    ...(rule.keyId === null ? [] : [`--kms-masterkey-id ${shellWord(rule.keyId)}`]),
    ...(rule.dataEncryption === null ? [] : [`--kms-data-encryption ${rule.dataEncryption}`]),
    `-e ${shellWord(endpoint)}`,
  ].join(' ');
}

function ossutil2Command(program: string, bucket: string, region: string, rule: BucketRule): string {
  const byDefault: Record<string, string> = { SSEAlgorithm: 'KMS' };
  if (rule.keyId !== null) byDefault.KMSMasterKeyID = rule.keyId;
  if (rule.dataEncryption !== null) byDefault.KMSDataEncryption = rule.dataEncryption;
  return (
    `${program} api put-bucket-encryption --bucket ${shellWord(bucket)} ` +
    `--server-side-encryption-rule ${shellWord(JSON.stringify({ ApplyServerSideEncryptionByDefault: byDefault }))} ` +
    `--region ${shellWord(region)}`
  );
}

function bucketTerraform(bucket: string, region: string, rule: BucketRule): string {
  return [
    `# Apply with the alicloud provider configured for region ${region}.`,
    `resource "alicloud_oss_bucket_server_side_encryption" "${terraformName(bucket)}" {`,
    `  bucket              = ${hclString(bucket)}`,
    '  sse_algorithm       = "KMS"',
    ...(rule.keyId === null ? [] : [`  kms_master_key_id   = ${hclString(rule.keyId)}`]),
    ...(rule.dataEncryption === null ? [] : [`  kms_data_encryption = ${hclString(rule.dataEncryption)}`]),
    '}',
  ].join('\n');
}

/**
 * The approved key to use in a region: the id of an approved ARN in that region, else an approved bare id (whose
 * region is not written down), else null. ARNs of other regions are never used: OSS needs a key in the bucket's.
 */
function approvedKeyFor(region: string, approved: readonly string[]): string | null {
  for (const entry of approved) {
    const arn = KMS_KEY_ARN.exec(entry);
    if (arn?.[1] === region && arn[2] !== undefined) return arn[2];
  }
  return approved.find((entry) => !entry.startsWith('acs:')) ?? null;
}

const KMS_KEY_ARN = /^acs:kms:([^:]*):[^:]*:key\/(.+)$/;

function keepsSm4(observation: EncryptionObservation | null): boolean {
  if (observation === null) return false;
  return observation.encryptionClass === 'oss_sm4' || observation.kmsDataEncryption?.toUpperCase() === 'SM4';
}

// --- OSS Tables ---------------------------------------------------------------------------------------------

function tableBucketEncryption(intent: RemedyIntent, facts: ResourceFacts): Remediation {
  const { region } = facts.resource;
  const arn = tableBucketArnOf(facts);
  const body = JSON.stringify({ encryptionConfiguration: { sseAlgorithm: 'AES256' } }, null, 2);
  const request: HttpRequestText = {
    method: 'PUT',
    host: `${region}.oss-tables.aliyuncs.com`,
    path: `/buckets/${encodeURIComponent(arn)}/encryption`,
    contentType: 'application/json',
    body,
  };
  return {
    intent,
    summary: `Set the default encryption of table bucket ${arn} to AES256`,
    steps: [
      {
        tool: 'http_api',
        title: 'PutTableBucketEncryption request',
        text: httpText(request),
        source: SOURCES.putTableBucketEncryption,
        request,
      },
      {
        tool: 'ossutil_2',
        title: 'ossutil 2.x',
        text:
          `ossutil tables-api put-table-bucket-encryption --table-bucket-arn ${shellWord(arn)} ` +
          `--encryption-configuration ${shellWord('{"sseAlgorithm":"AES256"}')} --region ${shellWord(region)}`,
        source: SOURCES.ossutil2Tables,
      },
    ],
    notes: [
      READ_ONLY_NOTE,
      'Table buckets offer only AES256 today: KMS is not available for them yet.',
      'The default applies to tables created afterwards; existing tables keep the encryption they were created with.',
      'ossutil 1.x has no OSS Tables commands, and no Terraform resource for table bucket encryption was found in the ' +
        'alicloud provider documentation.',
    ],
  };
}

function recreateTable(intent: RemedyIntent, facts: ResourceFacts): Remediation {
  const { name, region, resourceKey } = facts.resource;
  const parent = /^(acs:osstables:[^:]*:[^:]*:bucket\/[^/]+)/.exec(resourceKey)?.[1] ?? 'its table bucket';
  return {
    intent,
    summary: `Recreate table "${name}" (${region}): its encryption cannot be changed in place`,
    steps: [
      {
        tool: 'manual',
        title: 'Recreate the table and copy its data',
        text: [
          `A table keeps the encryption it was created with: neither Seed nor OSS can change the encryption of table "${name}".`,
          `1. Make sure the default encryption of ${parent} is what the table should have (PutTableBucketEncryption).`,
          '2. Create a new table in the same namespace without its own encryption setting: it inherits that default.',
          '3. Copy the data with your table engine (for example INSERT INTO new_table SELECT * FROM old_table) and move readers and writers to the new table.',
          '4. Check the new table with GetTableEncryption, then drop the old one.',
        ].join('\n'),
        source: SOURCES.tableEncryptionFixed,
      },
    ],
    notes: [READ_ONLY_NOTE],
  };
}

function tableBucketArnOf(facts: ResourceFacts): string {
  const { resourceKey, region, name } = facts.resource;
  return resourceKey.startsWith('acs:osstables:')
    ? resourceKey
    : `acs:osstables:${region}:${facts.accountUid ?? 'ACCOUNT_ID'}:bucket/${name}`;
}

// --- KMS keys -----------------------------------------------------------------------------------------------

interface KeyTarget {
  readonly keyId: string;
  readonly region: string;
  readonly arn: string;
}

function keyTarget(facts: ResourceFacts): KeyTarget {
  if (facts.key.kind === 'observed') {
    const { keyId, region, arn } = facts.key.facts;
    return { keyId, region, arn };
  }
  const { kind, name, region, resourceKey } = facts.resource;
  const keyId = kind === 'kms_key' ? name : (facts.encryption?.kmsKeyId ?? KEY_ID_PLACEHOLDER);
  const arn =
    kind === 'kms_key' && resourceKey.startsWith('acs:kms:')
      ? resourceKey
      : keyId.startsWith('acs:kms:')
        ? keyId
        : facts.accountUid === null || keyId === KEY_ID_PLACEHOLDER
          ? KEY_ARN_PLACEHOLDER
          : `acs:kms:${region}:${facts.accountUid}:key/${keyId}`;
  return { keyId, region, arn };
}

function keyRemedy(
  intent: Extract<
    RemedyIntent,
    {
      kind:
        | 'enable_key'
        | 'cancel_key_deletion'
        | 'import_key_material'
        | 'enable_key_rotation'
        | 'enable_key_deletion_protection';
    }
  >,
  facts: ResourceFacts,
): Remediation {
  const key = keyTarget(facts);
  const kms = (action: string, parameters: string): string =>
    `aliyun kms ${action} ${parameters} --region ${shellWord(key.region)}`;
  const keyIdParameter = `--KeyId ${shellWord(key.keyId)}`;
  const terraform = (lines: readonly string[]): string =>
    [
      `# In the alicloud_kms_key resource that manages key ${key.keyId} (provider region ${key.region}):`,
      ...lines,
    ].join('\n');
  switch (intent.kind) {
    case 'enable_key':
      return {
        intent,
        summary: `Enable KMS key ${key.keyId} (${key.region})`,
        steps: [
          {
            tool: 'aliyun_cli',
            title: 'EnableKey',
            text: kms('EnableKey', keyIdParameter),
            source: SOURCES.kmsApi,
          },
          {
            tool: 'terraform',
            title: 'Terraform',
            text: terraform(['  status = "Enabled"']),
            source: SOURCES.terraformKey,
          },
        ],
        notes: [
          READ_ONLY_NOTE,
          'Data encrypted under a Disabled key cannot be read until the key is Enabled again.',
        ],
      };
    case 'cancel_key_deletion':
      return {
        intent,
        summary: `Cancel the scheduled deletion of KMS key ${key.keyId} (${key.region})`,
        steps: [
          {
            tool: 'aliyun_cli',
            title: 'CancelKeyDeletion, then check the state and enable the key if it is Disabled',
            text: [
              kms('CancelKeyDeletion', keyIdParameter),
              kms('DescribeKey', keyIdParameter),
              kms('EnableKey', keyIdParameter),
            ].join('\n'),
            source: SOURCES.kmsApi,
          },
        ],
        notes: [
          READ_ONLY_NOTE,
          'Once the deletion date passes the key cannot be recovered, nor can data encrypted under it.',
          'Then turn on deletion protection (SetDeletionProtection) so the key cannot be scheduled for deletion again by mistake.',
        ],
      };
    case 'import_key_material':
      return {
        intent,
        summary: `Import key material into KMS key ${key.keyId} (${key.region})`,
        steps: [
          {
            tool: 'manual',
            title: 'Import key material',
            text:
              `KMS key ${key.keyId} was created with Origin EXTERNAL and has no material yet. Get the import ` +
              'parameters (GetParametersForImport), wrap your key material with the public key they return, and ' +
              'import it (ImportKeyMaterial), as the KMS guide "Import key material" describes.',
            source: SOURCES.kmsApi,
          },
        ],
        notes: [READ_ONLY_NOTE],
      };
    case 'enable_key_rotation':
      return {
        intent,
        summary: `Turn on automatic rotation of KMS key ${key.keyId} (${key.region})`,
        steps: [
          {
            tool: 'aliyun_cli',
            title: 'UpdateRotationPolicy',
            text: kms(
              'UpdateRotationPolicy',
              `${keyIdParameter} --EnableAutomaticRotation true --RotationInterval 365d`,
            ),
            source: SOURCES.updateRotationPolicy,
          },
          {
            tool: 'terraform',
            title: 'Terraform',
            text: terraform(['  automatic_rotation = "Enabled"', '  rotation_interval  = "365d"']),
            source: SOURCES.terraformKey,
          },
        ],
        notes: [
          READ_ONLY_NOTE,
          'The interval is 7 to 365 days for software keys (365d shown); choose per your policy.',
        ],
      };
    case 'enable_key_deletion_protection':
      return {
        intent,
        summary: `Turn on deletion protection of KMS key ${key.keyId} (${key.region})`,
        steps: [
          {
            tool: 'aliyun_cli',
            title: 'SetDeletionProtection',
            text: kms(
              'SetDeletionProtection',
              `--ProtectedResourceArn ${shellWord(key.arn)} --EnableDeletionProtection true`,
            ),
            source: SOURCES.setDeletionProtection,
          },
          {
            tool: 'terraform',
            title: 'Terraform (alicloud provider 1.240.0 or later)',
            text: terraform(['  deletion_protection = "Enabled"']),
            source: SOURCES.terraformKey,
          },
        ],
        notes: [
          READ_ONLY_NOTE,
          ...(key.arn === KEY_ARN_PLACEHOLDER
            ? [`Replace ${KEY_ARN_PLACEHOLDER} with the key's ARN (DescribeKey Arn).`]
            : []),
        ],
      };
  }
}

function anotherKey(intent: RemedyIntent, facts: ResourceFacts, policy: CompliancePolicy): Remediation {
  switch (facts.resource.kind) {
    case 'bucket':
      return {
        ...bucketEncryption({ kind: 'set_bucket_encryption', target: 'account_key' }, facts, policy),
        intent,
      };
    case 'table_bucket':
      return tableBucketEncryption(intent, facts);
    case 'table':
      return recreateTable(intent, facts);
    case 'kms_key':
      return {
        intent,
        summary: `Move the resources that name KMS key ${facts.resource.name} to another key`,
        steps: [
          {
            tool: 'manual',
            title: 'Re-point the resources',
            text:
              `Nothing can be done to key ${facts.resource.name} itself. Each bucket, table bucket or table that ` +
              'names it has its own failing result with the commands to move it to an approved, Enabled key.',
            source: SOURCES.kmsApi,
          },
        ],
        notes: [READ_ONLY_NOTE],
      };
  }
}

function restoreVisibility(intent: RemedyIntent, facts: ResourceFacts): Remediation {
  const { kind, name } = facts.resource;
  const keyUnseen =
    kind === 'kms_key' ||
    (facts.encryption !== null &&
      facts.encryption.encryptionClass !== 'unknown' &&
      facts.key.kind === 'unknown');
  const errorCode = keyUnseen
    ? facts.key.kind === 'unknown'
      ? facts.key.errorCode
      : 'no answer'
    : (facts.encryption?.errorCode ?? 'not observed');
  const text = keyUnseen
    ? `DescribeKey failed (${errorCode}). Allow the auditor kms:DescribeKey on the key (${keyTarget(facts).arn}), ` +
      "in the key's region; until then the key's state and creator are unknown and its controls are warnings."
    : kind === 'bucket'
      ? `GetBucketEncryption failed (${errorCode}). Allow the auditor oss:GetBucketEncryption on acs:oss:*:*:${name}, and ` +
        'check that the bucket policy does not deny it: a bucket policy that denies wins over RAM.'
      : `The ${kind === 'table' ? 'GetTableEncryption' : 'GetTableBucketEncryption'} call failed (${errorCode}). Allow the ` +
        `auditor ${kind === 'table' ? 'oss:GetTableEncryption' : 'oss:GetTableBucketEncryption'} on acs:osstables:*:*:*.`;
  return {
    intent,
    summary: `Let Seed read the ${keyUnseen ? 'KMS key' : 'encryption'} of ${kind} "${name}"`,
    steps: [{ tool: 'manual', title: 'Grant read access to the auditor', text, source: SOURCES.seedReadme }],
    notes: ['Throttling and server errors clear by themselves; the next scan tries again.'],
  };
}

// --- Text ---------------------------------------------------------------------------------------------------

function httpText(request: HttpRequestText): string {
  return [
    `${request.method} ${request.path} HTTP/1.1`,
    `Host: ${request.host}`,
    `Content-Type: ${request.contentType}`,
    '',
    request.body,
  ].join('\n');
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A word the shell reads literally: bare when it is plain, single-quoted otherwise. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9._:/=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

function terraformName(bucket: string): string {
  const name = bucket.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `bucket_${name}`;
}

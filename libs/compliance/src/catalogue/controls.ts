import type { Control } from './catalogue';

// The control catalogue as data. Each control's wording is ours; its meaning is read from the cited texts.

const CIS_DOCUMENT = 'CIS Alibaba Cloud Foundations Benchmark v2.0.0';
const CIS_PROWLER = 'prowler-cloud/prowler: prowler/compliance/alibabacloud/cis_2.0_alibabacloud.json';
const CLOUD_CONFIG = 'Alibaba Cloud Config managed rules';
const infraguardRule = (rule: string): string => `aliyun/infraguard: policies/aliyun/rules/${rule}.rego`;
const SEED = 'Seed encryption baseline';
const OSS_SSE_GUIDE = 'https://www.alibabacloud.com/help/en/oss/user-guide/server-side-encryption';
const DESCRIBE_KEY =
  'https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-describekey';

/** CIS 5.8 and 5.9: the OSS bucket's default server-side encryption, by whose key. */
export const CIS_CONTROLS: readonly Control[] = [
  {
    id: 'cis-alibaba-v2.0.0-5.8',
    title: "Ensure server-side encryption is set to 'Encrypt with Service Key'",
    description:
      'The bucket encrypts with KMS and the OSS service key (alias/acs/oss): SSEAlgorithm KMS with no ' +
      'KMSMasterKeyID, or a key whose Creator is Oss. SSE-OSS (AES256, SM4) and no encryption fail; a ' +
      'customer key fails; KMSDataEncryption (SM4) is the object cipher and does not change the answer. ' +
      'A bucket whose encryption, or whose key, could not be read is a warning. CIS Level 2.',
    source: {
      authority: 'CIS',
      document: CIS_DOCUMENT,
      reference: '5.8',
      citations: [
        `${CIS_PROWLER} (requirement "5.8", AuditProcedure: "KMS and ... the service key (alias/acs/oss)")`,
        'turbot/steampipe-mod-alicloud-compliance: cis_v200/docs/cis_v200_5_8.md',
      ],
    },
    resourceKinds: ['bucket'],
    severity: 'medium',
    ruleId: 'sse_service_key',
  },
  {
    id: 'cis-alibaba-v2.0.0-5.9',
    title: "Ensure server-side encryption is set to 'Encrypt with BYOK'",
    description:
      "The bucket encrypts with KMS and a key the account created: a KMSMasterKeyID whose Creator is the account's " +
      'uid. KMS with the service key (no key id, or a key whose Creator is Oss), SSE-OSS (AES256, SM4) and no ' +
      'encryption fail; a key that does not exist fails. A bucket whose encryption, key or account uid is not ' +
      'known is a warning. CIS Level 2.',
    source: {
      authority: 'CIS',
      document: CIS_DOCUMENT,
      reference: '5.9',
      citations: [
        `${CIS_PROWLER} (requirement "5.9", AuditProcedure: "KMS and a customer created KMS key ID")`,
        'turbot/steampipe-mod-alicloud-compliance: cis_v200/docs/cis_v200_5_9.md',
      ],
    },
    resourceKinds: ['bucket'],
    severity: 'medium',
    ruleId: 'sse_account_key',
  },
];

/** The Cloud Config managed rules on OSS default encryption and on KMS keys, as Alibaba publishes them. */
export const CLOUD_CONFIG_CONTROLS: readonly Control[] = [
  {
    id: 'config-oss-bucket-server-side-encryption-enabled',
    title: 'OSS bucket server-side encryption enabled',
    description:
      'The bucket has a default server-side encryption rule with SSEAlgorithm KMS, AES256 or SM4. ' +
      'No rule fails; an unreadable rule is a warning.',
    source: {
      authority: 'Alibaba Cloud Config',
      document: CLOUD_CONFIG,
      reference: 'oss-bucket-server-side-encryption-enabled',
      citations: [
        `${infraguardRule('oss-bucket-server-side-encryption-enabled')} (SSEAlgorithm in ["KMS", "AES256", "SM4"])`,
      ],
    },
    resourceKinds: ['bucket'],
    severity: 'high',
    ruleId: 'sse_enabled',
  },
  {
    id: 'config-oss-default-encryption-kms',
    title: 'OSS bucket server-side KMS encryption enabled',
    description:
      'The bucket default encryption is SSEAlgorithm KMS, with any key. SSE-OSS (AES256, SM4) and no ' +
      'encryption fail; an unreadable rule is a warning.',
    source: {
      authority: 'Alibaba Cloud Config',
      document: CLOUD_CONFIG,
      reference: 'oss-default-encryption-kms',
      citations: [`${infraguardRule('oss-default-encryption-kms')} (SSEAlgorithm == "KMS")`],
    },
    resourceKinds: ['bucket'],
    severity: 'medium',
    ruleId: 'sse_kms',
  },
  {
    id: 'config-oss-encryption-byok-check',
    title: 'OSS bucket encrypted with a customer-managed KMS key',
    description:
      'The bucket encrypts with KMS and names a KMSMasterKeyID that is a customer-managed key. The rule text ' +
      'checks only that a key id is set, because it reads templates; on a live bucket Seed also reads the key, ' +
      'so a key id that is the OSS service key (Creator Oss) fails, a key that does not exist fails, and a ' +
      'key that could not be described is a warning.',
    source: {
      authority: 'Alibaba Cloud Config',
      document: CLOUD_CONFIG,
      reference: 'oss-encryption-byok-check',
      citations: [
        `${infraguardRule('oss-encryption-byok-check')} (SSEAlgorithm == "KMS" and KMSMasterKeyID != null; ` +
          '"customer-managed KMS keys (BYOK)")',
      ],
    },
    resourceKinds: ['bucket'],
    severity: 'medium',
    ruleId: 'sse_customer_key',
  },
  {
    id: 'config-kms-key-rotation-enabled',
    title: 'KMS key automatic rotation enabled',
    description:
      'A customer master key has AutomaticRotation Enabled. Service keys and keys with imported material ' +
      '(Origin EXTERNAL) are not applicable, nor are asymmetric keys, which KMS cannot rotate. Rotation ' +
      'Suspended (the key is not Enabled) fails.',
    source: {
      authority: 'Alibaba Cloud Config',
      document: CLOUD_CONFIG,
      reference: 'kms-key-rotation-enabled',
      citations: [
        `${infraguardRule('kms-key-rotation-enabled')} ("Service keys and externally imported keys are not applicable")`,
        'https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-updaterotationpolicy',
      ],
    },
    resourceKinds: ['kms_key'],
    severity: 'medium',
    ruleId: 'key_rotation_enabled',
  },
  {
    id: 'config-kms-key-delete-protection-enabled',
    title: 'KMS key deletion protection enabled',
    description:
      'A customer master key has DeletionProtection Enabled. Keys that are not Enabled and service keys ' +
      '(which cannot be deleted) are not applicable.',
    source: {
      authority: 'Alibaba Cloud Config',
      document: CLOUD_CONFIG,
      reference: 'kms-key-delete-protection-enabled',
      citations: [
        `${infraguardRule('kms-key-delete-protection-enabled')} ("Keys not in enabled status and service keys ... are not applicable")`,
        'https://www.alibabacloud.com/help/en/cloud-config/latest/kms-key-delete-protection-enabled',
      ],
    },
    resourceKinds: ['kms_key'],
    severity: 'medium',
    ruleId: 'key_deletion_protection_enabled',
  },
];

/** Seed's own controls: tables, keys behind resources, and whether encryption could be read at all. */
export const SEED_CONTROLS: readonly Control[] = [
  {
    id: 'seed-table-encrypted',
    title: 'Every table is encrypted',
    description:
      'The table reports server-side encryption (AES256 or KMS). A table without encryption fails; a table ' +
      'whose encryption could not be read is a warning.',
    source: {
      authority: 'Seed',
      document: SEED,
      reference: 'table-encrypted',
      citations: [
        'https://help.aliyun.com/en/oss/developer-reference/get-table-encryption',
        `${OSS_SSE_GUIDE} ("A table's encryption cannot be changed after it is created")`,
      ],
    },
    resourceKinds: ['table'],
    severity: 'high',
    ruleId: 'resource_encrypted',
  },
  {
    id: 'seed-table-bucket-default-encryption',
    title: 'Every table bucket has default encryption',
    description:
      'The table bucket has a default encryption configuration, which tables created later inherit. ' +
      'No configuration fails; an unreadable one is a warning. Only AES256 is offered today.',
    source: {
      authority: 'Seed',
      document: SEED,
      reference: 'table-bucket-default-encryption',
      citations: [
        'https://www.alibabacloud.com/help/en/oss/developer-reference/puttablebucketencryption',
        'https://help.aliyun.com/en/oss/developer-reference/gettablebucketencryption',
      ],
    },
    resourceKinds: ['table_bucket'],
    severity: 'high',
    ruleId: 'resource_encrypted',
  },
  {
    id: 'seed-table-not-weaker-than-bucket',
    title: "A table is not encrypted more weakly than its table bucket's current default",
    description:
      "The table's encryption is at least as strong as its table bucket's current default, on the ladder " +
      'none < SSE-OSS (AES256 = SM4) < KMS default key < KMS customer key. Tables keep the encryption they were ' +
      'created with, so tables made before the default was raised fall behind; the remedy is to recreate them. ' +
      'Either side unknown is a warning.',
    source: {
      authority: 'Seed',
      document: SEED,
      reference: 'table-not-weaker-than-bucket',
      citations: [
        'https://www.alibabacloud.com/help/en/oss/developer-reference/puttablebucketencryption ("Existing tables are unaffected")',
        `${OSS_SSE_GUIDE} ("A table's encryption cannot be changed after it is created")`,
      ],
    },
    resourceKinds: ['table'],
    severity: 'medium',
    ruleId: 'not_weaker_than_table_bucket',
  },
  {
    id: 'seed-kms-key-exists',
    title: 'The KMS key behind a resource exists',
    description:
      'The key a resource names (or the key itself) is found by DescribeKey. Forbidden.KeyNotFound fails: ' +
      'data written under that name cannot be encrypted or read. A key that could not be described is a warning.',
    source: {
      authority: 'Seed',
      document: SEED,
      reference: 'kms-key-exists',
      citations: [`${DESCRIBE_KEY} (error Forbidden.KeyNotFound)`],
    },
    resourceKinds: ['bucket', 'table_bucket', 'table', 'kms_key'],
    severity: 'high',
    ruleId: 'key_exists',
  },
  {
    id: 'seed-kms-key-enabled',
    title: 'The KMS key behind a resource is Enabled',
    description:
      'Only Enabled keys encrypt or decrypt. Disabled fails; PendingDeletion fails and says how many days are ' +
      'left before the key, and the data under it, are gone; PendingImport (no key material) fails; a key that ' +
      'does not exist fails. A key that could not be described is a warning.',
    source: {
      authority: 'Seed',
      document: SEED,
      reference: 'kms-key-enabled',
      citations: [`${DESCRIBE_KEY} (KeyState, DeleteDate)`],
    },
    resourceKinds: ['bucket', 'table_bucket', 'table', 'kms_key'],
    severity: 'high',
    ruleId: 'key_enabled',
  },
  {
    id: 'seed-kms-key-approved',
    title: 'The KMS key behind a resource is on the approved list',
    description:
      'When the policy lists approved keys (ids or ARNs), the key a resource names must be one of them. ' +
      'Without a list the control gives no result.',
    source: {
      authority: 'Seed',
      document: SEED,
      reference: 'kms-key-approved',
      citations: [
        'Seed configuration policy.approvedKmsKeys (README.md)',
        'https://docs.aws.amazon.com/config/latest/developerguide/s3-default-encryption-kms.html (kmsKeyArns, the same idea)',
      ],
    },
    resourceKinds: ['bucket', 'table_bucket', 'table', 'kms_key'],
    severity: 'medium',
    ruleId: 'key_approved',
  },
  {
    id: 'seed-encryption-verifiable',
    title: 'Encryption is verifiable',
    description:
      'The scan could read the encryption (or, for a key, DescribeKey answered). AccessDenied, throttling, ' +
      'errors after retries and unrecognised answers are warnings: never counted as compliant.',
    source: {
      authority: 'Seed',
      document: SEED,
      reference: 'encryption-verifiable',
      citations: [
        'Seed README.md, "What it audits": a resource that could not be read is unknown, never compliant',
      ],
    },
    resourceKinds: ['bucket', 'table_bucket', 'table', 'kms_key'],
    severity: 'medium',
    ruleId: 'encryption_verifiable',
  },
];

import type { Framework } from './catalogue';

// Framework mappings as data. For Alibaba's packs we map exactly the rules the pack lists among the Cloud Config
// rules this catalogue implements; a pack's requirement is the rule id, because that is what the pack names.
const INFRAGUARD_PACKS = 'aliyun/infraguard: policies/aliyun/packs';

/** CIS Alibaba Cloud Foundations Benchmark v2.0.0, storage section: the two encryption recommendations. */
export const CIS_FRAMEWORK: Framework = {
  id: 'cis-alibaba-v2.0.0',
  title: 'CIS Alibaba Cloud Foundations Benchmark v2.0.0',
  source: {
    publisher: 'Center for Internet Security',
    citations: [
      'prowler-cloud/prowler: prowler/compliance/alibabacloud/cis_2.0_alibabacloud.json',
      'turbot/steampipe-mod-alicloud-compliance: cis_v200/docs/cis_v200_5_8.md, cis_v200_5_9.md',
    ],
  },
  requirements: [
    {
      id: '5.8',
      title: "Ensure server-side encryption is set to 'Encrypt with Service Key'",
      controlIds: ['cis-alibaba-v2.0.0-5.8'],
    },
    {
      id: '5.9',
      title: "Ensure server-side encryption is set to 'Encrypt with BYOK'",
      controlIds: ['cis-alibaba-v2.0.0-5.9'],
    },
  ],
  scopeNote:
    'Only recommendations 5.8 and 5.9 (storage encryption). They exclude each other: a bucket uses either the ' +
    'service key or a key of its own, so it passes at most one of them.',
};

/** Alibaba's MLPS 2.0 Level 3 pre-check pack (等保三级预检合规包). */
export const MLPS_LEVEL_3_FRAMEWORK: Framework = {
  id: 'alibaba-mlps-level-3-pre-check',
  title: 'MLPS 2.0 Level 3 pre-check compliance pack (Alibaba Cloud)',
  source: {
    publisher: 'Alibaba Cloud',
    citations: [`${INFRAGUARD_PACKS}/compliance/mlps-level-3-pre-check-compliance-pack.rego`],
  },
  requirements: [
    {
      id: 'oss-default-encryption-kms',
      title: 'OSS bucket server-side KMS encryption enabled',
      controlIds: ['config-oss-default-encryption-kms'],
    },
  ],
  scopeNote:
    'The pack has no KMS key rule. Its other OSS rules (public read, anonymous policy, IP restriction, ' +
    'organisation policy, HTTPS only, versioning, zone-redundant storage) and all other services are out of scope.',
};

/** Alibaba's PCI DSS pack. */
export const PCI_DSS_FRAMEWORK: Framework = {
  id: 'alibaba-pci-dss',
  title: 'PCI DSS compliance pack (Alibaba Cloud)',
  source: {
    publisher: 'Alibaba Cloud',
    citations: [
      `${INFRAGUARD_PACKS}/pci-dss-compliance.rego (not under packs/compliance/ in the copies read)`,
    ],
  },
  requirements: [
    {
      id: 'oss-bucket-server-side-encryption-enabled',
      title: 'OSS bucket server-side encryption enabled',
      controlIds: ['config-oss-bucket-server-side-encryption-enabled'],
    },
    {
      id: 'oss-encryption-byok-check',
      title: 'OSS bucket encrypted with a customer-managed KMS key',
      controlIds: ['config-oss-encryption-byok-check'],
    },
    {
      id: 'kms-key-rotation-enabled',
      title: 'KMS key automatic rotation enabled',
      controlIds: ['config-kms-key-rotation-enabled'],
    },
    {
      id: 'kms-key-delete-protection-enabled',
      title: 'KMS key deletion protection enabled',
      controlIds: ['config-kms-key-delete-protection-enabled'],
    },
  ],
  scopeNote:
    'Out of scope: kms-secret-rotation-enabled (secrets, not keys), oss-bucket-anonymous-prohibited, ' +
    'oss-bucket-only-https-enabled, oss-zrs-enabled, and the rules of other services.',
};

/** Alibaba's ISO 27001 pack. */
export const ISO_27001_FRAMEWORK: Framework = {
  id: 'alibaba-iso-27001',
  title: 'ISO 27001 compliance pack (Alibaba Cloud)',
  source: {
    publisher: 'Alibaba Cloud',
    citations: [`${INFRAGUARD_PACKS}/compliance/iso-27001-compliance.rego`],
  },
  requirements: [
    {
      id: 'oss-default-encryption-kms',
      title: 'OSS bucket server-side KMS encryption enabled',
      controlIds: ['config-oss-default-encryption-kms'],
    },
    {
      id: 'kms-key-rotation-enabled',
      title: 'KMS key automatic rotation enabled',
      controlIds: ['config-kms-key-rotation-enabled'],
    },
  ],
  scopeNote:
    'The pack also lists kms-key-state-not-pending-deletion, commented out because templates cannot see key ' +
    'state; seed-kms-key-enabled checks that state on live keys but is not mapped here, since the pack does not ' +
    'map it. Out of scope: kms-secret-rotation-enabled, the other OSS rules (logging, HTTPS only, public ' +
    'read/write, versioning, zone-redundant storage) and other services.',
};

/** Seed's own baseline: one requirement per own control, so that they score as a framework too. */
export const SEED_BASELINE_FRAMEWORK: Framework = {
  id: 'seed-baseline',
  title: 'Seed encryption baseline',
  source: { publisher: 'Seed', citations: ['docs/compliance.md'] },
  requirements: [
    { id: 'table-encrypted', title: 'Every table is encrypted', controlIds: ['seed-table-encrypted'] },
    {
      id: 'table-bucket-default-encryption',
      title: 'Every table bucket has default encryption',
      controlIds: ['seed-table-bucket-default-encryption'],
    },
    {
      id: 'table-not-weaker-than-bucket',
      title: "No table weaker than its table bucket's default",
      controlIds: ['seed-table-not-weaker-than-bucket'],
    },
    {
      id: 'kms-key-healthy',
      title: 'The KMS key behind a resource exists and is Enabled',
      controlIds: ['seed-kms-key-exists', 'seed-kms-key-enabled'],
    },
    { id: 'kms-key-approved', title: 'Only approved KMS keys', controlIds: ['seed-kms-key-approved'] },
    {
      id: 'encryption-verifiable',
      title: 'Encryption is verifiable',
      controlIds: ['seed-encryption-verifiable'],
    },
  ],
  scopeNote: 'What no published framework asks of OSS Tables and of the keys behind resources.',
};

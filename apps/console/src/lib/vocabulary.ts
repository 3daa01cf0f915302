import type {
  ControlStatus,
  DriftDirection,
  DriftType,
  EncryptionClass,
  FindingRule,
  RemediationTool,
  ResourceKind,
  ScanStatus,
  Severity,
} from '../api/types';

/**
 * Names and explanations of the API's closed lists. Each is a record over the type the OpenAPI
 * document declares, so a value the API adds fails the console's typecheck until it is named here.
 */
export const CLASS_INFO: Readonly<Record<EncryptionClass, { label: string; description: string }>> = {
  kms_cmk: { label: 'KMS (customer key)', description: 'KMS with a customer master key' },
  kms_default: { label: 'KMS (default key)', description: 'KMS with the OSS-managed default key' },
  oss_aes256: { label: 'OSS AES256', description: 'OSS-managed AES256, not KMS' },
  oss_sm4: { label: 'OSS SM4', description: 'OSS-managed SM4, not KMS' },
  none: { label: 'Unencrypted', description: 'No default encryption' },
  unknown: { label: 'Unknown', description: 'Could not be read (denied, throttled, malformed)' },
};

/** Strongest first: the order of the heat map's columns and of every class list. */
export const ENCRYPTION_CLASSES = Object.keys(CLASS_INFO) as EncryptionClass[];

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** Most severe first. */
export const SEVERITIES = Object.keys(SEVERITY_LABELS) as Severity[];

export const RULE_LABELS: Readonly<Record<FindingRule, string>> = {
  unencrypted: 'Unencrypted',
  non_kms: 'Not KMS',
  kms_default_key: 'KMS default key',
  kms_key_not_approved: 'KMS key not approved',
  unverifiable: 'Unverifiable',
  table_weaker_than_bucket: 'Table weaker than its bucket',
  kms_key_disabled: 'KMS key disabled',
  kms_key_pending_deletion: 'KMS key pending deletion',
  kms_key_not_found: 'KMS key not found',
  kms_key_cross_account: 'KMS key of another account',
  kms_key_rotation_disabled: 'Key rotation off',
  kms_key_deletion_protection_disabled: 'Deletion protection off',
};

export const RULES = Object.keys(RULE_LABELS) as FindingRule[];

export const KIND_LABELS: Readonly<Record<ResourceKind, string>> = {
  bucket: 'Bucket',
  table_bucket: 'Table bucket',
  table: 'Table',
  kms_key: 'KMS key',
};

export const KINDS = Object.keys(KIND_LABELS) as ResourceKind[];

export const SCAN_STATUS_LABELS: Readonly<Record<ScanStatus, string>> = {
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Partial',
  failed: 'Failed',
};

export const DRIFT_TYPE_LABELS: Readonly<Record<DriftType, string>> = {
  encryption_changed: 'Encryption changed',
  appeared: 'Appeared',
  disappeared: 'Disappeared',
};

export const DRIFT_TYPES = Object.keys(DRIFT_TYPE_LABELS) as DriftType[];

export const DIRECTION_LABELS: Readonly<Record<DriftDirection, string>> = {
  weakened: 'Weakened',
  strengthened: 'Strengthened',
  changed: 'Changed',
};

export const DIRECTIONS = Object.keys(DIRECTION_LABELS) as DriftDirection[];

export const CONTROL_STATUS_LABELS: Readonly<Record<ControlStatus, string>> = {
  pass: 'Pass',
  fail: 'Fail',
  warning: 'Warning',
  suppressed: 'Suppressed',
};

export const CONTROL_STATUSES = Object.keys(CONTROL_STATUS_LABELS) as ControlStatus[];

/** Where a remediation step runs. */
export const REMEDIATION_TOOL_LABELS: Readonly<Record<RemediationTool, string>> = {
  http_api: 'OSS API request',
  ossutil_1: 'ossutil 1.x',
  ossutil_2: 'ossutil 2.x',
  aliyun_cli: 'aliyun CLI',
  terraform: 'Terraform',
  manual: 'By hand',
};

import type { FindingRule, ResourceKind } from '@app/audit';

import type { Control, RuleId } from './catalogue';

/**
 * The audit finding rules whose findings say the same thing a control rule fails or warns on: a
 * control's findings are the findings of these rules on the kinds the control judges. A rule that
 * judges something no finding rule raises (a key's Creator for the CIS service-key control) maps
 * only to the findings that do overlap.
 */
const FINDING_RULES_OF_CONTROL_RULE: Readonly<Record<RuleId, readonly FindingRule[]>> = {
  sse_service_key: ['unencrypted', 'non_kms', 'kms_key_not_found', 'unverifiable'],
  sse_account_key: [
    'unencrypted',
    'non_kms',
    'kms_default_key',
    'kms_key_not_found',
    'kms_key_cross_account',
    'unverifiable',
  ],
  sse_enabled: ['unencrypted', 'unverifiable'],
  sse_kms: ['unencrypted', 'non_kms', 'unverifiable'],
  sse_customer_key: ['unencrypted', 'non_kms', 'kms_default_key', 'kms_key_not_found', 'unverifiable'],
  key_rotation_enabled: ['kms_key_rotation_disabled'],
  key_deletion_protection_enabled: ['kms_key_deletion_protection_disabled'],
  resource_encrypted: ['unencrypted', 'unverifiable'],
  not_weaker_than_table_bucket: ['table_weaker_than_bucket'],
  key_exists: ['kms_key_not_found'],
  key_enabled: ['kms_key_disabled', 'kms_key_pending_deletion'],
  key_approved: ['kms_key_not_approved'],
  encryption_verifiable: ['unverifiable'],
};

/** Which findings belong to a control: these finding rules, on resources of these kinds. */
export interface ControlFindingScope {
  readonly findingRules: readonly FindingRule[];
  readonly resourceKinds: readonly ResourceKind[];
}

/** The findings a control's rule evaluates: its finding rules on the kinds the control applies to. */
export function controlFindingScope(control: Control): ControlFindingScope {
  return {
    findingRules: FINDING_RULES_OF_CONTROL_RULE[control.ruleId],
    resourceKinds: control.resourceKinds,
  };
}

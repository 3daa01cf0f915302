import { type FindingRule, isSeverityAtLeast } from '@app/audit';
import type { AlertRoutingConfig } from '@app/config';

import type { AlertEvent, EncryptionSummary } from './alert-event';

/**
 * The finding rule the state a weakening lands in stands for, so that a channel's `rules` filter
 * reads the same for both kinds of alert: a move to `none` is about `unencrypted`, a move to
 * OSS-managed keys about `non_kms`, a move to the default KMS key about `kms_default_key`.
 */
export function ruleOfWeakening(after: EncryptionSummary | null): FindingRule | null {
  switch (after?.encryptionClass) {
    case 'none':
      return 'unencrypted';
    case 'oss_aes256':
    case 'oss_sm4':
      return 'non_kms';
    case 'kms_default':
      return 'kms_default_key';
    default:
      return null;
  }
}

/**
 * Whether a channel is told about an alert. Every alert must reach the channel's `minSeverity` and
 * come from one of its `accounts` (null: any). A new finding must be of one of its `rules` (null:
 * any), and `non_kms` findings are opt-in (`includeNonKms`). A weakening is always an alert of its
 * own, opt-in or not: it passes `rules` through the rule of the state it lands in
 * (`ruleOfWeakening`), never through `includeNonKms`. An alert about an exception passes `rules`
 * when the exception covers one of them (one covering controls only reaches channels without
 * `rules`), and its account is the one its scope lies in.
 */
export function routesTo(event: AlertEvent, routing: AlertRoutingConfig): boolean {
  if (!isSeverityAtLeast(event.severity, routing.minSeverity)) {
    return false;
  }
  const accountAlias =
    event.type === 'exception_expiring' || event.type === 'exception_stale'
      ? event.exception.accountAlias
      : event.resource.accountAlias;
  if (routing.accounts !== null && (accountAlias === null || !routing.accounts.includes(accountAlias))) {
    return false;
  }
  switch (event.type) {
    case 'finding_opened':
      if (event.rule === 'non_kms' && !routing.includeNonKms) {
        return false;
      }
      return routing.rules === null || (event.rule !== null && routing.rules.includes(event.rule));
    case 'encryption_weakened': {
      if (routing.rules === null) {
        return true;
      }
      const rule = ruleOfWeakening(event.after);
      return rule !== null && routing.rules.includes(rule);
    }
    case 'exception_expiring':
    case 'exception_stale': {
      const { rules } = routing;
      return rules === null || event.exception.findingRules.some((rule) => rules.includes(rule));
    }
  }
}

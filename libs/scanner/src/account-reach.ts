import type { AccountReach, FinishedScanStatus, ScanCoverage, ScanTaskOutcome } from '@app/persistence';

import type { ScanPlan } from './scan-plan';

/**
 * What a scan reached of each planned account, from its coverage: reached when one of its scopes
 * was listed to its end or one of its resources read; its first failure otherwise kept.
 */
export function accountReaches(plan: ScanPlan, coverage: readonly ScanCoverage[]): AccountReach[] {
  return plan.accounts.map((account) => {
    const rows = coverage.filter((row) => row.accountAlias === account.alias && row.kind !== 'kms_key');
    const error = rows.flatMap((row) => row.errors ?? [])[0] ?? null;
    return {
      alias: account.alias,
      reached: rows.some(
        (row) => (row.enumerationComplete && (row.proof ?? []).length > 0) || row.observed > 0,
      ),
      error,
      coverage: {
        scopes: rows.length,
        complete: rows.filter((row) => row.enumerationComplete && Object.keys(row.errorsByCode).length === 0)
          .length,
        listed: rows.reduce((sum, row) => sum + row.listed, 0),
        observed: rows.reduce((sum, row) => sum + row.observed, 0),
      },
    };
  });
}

/**
 * A scan whose organisation discovery failed is never `succeeded` (it audited the members of the
 * previous plan, which may no longer be all of them), and is `failed` when it had nothing else to do.
 */
export function withDiscoveryOutcome(
  status: FinishedScanStatus,
  plan: ScanPlan,
  outcomes: readonly ScanTaskOutcome[],
): FinishedScanStatus {
  if (plan.organization?.error == null) return status;
  if (outcomes.length === 0) return 'failed';
  return status === 'succeeded' ? 'partial' : status;
}

/** Why discovery failed, in one line, for a scan that failed for it. */
export function discoveryFailureReason(plan: ScanPlan): string | null {
  const error = plan.organization?.error;
  if (error == null) return null;
  return `Organisation discovery failed: ${error.operation} ${error.code}${error.httpStatus === null ? '' : ` (HTTP ${error.httpStatus.toString()})`}${error.message === '' ? '' : `, ${error.message}`}${error.requestId === null ? '' : `, request ${error.requestId}`}`;
}

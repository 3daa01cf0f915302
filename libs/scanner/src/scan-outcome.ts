import type { ResourceKind } from '@app/audit';
import type { FinishedScanStatus, ScanCoverage, ScanTaskOutcome } from '@app/persistence';

import { ALL_REGIONS } from './scan-plan';

/**
 * Coverage per (account, region, kind), summed from the scan's tasks: audit batches hold one
 * region each, so their counts land on their region; an enumeration's failure lands on the region
 * it listed (`*` for the account-wide ListBuckets). A region is `enumerationComplete` only when the
 * listing that covers it finished.
 */
export function scanCoverage(outcomes: readonly ScanTaskOutcome[]): ScanCoverage[] {
  const rows = new Map<string, MutableCoverage>();
  const row = (accountAlias: string, region: string, kind: ResourceKind): MutableCoverage => {
    const key = `${accountAlias}\n${kind}\n${region}`;
    let existing = rows.get(key);
    if (existing === undefined) {
      existing = {
        accountAlias,
        region,
        kind,
        listed: 0,
        observed: 0,
        errorsByCode: {},
        enumerationComplete: true,
      };
      rows.set(key, existing);
    }
    return existing;
  };
  const enumerations = outcomes.filter((outcome) => outcome.kind === 'enumerate');
  const listingComplete = (accountAlias: string, kind: ResourceKind, region: string): boolean =>
    enumerations
      .filter(
        (e) =>
          e.accountAlias === accountAlias &&
          e.resourceKind === kind &&
          (e.region === region || e.region === ALL_REGIONS),
      )
      .every((e) => e.status === 'done' && e.result?.enumerationComplete === true);

  for (const outcome of outcomes) {
    if (outcome.kind === 'audit') {
      const target = row(outcome.accountAlias, outcome.region, outcome.resourceKind);
      target.listed += outcome.result?.listed ?? 0;
      target.observed += outcome.result?.observed ?? 0;
      addErrors(target, outcome);
    } else if (outcome.status !== 'done' || outcome.result?.enumerationComplete !== true) {
      addErrors(row(outcome.accountAlias, outcome.region, outcome.resourceKind), outcome);
    }
  }
  return [...rows.values()]
    .map((coverage) => ({
      ...coverage,
      enumerationComplete: listingComplete(coverage.accountAlias, coverage.kind, coverage.region),
    }))
    .sort((a, b) =>
      a.accountAlias === b.accountAlias
        ? a.kind === b.kind
          ? a.region.localeCompare(b.region)
          : a.kind.localeCompare(b.kind)
        : a.accountAlias.localeCompare(b.accountAlias),
    );
}

/**
 * `succeeded` only when every listing finished and every listed resource was observed; `failed`
 * when no listing and no audit got anywhere; `partial` otherwise. An incomplete scan never looks
 * clean.
 */
export function scanStatus(
  outcomes: readonly ScanTaskOutcome[],
  coverage: readonly ScanCoverage[],
): FinishedScanStatus {
  if (
    outcomes.length > 0 &&
    outcomes.every((outcome) => outcome.status === 'failed' || !madeProgress(outcome))
  ) {
    return 'failed';
  }
  const complete = coverage.every(
    (row) =>
      row.enumerationComplete && row.observed === row.listed && Object.keys(row.errorsByCode).length === 0,
  );
  return complete && outcomes.every((outcome) => outcome.status === 'done') ? 'succeeded' : 'partial';
}

interface MutableCoverage {
  accountAlias: string;
  region: string;
  kind: ResourceKind;
  listed: number;
  observed: number;
  errorsByCode: Record<string, number>;
  enumerationComplete: boolean;
}

function addErrors(target: MutableCoverage, outcome: ScanTaskOutcome): void {
  const errors = outcome.result?.errorsByCode ?? (outcome.status === 'failed' ? { TaskFailed: 1 } : {});
  for (const [code, count] of Object.entries(errors)) {
    target.errorsByCode[code] = (target.errorsByCode[code] ?? 0) + count;
  }
}

function madeProgress(outcome: ScanTaskOutcome): boolean {
  const result = outcome.result;
  if (result === null) return false;
  return outcome.kind === 'enumerate' ? result.enumerationComplete || result.listed > 0 : result.observed > 0;
}

import type { ResourceKind } from '@app/audit';
import type { FinishedScanStatus, ScanCoverage, ScanTaskOutcome, ScopeError } from '@app/persistence';

import { ALL_REGIONS, type EnumerateTaskPayload, type ScanPlan } from './scan-plan';

/** Failures kept per coverage row: enough to act on, bounded however many resources fail. */
const MAX_ERRORS_PER_SCOPE = 5;
/** Request ids kept per coverage row as proof of its listing. */
const MAX_PROOF_PER_SCOPE = 3;

interface MutableCoverage {
  accountAlias: string;
  region: string;
  kind: ResourceKind;
  listed: number;
  observed: number;
  errorsByCode: Record<string, number>;
  enumerationComplete: boolean;
  proof: string[];
  errors: ScopeError[];
  missing: string[];
  skippedRegions: Record<string, number>;
}

/**
 * Coverage per (account, region, kind), from the scan's plan and its tasks. Every scope the plan
 * names has a row, even with no resource in it: a region with nothing is proved by the request id
 * of the listing that found nothing, and a region that could not be listed says why. Audit batches
 * land on their region; a listing's failure on the regions it was to cover.
 */
export function scanCoverage(plan: ScanPlan, outcomes: readonly ScanTaskOutcome[]): ScanCoverage[] {
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
        proof: [],
        errors: [],
        missing: [],
        skippedRegions: {},
      };
      rows.set(key, existing);
    }
    return existing;
  };

  // Every planned listing scope, found something or not.
  for (const account of plan.accounts) {
    if (account.bucketRegions !== null && account.bucketRegions !== 'all') {
      for (const region of account.bucketRegions) row(account.alias, region, 'bucket');
    }
    for (const region of account.tableBucketRegions) row(account.alias, region, 'table_bucket');
  }

  const listings = new Map<string, ScanTaskOutcome>();
  for (const outcome of outcomes) {
    if (outcome.kind === 'enumerate') {
      const payload = outcome.plan as EnumerateTaskPayload | null;
      listings.set(
        `${outcome.accountAlias}\n${outcome.resourceKind}\n${payload?.tableBucketArn ?? outcome.region}`,
        outcome,
      );
    }
  }

  for (const outcome of outcomes) {
    const result = outcome.result;
    if (outcome.kind === 'audit') {
      const target = row(outcome.accountAlias, outcome.region, outcome.resourceKind);
      target.listed += result?.listed ?? 0;
      target.observed += result?.observed ?? 0;
      addErrors(target, outcome);
      for (const [region, keys] of Object.entries(result?.keys ?? {})) {
        const keyRow = row(outcome.accountAlias, region, 'kms_key');
        keyRow.listed += keys.described;
        keyRow.observed += keys.described - countOf(keys.errorsByCode);
        mergeCounts(keyRow.errorsByCode, keys.errorsByCode);
      }
      continue;
    }
    const payload = outcome.plan as EnumerateTaskPayload | null;
    const regionsCovered =
      outcome.resourceKind === 'bucket'
        ? payload === null || payload.regions === 'all'
          ? [...rows.values()]
              .filter((r) => r.accountAlias === outcome.accountAlias && r.kind === 'bucket')
              .map((r) => r.region)
          : payload.regions
        : [outcome.region];
    const covered = regionsCovered.length === 0 ? [ALL_REGIONS] : regionsCovered;
    const proved = outcome.status === 'done' && result?.enumerationComplete === true;
    for (const region of covered) {
      const target = row(outcome.accountAlias, region, outcome.resourceKind);
      if (!proved) target.enumerationComplete = false;
      for (const requestId of result?.proof ?? []) {
        if (target.proof.length < MAX_PROOF_PER_SCOPE && !target.proof.includes(requestId))
          target.proof.push(requestId);
      }
      for (const [skipped, count] of Object.entries(result?.skippedRegions ?? {})) {
        target.skippedRegions[skipped] = (target.skippedRegions[skipped] ?? 0) + count;
      }
    }
    // A listing's own failure is counted once, on the first region it covers.
    const [first] = covered;
    if (!proved && first !== undefined)
      addErrors(row(outcome.accountAlias, first, outcome.resourceKind), outcome);
  }

  // A region of an account-wide listing inherits the listing's verdict once audits created its row.
  for (const target of rows.values()) {
    if (target.kind !== 'bucket') continue;
    const listing = listings.get(`${target.accountAlias}\nbucket\n${ALL_REGIONS}`);
    if (listing === undefined) continue;
    if (listing.status !== 'done' || listing.result?.enumerationComplete !== true)
      target.enumerationComplete = false;
    for (const requestId of listing.result?.proof ?? []) {
      if (target.proof.length < MAX_PROOF_PER_SCOPE && !target.proof.includes(requestId))
        target.proof.push(requestId);
    }
  }

  return [...rows.values()]
    .map((coverage): ScanCoverage => ({
      accountAlias: coverage.accountAlias,
      region: coverage.region,
      kind: coverage.kind,
      listed: coverage.listed,
      observed: coverage.observed,
      errorsByCode: coverage.errorsByCode,
      enumerationComplete: coverage.enumerationComplete,
      proof: coverage.proof,
      errors: coverage.errors,
      missing: coverage.missing,
      skippedRegions: coverage.skippedRegions,
    }))
    .sort(
      (a, b) =>
        a.accountAlias.localeCompare(b.accountAlias) ||
        a.kind.localeCompare(b.kind) ||
        a.region.localeCompare(b.region),
    );
}

/**
 * `succeeded` only when every listing finished, every listed resource was observed and nothing
 * failed or is missing; `failed` when no listing and no audit got anywhere; `partial` otherwise.
 * An incomplete scan never looks clean.
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
      row.enumerationComplete &&
      row.observed === row.listed &&
      Object.keys(row.errorsByCode).length === 0 &&
      (row.missing ?? []).length === 0,
  );
  return complete && outcomes.every((outcome) => outcome.status === 'done') ? 'succeeded' : 'partial';
}

/** Why a scan failed, in one line: the first failures it met, each with what proves it. */
export function failureReason(
  coverage: readonly ScanCoverage[],
  outcomes: readonly ScanTaskOutcome[],
): string {
  const errors = coverage.flatMap((row) =>
    (row.errors ?? []).map(
      (error) => `${row.accountAlias}/${row.kind}/${row.region}: ${describeScopeError(error)}`,
    ),
  );
  if (errors.length > 0) {
    return `Nothing could be listed or read. ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (and ${(errors.length - 3).toString()} more)` : ''}`;
  }
  const failedTasks = outcomes.filter((outcome) => outcome.status === 'failed').length;
  return failedTasks > 0
    ? `Nothing could be listed or read: ${failedTasks.toString()} task(s) failed every retry (see the worker logs)`
    : 'Nothing could be listed or read';
}

/** One failure, as people read it: code, status, message, host and request id. */
export function describeScopeError(error: ScopeError): string {
  const parts = [
    error.resource === undefined ? error.operation : `${error.operation} ${error.resource}`,
    `${error.code}${error.httpStatus === null ? '' : ` (HTTP ${error.httpStatus.toString()})`}`,
  ];
  if (error.message !== '') parts.push(error.message);
  if (error.host !== null) parts.push(`at ${error.host}`);
  if (error.requestId !== null) parts.push(`request ${error.requestId}`);
  return parts.join(', ');
}

function addErrors(target: MutableCoverage, outcome: ScanTaskOutcome): void {
  const result = outcome.result;
  const errors = result?.errorsByCode ?? (outcome.status === 'failed' ? { TaskFailed: 1 } : {});
  mergeCounts(target.errorsByCode, errors);
  for (const error of result?.errors ?? []) {
    if (target.errors.length < MAX_ERRORS_PER_SCOPE) target.errors.push(error);
  }
  for (const name of result?.missing ?? []) target.missing.push(name);
}

function mergeCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [code, count] of Object.entries(from)) into[code] = (into[code] ?? 0) + count;
}

function countOf(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

function madeProgress(outcome: ScanTaskOutcome): boolean {
  const result = outcome.result;
  if (result === null) return false;
  return outcome.kind === 'enumerate' ? result.enumerationComplete || result.listed > 0 : result.observed > 0;
}

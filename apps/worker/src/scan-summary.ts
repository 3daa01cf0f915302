import { ENCRYPTION_CLASSES } from '@app/audit';
import type { ScanCoverage, ScanRecord, ScanStatus } from '@app/persistence';
import { describeScopeError } from '@app/scanner';

/** Most problems printed under a summary; the API has them all (`GET /v1/scans/{id}`). */
const MAX_PROBLEMS = 20;

/**
 * `npm run scan`'s exit code for a scan: 0 succeeded, 1 partial (some scope or resource could not
 * be read), 3 failed (nothing could). 2 is kept for a scan that could not run at all.
 */
export function scanExitCode(status: ScanStatus): number {
  switch (status) {
    case 'succeeded':
      return 0;
    case 'partial':
      return 1;
    case 'failed':
    case 'running':
      return 3;
  }
}

/**
 * A scan's result as people read it in a terminal: classes, findings, drift, coverage of every
 * planned scope (a scope with nothing in it shows the request that proved it), and every problem
 * with what proves it (code, HTTP status, message, host, request id), then why it failed.
 */
export function formatScanSummary(scan: ScanRecord): string {
  const lines: string[] = [];
  const seconds =
    scan.finishedAt === null
      ? null
      : ((scan.finishedAt.getTime() - scan.startedAt.getTime()) / 1000).toFixed(1);
  lines.push(
    `Scan ${scan.id.toString()} (${scan.trigger}): ${scan.status.toUpperCase()}${seconds === null ? '' : ` in ${seconds} s`}`,
  );
  const summary = scan.summary;
  if (summary !== null) {
    const classes = ENCRYPTION_CLASSES.map(
      (name) => `${name} ${(summary.resourcesByClass[name] ?? 0).toString()}`,
    );
    lines.push(`  resources by class: ${classes.join(', ')}`);
    lines.push(
      `  findings: ${summary.findingsOpened.toString()} opened, ${summary.findingsResolved.toString()} resolved; ` +
        `drift events: ${summary.driftEvents.toString()}; resources gone: ${summary.resourcesDisappeared.toString()}; ` +
        `out of scope: ${(summary.resourcesOutOfScope ?? 0).toString()}; alerts queued: ${summary.alertsQueued.toString()}`,
    );
  }
  lines.push('  coverage (account / kind / region: observed of listed, errors):');
  for (const row of scan.coverage) lines.push(`    ${coverageLine(row)}`);
  const problems = scan.coverage.flatMap(problemsOf);
  if (problems.length > 0) {
    lines.push(`  problems (${problems.length.toString()}):`);
    for (const problem of problems.slice(0, MAX_PROBLEMS)) lines.push(`    ${problem}`);
    if (problems.length > MAX_PROBLEMS) {
      lines.push(
        `    ... and ${(problems.length - MAX_PROBLEMS).toString()} more (GET /v1/scans/${scan.id.toString()})`,
      );
    }
  }
  if (scan.failureReason !== null) lines.push(`  failure: ${scan.failureReason}`);
  return lines.join('\n');
}

function coverageLine(row: ScanCoverage): string {
  const errors = Object.entries(row.errorsByCode)
    .map(([code, count]) => `${code} x${count.toString()}`)
    .join(', ');
  const proof =
    row.enumerationComplete && row.listed === 0 && (row.proof?.length ?? 0) > 0
      ? `, proved empty by request ${row.proof?.[0] ?? ''}`
      : '';
  const skipped = Object.entries(row.skippedRegions ?? {})
    .map(([region, count]) => `${region} ${count.toString()}`)
    .join(', ');
  return (
    `${row.accountAlias} / ${row.kind} / ${row.region}: ${row.observed.toString()} of ${row.listed.toString()}` +
    `${row.enumerationComplete ? '' : ' (NOT PROVED: listing incomplete)'}${proof}` +
    (errors === '' ? '' : `; ${errors}`) +
    (skipped === '' ? '' : `; outside the configured regions: ${skipped}`)
  );
}

function problemsOf(row: ScanCoverage): string[] {
  const where = `${row.accountAlias} / ${row.kind} / ${row.region}`;
  return [
    ...(row.errors ?? []).map((error) => `${where}: ${describeScopeError(error)}`),
    ...(row.missing ?? []).map((name) => `${where}: ${name} is configured but does not exist`),
  ];
}

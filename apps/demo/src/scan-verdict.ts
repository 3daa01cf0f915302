import type { ScanRecord } from '@app/persistence';

/** What the demo fleet's denied bucket and table bucket answer: expected, not a failure. */
const DELIBERATE_DENIALS: ReadonlySet<string> = new Set(['AccessDenied', 'ForbiddenException']);

/**
 * Why a demo scan is not the one expected, or nothing. The fleet denies the auditor a few
 * resources on purpose, so a scan is `partial` (an audit that could not read everything never
 * reports itself clean); anything beyond those denials (a listing cut short, a resource not
 * observed, another error) is a real problem.
 */
export function unexpectedScanProblems(scan: ScanRecord): string[] {
  const problems: string[] = [];
  const name = `scan ${scan.id.toString()}`;
  if (scan.status === 'failed' || scan.status === 'running') problems.push(`${name} ended ${scan.status}`);
  for (const row of scan.coverage) {
    const where = `${name} ${row.accountAlias}/${row.kind}/${row.region}`;
    if (!row.enumerationComplete && !tablesOfADeniedTableBucket(row)) {
      problems.push(`${where}: listing incomplete`);
    }
    if (row.observed !== row.listed) {
      problems.push(`${where}: ${row.observed.toString()} of ${row.listed.toString()} observed`);
    }
    for (const [code, count] of Object.entries(row.errorsByCode)) {
      if (!DELIBERATE_DENIALS.has(code)) problems.push(`${where}: ${code} x${count.toString()}`);
    }
  }
  return problems;
}

/**
 * The tables of the table bucket that denies the auditor cannot be listed either: that scope is
 * incomplete on purpose, and says so with the denial alone.
 */
function tablesOfADeniedTableBucket(row: ScanRecord['coverage'][number]): boolean {
  const codes = Object.keys(row.errorsByCode);
  return row.kind === 'table' && codes.length > 0 && codes.every((code) => DELIBERATE_DENIALS.has(code));
}

/** What the scan's status means, for a scan `unexpectedScanProblems` found nothing wrong with. */
export function formatVerdict(scan: ScanRecord): string {
  if (scan.status !== 'partial') return `The scans ${scan.status}.`;
  return (
    `Both scans are PARTIAL, as they should be: ${deniedCount(scan).toString()} resources deny the auditor ` +
    '(AccessDenied, ForbiddenException), so their encryption is unknown and they carry "unverifiable" findings. ' +
    'A scan that could not read everything never reports itself clean.'
  );
}

/** Resources of the scan that denied the auditor (they are `unknown`, with an `unverifiable` finding). */
export function deniedCount(scan: ScanRecord): number {
  let denied = 0;
  for (const row of scan.coverage) {
    // A listing the denial cut short counts no resource: its table bucket was counted already.
    if (!row.enumerationComplete) continue;
    for (const [code, count] of Object.entries(row.errorsByCode)) {
      if (DELIBERATE_DENIALS.has(code)) denied += count;
    }
  }
  return denied;
}

import { ENCRYPTION_CLASSES } from '@app/audit';
import type { ScanRecord } from '@app/persistence';

/** A scan's result as people read it in a terminal: classes, findings, drift, coverage, duration. */
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
        `alerts queued: ${summary.alertsQueued.toString()}`,
    );
  }
  lines.push('  coverage (account / kind / region: observed of listed, errors):');
  for (const row of scan.coverage) {
    const errors = Object.entries(row.errorsByCode)
      .map(([code, count]) => `${code} x${count.toString()}`)
      .join(', ');
    lines.push(
      `    ${row.accountAlias} / ${row.kind} / ${row.region}: ${row.observed.toString()} of ${row.listed.toString()}` +
        `${row.enumerationComplete ? '' : ' (listing incomplete)'}${errors === '' ? '' : `; ${errors}`}`,
    );
  }
  if (scan.failureReason !== null) lines.push(`  failure: ${scan.failureReason}`);
  return lines.join('\n');
}

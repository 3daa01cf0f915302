import type { ScanTaskOutcome } from '@app/persistence';

/** How far a running scan is, from its tasks: listings, then audit batches. */
export interface ScanProgress {
  readonly enumerationsDone: number;
  readonly enumerations: number;
  /** Resources the finished listings found. */
  readonly listed: number;
  readonly auditsDone: number;
  readonly audits: number;
  /** Resources whose encryption the finished audit batches read (denied ones included). */
  readonly audited: number;
}

/** Sums the scan's task outcomes into progress counts. */
export function scanProgress(tasks: readonly ScanTaskOutcome[]): ScanProgress {
  let enumerationsDone = 0;
  let enumerations = 0;
  let listed = 0;
  let auditsDone = 0;
  let audits = 0;
  let audited = 0;
  for (const task of tasks) {
    const done = task.status !== 'pending';
    if (task.kind === 'enumerate') {
      enumerations += 1;
      if (done) enumerationsDone += 1;
      listed += task.result?.listed ?? 0;
    } else {
      audits += 1;
      if (done) auditsDone += 1;
      audited += task.result?.listed ?? 0;
    }
  }
  return { enumerationsDone, enumerations, listed, auditsDone, audits, audited };
}

/** One line for a terminal that rewrites it in place: `listing 9/9, 213 found | auditing 7/12 ...`. */
export function formatProgressLine(scanId: number, progress: ScanProgress): string {
  return (
    `scan ${scanId.toString()}: listing ${progress.enumerationsDone.toString()}/${progress.enumerations.toString()}` +
    ` (${progress.listed.toString()} found) | auditing ${progress.auditsDone.toString()}/${progress.audits.toString()} batches` +
    ` (${progress.audited.toString()}/${progress.listed.toString()} resources)`
  );
}

/** The same counts as `key=value` pairs, for logs that are read by machines as well as people. */
export function formatProgressLog(scanId: number, progress: ScanProgress): string {
  return (
    `scan_progress scan=${scanId.toString()} enumerate=${progress.enumerationsDone.toString()}/${progress.enumerations.toString()}` +
    ` listed=${progress.listed.toString()} audit=${progress.auditsDone.toString()}/${progress.audits.toString()}` +
    ` audited=${progress.audited.toString()}`
  );
}

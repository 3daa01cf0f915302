import type { RetentionConfig } from '@app/config';
import type { HistoryMaintenanceRepository } from '@app/persistence';

/** What one retention run removed, and the limits it applied. */
export interface RetentionRun {
  /** The instant the limits were measured from. */
  readonly appliedAt: Date;
  readonly historyMonths: number;
  readonly scanRecordsDays: number;
  /** Monthly partitions of the change history dropped (older than `historyMonths` before this month). */
  readonly historyPartitionsDropped: number;
  /** Per-scan observation rows deleted (finished scans started more than `scanRecordsDays` ago). */
  readonly scanRecordsDeleted: number;
  /**
   * Control results deleted: those of scans finished more than `scanRecordsDays` ago, but for the
   * last of them (what `?at=` answers at the boundary).
   */
  readonly controlResultsDeleted: number;
}

const DAY_MS = 86_400_000;

/**
 * Applies `retention` as of `now`: the change history keeps the month of `now` and the
 * `historyMonths` before it (what was true at the boundary survives as changes valid from it, so
 * answers within retention stay exact), and the per-scan records and control results keep
 * `scanRecordsDays` days (control results also keep the last scan before that: the boundary).
 * Idempotent: a second run the same day removes nothing more.
 */
export async function applyRetention(
  maintenance: HistoryMaintenanceRepository,
  retention: RetentionConfig,
  now: Date,
): Promise<RetentionRun> {
  // This month and next exist before anything is dropped, whether or not a scan created them yet.
  await maintenance.ensureHistoryPartitions(now);
  const historyPartitionsDropped = await maintenance.dropHistoryOlderThan(retention.historyMonths, now);
  const scanRecordsBefore = new Date(now.getTime() - retention.scanRecordsDays * DAY_MS);
  const scanRecordsDeleted = await maintenance.pruneScanObservations(scanRecordsBefore);
  const controlResultsDeleted = await maintenance.pruneControlResults(scanRecordsBefore);
  return {
    appliedAt: now,
    historyMonths: retention.historyMonths,
    scanRecordsDays: retention.scanRecordsDays,
    historyPartitionsDropped,
    scanRecordsDeleted,
    controlResultsDeleted,
  };
}

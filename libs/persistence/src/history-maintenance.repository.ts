import type { DataSource } from 'typeorm';

import { ensureHistoryPartitions } from './history-partitions';
import { PersistenceError } from './persistence-error';
import { withSession, withTransaction } from './sql';

/** Partitions and retention of the growing tables: the change log and the per-scan records. */
export class HistoryMaintenanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates the change-log partitions of the (UTC) month of `now` (default: the database clock) and
   * of the next month if missing. `ScanRepository.startScan` already does this; exposed for
   * maintenance jobs.
   */
  async ensureHistoryPartitions(now?: Date): Promise<string[]> {
    return withSession(this.dataSource, (sql) => ensureHistoryPartitions(sql, now ?? null));
  }

  /**
   * Keeps the month of `now` (default: the database clock) and the `months` before it; older
   * monthly partitions are dropped. What
   * was true at the retention boundary survives as changes valid from it (same ids), so current
   * state, evaluation and `stateAt` within retention stay exact. Returns the partitions dropped.
   */
  async dropHistoryOlderThan(months: number, now?: Date): Promise<number> {
    if (!Number.isInteger(months) || months < 1) {
      throw new PersistenceError(
        'INVALID_INPUT',
        `Retention must be a whole number of months >= 1, got ${months}`,
      );
    }
    return withTransaction(this.dataSource, async (sql) => {
      const [row] = await sql.rows<{ dropped: number }>(
        `SELECT "drop_observation_changes_before"(
           (date_trunc('month', coalesce($1::timestamptz, now()) AT TIME ZONE 'UTC') - make_interval(months => $2)) AT TIME ZONE 'UTC'
         ) AS "dropped"`,
        [now ?? null, months],
      );
      return row?.dropped ?? 0;
    });
  }

  /** Deletes the per-scan records of finished scans started before `before`. Returns the rows deleted. */
  async pruneScanObservations(before: Date): Promise<number> {
    return withSession(this.dataSource, (sql) =>
      sql.affected(
        `DELETE FROM "scan_observations"
         WHERE "scan_id" IN (SELECT "id" FROM "scans" WHERE "started_at" < $1 AND "status" <> 'running')`,
        [before],
      ),
    );
  }

  /**
   * Deletes the control results of finished scans that finished before `before`, except those of
   * the last of them (the boundary): the answer of `?at=` for an instant from `before` on, until the
   * next scan finished, is still that scan's results, as the change history keeps what was true at
   * its boundary. Results of scans finished from `before` on (an evidence pack's range inside the
   * retention window) stay whole. Returns the rows deleted.
   */
  async pruneControlResults(before: Date): Promise<number> {
    return withSession(this.dataSource, (sql) =>
      sql.affected(
        `WITH "pruned" AS (
           SELECT s."id", s."finished_at" FROM "scans" s
           WHERE s."status" <> 'running' AND s."finished_at" < $1
             AND EXISTS (SELECT 1 FROM "control_results" c WHERE c."scan_id" = s."id")
         ), "boundary" AS (
           SELECT "id" FROM "pruned" ORDER BY "finished_at" DESC, "id" DESC LIMIT 1
         )
         DELETE FROM "control_results"
         WHERE "scan_id" IN (SELECT "id" FROM "pruned" WHERE "id" NOT IN (SELECT "id" FROM "boundary"))`,
        [before],
      ),
    );
  }
}

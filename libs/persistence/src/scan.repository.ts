import type { DataSource } from 'typeorm';

import { keysetCursor, keysetPage, type Page, pageSize } from './cursor';
import { ensureHistoryPartitions } from './history-partitions';
import { PersistenceError } from './persistence-error';
import type { FinishedScanStatus, ScanCoverage, ScanRecord, ScanSummary, ScanTrigger } from './scan.types';
import { type SqlSession, withSession } from './sql';
import type { Row } from './schema/tables';

export interface StartScanRequest {
  readonly trigger: ScanTrigger;
  /** Required for (and only for) `schedule` scans: the cron slot, so replicas converge on one scan. */
  readonly scheduleSlot?: Date;
  /** Defaults to the database clock. */
  readonly startedAt?: Date;
  /** The scopes the scan sets out to cover (any JSON): stored with it, read back at its end. */
  readonly plan?: unknown;
}

export interface FinishScanRequest {
  readonly status: FinishedScanStatus;
  readonly coverage: readonly ScanCoverage[];
  readonly summary: ScanSummary;
  readonly failureReason?: string;
  /** Defaults to the database clock. */
  readonly finishedAt?: Date;
}

export type ScanRow = Omit<Row<'scans'>, 'coverage' | 'summary'> & {
  coverage: ScanCoverage[];
  summary: ScanSummary | null;
};

export const SCAN_COLUMNS = `"id", "trigger", "schedule_slot", "status", "started_at", "finished_at", "coverage", "summary", "failure_reason", "plan"`;

/** Attempts of the insert-or-find loop; a second attempt is only needed when a conflicting scan finishes mid-way. */
const START_ATTEMPTS = 3;

/** The id of the last scan of a page (`scans.id` is an integer). */
const SCAN_CURSOR = keysetCursor('int4');

/** The `scans` aggregate: starting (one at a time, one per cron slot), finishing and listing scans. */
export class ScanRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Starts a scan unless one is already running, or the cron slot already has its scan: then that
   * scan is returned with `created: false`. Race-free across replicas: the unique indexes on the
   * slot and on the running status arbitrate, not a read-then-write. Makes sure the history
   * partitions of this month and the next exist before the scan writes any.
   */
  async startScan(request: StartScanRequest): Promise<{ scan: ScanRecord; created: boolean }> {
    if ((request.trigger === 'schedule') !== (request.scheduleSlot !== undefined)) {
      throw new PersistenceError(
        'INVALID_INPUT',
        'A schedule slot is required for, and only for, scheduled scans',
      );
    }
    const slot = request.scheduleSlot ?? null;
    return withSession(this.dataSource, async (sql) => {
      await ensureHistoryPartitions(sql, request.startedAt ?? null);
      for (let attempt = 0; attempt < START_ATTEMPTS; attempt += 1) {
        const [created] = await sql.rows<ScanRow>(
          `INSERT INTO "scans" ("trigger", "schedule_slot", "status", "started_at", "plan")
           VALUES ($1, $2, 'running', coalesce($3::timestamptz, now()), $4::jsonb)
           ON CONFLICT DO NOTHING
           RETURNING ${SCAN_COLUMNS}`,
          [
            request.trigger,
            slot,
            request.startedAt ?? null,
            request.plan === undefined ? null : JSON.stringify(request.plan),
          ],
        );
        if (created !== undefined) {
          return { scan: scanRecordOf(created), created: true };
        }
        const [existing] = await sql.rows<ScanRow>(
          `SELECT ${SCAN_COLUMNS} FROM "scans"
           WHERE "schedule_slot" = $1::timestamptz OR "status" = 'running'
           ORDER BY ("schedule_slot" IS NOT DISTINCT FROM $1::timestamptz) DESC
           LIMIT 1`,
          [slot],
        );
        if (existing !== undefined) {
          return { scan: scanRecordOf(existing), created: false };
        }
      }
      throw new PersistenceError(
        'SCAN_START_CONFLICT',
        `No scan could be started or found after ${START_ATTEMPTS} attempts`,
      );
    });
  }

  /**
   * Finishes a running scan. The first call wins: finishing a finished scan changes nothing and
   * returns it as stored with `finished: false`, so a re-delivered "finish" job is harmless.
   */
  async finishScan(id: number, request: FinishScanRequest): Promise<{ scan: ScanRecord; finished: boolean }> {
    return withSession(this.dataSource, (sql) => finishScanIn(sql, id, request));
  }

  async findById(id: number): Promise<ScanRecord | null> {
    return withSession(this.dataSource, (sql) => findScan(sql, id));
  }

  /** The running scan, if any (there is at most one). */
  async findRunning(): Promise<ScanRecord | null> {
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<ScanRow>(`SELECT ${SCAN_COLUMNS} FROM "scans" WHERE "status" = 'running'`);
      return row === undefined ? null : scanRecordOf(row);
    });
  }

  /** Scans, newest first. */
  async listScans(request: { limit: number; cursor?: string }): Promise<Page<ScanRecord>> {
    const limit = pageSize(request.limit);
    const before = request.cursor === undefined ? null : SCAN_CURSOR.decode(request.cursor)[0];
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ScanRow>(
        `SELECT ${SCAN_COLUMNS} FROM "scans"
         WHERE $1::integer IS NULL OR "id" < $1::integer
         ORDER BY "id" DESC
         LIMIT $2`,
        [before, limit + 1],
      );
      return keysetPage(rows, limit, scanRecordOf, (_row, item) => SCAN_CURSOR.encode([item.id]));
    });
  }
}

/** `finishScan` on a session the caller holds (inside its transaction). */
export async function finishScanIn(
  sql: SqlSession,
  id: number,
  request: FinishScanRequest,
): Promise<{ scan: ScanRecord; finished: boolean }> {
  const [finished] = await sql.rows<ScanRow>(
    `UPDATE "scans"
     SET "status" = $2, "finished_at" = coalesce($3::timestamptz, now()), "coverage" = $4::jsonb,
         "summary" = $5::jsonb, "failure_reason" = $6
     WHERE "id" = $1 AND "status" = 'running'
     RETURNING ${SCAN_COLUMNS}`,
    [
      id,
      request.status,
      request.finishedAt ?? null,
      JSON.stringify(request.coverage),
      JSON.stringify(request.summary),
      request.failureReason ?? null,
    ],
  );
  if (finished !== undefined) {
    return { scan: scanRecordOf(finished), finished: true };
  }
  const stored = await findScan(sql, id);
  if (stored === null) {
    throw new PersistenceError('SCAN_NOT_FOUND', `Scan ${id} does not exist`);
  }
  return { scan: stored, finished: false };
}

export async function findScan(sql: SqlSession, id: number): Promise<ScanRecord | null> {
  const [row] = await sql.rows<ScanRow>(`SELECT ${SCAN_COLUMNS} FROM "scans" WHERE "id" = $1`, [id]);
  return row === undefined ? null : scanRecordOf(row);
}

export function scanRecordOf(row: ScanRow): ScanRecord {
  return {
    id: row.id,
    trigger: row.trigger,
    scheduleSlot: row.schedule_slot,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    coverage: row.coverage,
    summary: row.summary,
    failureReason: row.failure_reason,
    plan: row.plan,
  };
}

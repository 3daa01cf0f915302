import type { DataSource } from 'typeorm';

import { PersistenceError } from './persistence-error';
import type {
  NewScanTask,
  ScanTaskOutcome,
  ScanTaskRecord,
  ScanTaskResult,
  ScanTaskStatus,
} from './scan.types';
import { type SqlSession, withSession, withTransaction } from './sql';
import type { Row } from './schema/tables';

export interface CompleteTaskRequest {
  readonly status: Exclude<ScanTaskStatus, 'pending'>;
  readonly result: ScanTaskResult;
  /**
   * Tasks this one spawned (an enumeration's audit batches), added in the same transaction as the
   * completion so the scan can never look finished between the two.
   */
  readonly followUpTasks?: readonly NewScanTask[];
}

export interface CompleteTaskResult {
  /** Tasks of the scan still pending after this call. */
  readonly remaining: number;
  /** False when the task was already finished (a re-delivered job): nothing changed. */
  readonly applied: boolean;
  /** True for exactly one call per scan: the one that finished its last pending task. */
  readonly lastTask: boolean;
}

type TaskRow = Omit<Row<'scan_tasks'>, 'result'> & { result: ScanTaskResult | null };

const OUTCOME_COLUMNS = `"scan_id", "task_key", "kind", "account_alias", "region", "resource_kind", "status", "result", "updated_at"`;

/** The `scan_tasks` aggregate: the source of truth for when a scan's last unit of work ends. */
export class ScanTaskRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds tasks to a scan; tasks whose key the scan already has are left as they are. Returns how many were added. */
  async addTasks(scanId: number, tasks: readonly NewScanTask[]): Promise<number> {
    return withSession(this.dataSource, (sql) => insertTasks(sql, scanId, tasks));
  }

  /**
   * Finishes a pending task. The scan row is locked `FOR UPDATE` first, so completions of one scan
   * are serialised and exactly one caller sees `lastTask` (remaining 0 after its own change).
   */
  async completeTask(
    scanId: number,
    taskKey: string,
    request: CompleteTaskRequest,
  ): Promise<CompleteTaskResult> {
    return withTransaction(this.dataSource, async (sql) => {
      const [scan] = await sql.rows<{ id: number }>(`SELECT "id" FROM "scans" WHERE "id" = $1 FOR UPDATE`, [
        scanId,
      ]);
      if (scan === undefined) {
        throw new PersistenceError('SCAN_NOT_FOUND', `Scan ${scanId} does not exist`);
      }
      const [task] = await sql.rows<{ applied: boolean }>(
        `WITH "finished" AS (
           UPDATE "scan_tasks" SET "status" = $3, "result" = $4::jsonb, "updated_at" = now()
           WHERE "scan_id" = $1 AND "task_key" = $2 AND "status" = 'pending'
           RETURNING 1
         )
         SELECT EXISTS (SELECT 1 FROM "finished") AS "applied"
         FROM "scan_tasks" WHERE "scan_id" = $1 AND "task_key" = $2`,
        [scanId, taskKey, request.status, JSON.stringify(request.result)],
      );
      if (task === undefined) {
        throw new PersistenceError('INVALID_INPUT', `Scan ${scanId} has no task ${taskKey}`);
      }
      if (task.applied) {
        await insertTasks(sql, scanId, request.followUpTasks ?? []);
      }
      const [pending] = await sql.rows<{ remaining: number }>(
        `SELECT count(*)::integer AS "remaining" FROM "scan_tasks" WHERE "scan_id" = $1 AND "status" = 'pending'`,
        [scanId],
      );
      const remaining = pending?.remaining ?? 0;
      return { remaining, applied: task.applied, lastTask: task.applied && remaining === 0 };
    });
  }

  /** One task with its payload, or null when the scan has no task with this key. */
  async findTask(scanId: number, taskKey: string): Promise<ScanTaskRecord | null> {
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<TaskRow>(
        `SELECT ${OUTCOME_COLUMNS}, "payload" FROM "scan_tasks" WHERE "scan_id" = $1 AND "task_key" = $2`,
        [scanId, taskKey],
      );
      return row === undefined ? null : { ...toOutcome(row), payload: row.payload };
    });
  }

  /** The scan's pending tasks with their payloads (to re-enqueue them after a crash). */
  async pendingTasks(scanId: number): Promise<ScanTaskRecord[]> {
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<TaskRow>(
        `SELECT ${OUTCOME_COLUMNS}, "payload" FROM "scan_tasks"
         WHERE "scan_id" = $1 AND "status" = 'pending'
         ORDER BY "task_key"`,
        [scanId],
      );
      return rows.map((row) => ({ ...toOutcome(row), payload: row.payload }));
    });
  }

  /**
   * The first pending audit task of an account in the scan that is not a deferred re-read (those
   * wait for their own time) nor one of `excluding` (those in hand): what the holder of the account's
   * lease audits next. Table buckets come before buckets: each one read queues the listing of its
   * tables, work that then runs beside the bucket reads instead of after them.
   */
  async nextPendingAudit(
    scanId: number,
    accountAlias: string,
    excluding: readonly string[] = [],
  ): Promise<ScanTaskRecord | null> {
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<TaskRow>(
        `SELECT ${OUTCOME_COLUMNS}, "payload" FROM "scan_tasks"
         WHERE "scan_id" = $1 AND "status" = 'pending' AND "kind" = 'audit' AND "account_alias" = $2
           AND NOT ("payload" ? 'reread') AND "task_key" <> ALL($3::text[])
         ORDER BY "resource_kind" = 'bucket', "task_key" LIMIT 1`,
        [scanId, accountAlias, excluding],
      );
      return row === undefined ? null : { ...toOutcome(row), payload: row.payload };
    });
  }

  /**
   * Every task of the scan with its status and result, and the planned scope of enumerate tasks:
   * the input of coverage and of what vanished.
   */
  async taskResults(scanId: number): Promise<ScanTaskOutcome[]> {
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<TaskRow>(
        `SELECT ${OUTCOME_COLUMNS}, CASE WHEN "kind" = 'enumerate' THEN "payload" END AS "payload"
         FROM "scan_tasks" WHERE "scan_id" = $1 ORDER BY "task_key"`,
        [scanId],
      );
      return rows.map((row) => ({ ...toOutcome(row), plan: row.payload }));
    });
  }
}

async function insertTasks(sql: SqlSession, scanId: number, tasks: readonly NewScanTask[]): Promise<number> {
  if (tasks.length === 0) {
    return 0;
  }
  return sql.affected(
    `INSERT INTO "scan_tasks" ("scan_id", "task_key", "kind", "account_alias", "region", "resource_kind", "payload")
     SELECT $1::integer, t."task_key", t."kind", t."account_alias", t."region", t."resource_kind", t."payload"::jsonb
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS t("task_key", "kind", "account_alias", "region", "resource_kind", "payload")
     ON CONFLICT ("scan_id", "task_key") DO NOTHING`,
    [
      scanId,
      tasks.map((task) => task.taskKey),
      tasks.map((task) => task.kind),
      tasks.map((task) => task.accountAlias),
      tasks.map((task) => task.region),
      tasks.map((task) => task.resourceKind),
      tasks.map((task) => (task.payload === undefined ? null : JSON.stringify(task.payload))),
    ],
  );
}

function toOutcome(row: TaskRow): Omit<ScanTaskRecord, 'payload'> {
  return {
    scanId: row.scan_id,
    taskKey: row.task_key,
    kind: row.kind,
    accountAlias: row.account_alias,
    region: row.region,
    resourceKind: row.resource_kind,
    status: row.status,
    result: row.result,
    updatedAt: row.updated_at,
  };
}

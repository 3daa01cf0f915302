import type { ControlResult, Evidence, RemedyIntent, RuleId } from '@app/compliance';
import type { DataSource } from 'typeorm';

import type { ResourceIdentity } from './read-model.types';
import { type SqlSession, toSafeInteger, withSession } from './sql';
import type { Row } from './schema/tables';

/** One stored control result with the resource and scan it belongs to. */
export interface StoredControlResult {
  readonly scanId: number;
  readonly resource: ResourceIdentity;
  readonly result: ControlResult;
}

/** Which results a read returns. */
export interface ControlResultFilter {
  /** Only these accounts (aliases); all when omitted or empty. */
  readonly accounts?: readonly string[];
  /** Only this control. */
  readonly controlId?: string;
}

/** The scan whose results answer for an instant, and its results. */
export interface ControlResultsAt {
  /** The latest finished scan at the instant; null when none had finished by then. */
  readonly scan: { readonly id: number; readonly finishedAt: Date } | null;
  readonly results: readonly StoredControlResult[];
}

/** Results per status of one finished scan: the trend. */
export interface ControlTrendPoint {
  readonly scanId: number;
  readonly finishedAt: Date;
  readonly results: readonly Pick<ControlResult, 'controlId' | 'status' | 'suppressedStatus'>[];
}

type ResultRow = Row<'control_results'> &
  Pick<Row<'resources'>, 'resource_key' | 'kind' | 'region' | 'name'> & { resource_row_id: string };

const RESULT_COLUMNS = `c."scan_id", c."resource_id", c."control_id", c."rule_id", c."catalogue_version", c."status",
  c."suppressed_status", c."severity", c."reason", c."evidence", c."remedies", c."exception_ids", c."account_alias",
  c."evaluated_at", r."id" AS "resource_row_id", r."resource_key", r."kind", r."region", r."name"`;

/** Finished scans are the ones whose results are complete (a running scan has not judged everything). */
const FINISHED = `s."status" IN ('succeeded', 'partial', 'failed') AND s."finished_at" IS NOT NULL`;

/**
 * The read side of control results. The posture at an instant is the latest finished scan's
 * results at that instant; history stays as each scan recorded it (with its catalogue version).
 */
export class ControlResultRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The results of the latest scan finished at `at` (now when omitted). */
  async resultsAt(at: Date | null, filter: ControlResultFilter = {}): Promise<ControlResultsAt> {
    return withSession(this.dataSource, async (sql) => {
      const [scan] = await sql.rows<{ id: number; finished_at: Date }>(
        `SELECT s."id", s."finished_at" FROM "scans" s
         WHERE ${FINISHED} AND s."finished_at" <= coalesce($1::timestamptz, now())
           AND EXISTS (SELECT 1 FROM "control_results" c WHERE c."scan_id" = s."id")
         ORDER BY s."finished_at" DESC, s."id" DESC LIMIT 1`,
        [at],
      );
      if (scan === undefined) return { scan: null, results: [] };
      const rows = await selectResults(sql, `c."scan_id" = $1`, [scan.id], filter);
      return { scan: { id: scan.id, finishedAt: scan.finished_at }, results: rows.map(storedOf) };
    });
  }

  /**
   * For the evidence pack: every result recorded by scans that finished in [from, to), oldest scan
   * first, optionally for some accounts only.
   */
  async resultsBetween(
    from: Date,
    to: Date,
    filter: ControlResultFilter = {},
  ): Promise<StoredControlResult[]> {
    const rows = await withSession(this.dataSource, (sql) =>
      selectResults(
        sql,
        `c."scan_id" IN (SELECT s."id" FROM "scans" s WHERE ${FINISHED} AND s."finished_at" >= $1 AND s."finished_at" < $2)`,
        [from, to],
        filter,
      ),
    );
    return rows.map(storedOf);
  }

  /** Each of the last `scans` finished scans at `at`, with the status of every result: the trend. */
  async trend(
    at: Date | null,
    scans: number,
    filter: ControlResultFilter = {},
  ): Promise<ControlTrendPoint[]> {
    return withSession(this.dataSource, async (sql) => {
      const finished = await sql.rows<{ id: number; finished_at: Date }>(
        `SELECT s."id", s."finished_at" FROM "scans" s
         WHERE ${FINISHED} AND s."finished_at" <= coalesce($1::timestamptz, now())
           AND EXISTS (SELECT 1 FROM "control_results" c WHERE c."scan_id" = s."id")
         ORDER BY s."finished_at" DESC, s."id" DESC LIMIT $2`,
        [at, scans],
      );
      const accounts = filter.accounts ?? [];
      const rows = await sql.rows<Pick<ResultRow, 'scan_id' | 'control_id' | 'status' | 'suppressed_status'>>(
        `SELECT c."scan_id", c."control_id", c."status", c."suppressed_status" FROM "control_results" c
         WHERE c."scan_id" = ANY($1::integer[])
           AND (cardinality($2::text[]) = 0 OR c."account_alias" = ANY($2::text[]))
           AND ($3::text IS NULL OR c."control_id" = $3)`,
        [finished.map((scan) => scan.id), accounts, filter.controlId ?? null],
      );
      return finished.reverse().map((scan) => ({
        scanId: scan.id,
        finishedAt: scan.finished_at,
        results: rows
          .filter((row) => row.scan_id === scan.id)
          .map((row) => ({
            controlId: row.control_id,
            status: row.status,
            suppressedStatus: row.suppressed_status as ControlResult['suppressedStatus'],
          })),
      }));
    });
  }
}

async function selectResults(
  sql: SqlSession,
  scanCondition: string,
  parameters: readonly unknown[],
  filter: ControlResultFilter,
): Promise<ResultRow[]> {
  const next = parameters.length;
  return sql.rows<ResultRow>(
    `SELECT ${RESULT_COLUMNS} FROM "control_results" c JOIN "resources" r ON r."id" = c."resource_id"
     WHERE ${scanCondition}
       AND (cardinality($${next + 1}::text[]) = 0 OR c."account_alias" = ANY($${next + 1}::text[]))
       AND ($${next + 2}::text IS NULL OR c."control_id" = $${next + 2})
     ORDER BY c."scan_id", c."control_id", r."resource_key"`,
    [...parameters, filter.accounts ?? [], filter.controlId ?? null],
  );
}

function storedOf(row: ResultRow): StoredControlResult {
  return {
    scanId: row.scan_id,
    resource: {
      id: toSafeInteger(row.resource_row_id),
      resourceKey: row.resource_key,
      kind: row.kind,
      accountAlias: row.account_alias,
      region: row.region,
      name: row.name,
      parentKey: null,
    },
    result: {
      controlId: row.control_id,
      ruleId: row.rule_id as RuleId,
      catalogueVersion: row.catalogue_version,
      severity: row.severity as ControlResult['severity'],
      resourceKey: row.resource_key,
      resourceKind: row.kind,
      status: row.status,
      suppressedStatus: row.suppressed_status as ControlResult['suppressedStatus'],
      exceptionIds: row.exception_ids,
      reason: row.reason,
      evidence: row.evidence as Evidence,
      remedies: row.remedies as RemedyIntent[],
      evaluatedAt: row.evaluated_at,
    },
  };
}

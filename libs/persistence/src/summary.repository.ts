import type { EncryptionClass, FindingRule, ResourceKind, Severity } from '@app/audit';
import type { DataSource } from 'typeorm';

import { loadExceptionsActiveAt } from './exception.repository';
import { PersistenceError } from './persistence-error';
import type { AuditMetricsSnapshot, PostureCounts, ScanTrendPoint } from './read-model.types';
import type { ScanCoverage, ScanStatus, ScanSummary } from './scan.types';
import {
  fleetAtJoins,
  GONE_AT_SQL,
  outOfScopeAtSql,
  presentResourceSql,
  STALE_AT_SQL,
  STALE_FINDING_SQL,
  STALE_RESOURCE_SQL,
} from './sql-conditions';
import { type SqlSession, withSession } from './sql';
import { suppressedFindingSql, suppressingScopesParameter } from './suppression-at';
import type { Row } from './schema/tables';

/** Most scans a trend may span. */
export const MAX_TREND_SCANS = 100;

type TrendRow = Pick<Row<'scans'>, 'id' | 'trigger' | 'status' | 'started_at' | 'finished_at'> & {
  coverage: ScanCoverage[];
  summary: ScanSummary | null;
  open_findings: string;
};

type ClassCountRow = Pick<Row<'resources'>, 'account_alias' | 'region' | 'kind'> & {
  encryption_class: EncryptionClass;
  count: string;
};
type FindingCountRow = Pick<Row<'resources'>, 'account_alias' | 'region'> & {
  severity: Severity;
  rule: FindingRule;
  count: string;
};
type StaleRow = { resources: string; since: Date | null; open_findings: string };

/** The posture counts the summary's rows make, now or as of a date. */
function postureOf(
  resources: readonly ClassCountRow[],
  findings: readonly FindingCountRow[],
  suppressed: { count: string } | undefined,
  stale: StaleRow | undefined,
): PostureCounts {
  return {
    suppressedFindings: Number(suppressed?.count ?? 0),
    stale: {
      resources: Number(stale?.resources ?? 0),
      openFindings: Number(stale?.open_findings ?? 0),
      since: stale?.since ?? null,
    },
    resources: resources.map((row) => ({
      accountAlias: row.account_alias,
      region: row.region,
      kind: row.kind,
      encryptionClass: row.encryption_class,
      count: Number(row.count),
    })),
    openFindings: findings.map((row) => ({
      accountAlias: row.account_alias,
      region: row.region,
      severity: row.severity,
      rule: row.rule,
      count: Number(row.count),
    })),
  };
}

/**
 * Aggregates for the summary endpoint and the Prometheus gauges, read from the current-state
 * tables (present resources through `resources_present_summary_idx`, open findings through the
 * findings status indexes) and the scans table, which grows by one row a night; none walks the
 * observation history.
 */
export class SummaryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Present resources per (account, region, kind, class) and open findings per (account, region, severity, rule). */
  async postureCounts(): Promise<PostureCounts> {
    return withSession(this.dataSource, async (sql) => {
      const resources = await sql.rows<ClassCountRow>(
        // A resource is given its class in the transaction that creates it; `unknown` covers a
        // row without one all the same, so the counts always add up to the present resources.
        `SELECT "account_alias", "region", "kind", coalesce("encryption_class", 'unknown') AS "encryption_class",
           count(*) AS "count"
         FROM "resources"
         WHERE ${presentResourceSql()}
         GROUP BY "account_alias", "region", "kind", "encryption_class"
         ORDER BY 1, 2, 3, 4`,
      );
      const findings = await sql.rows<FindingCountRow>(
        `SELECT r."account_alias", r."region", f."severity", f."rule", count(*) AS "count"
         FROM "findings" f
         JOIN "resources" r ON r."id" = f."resource_id"
         WHERE f."status" = 'open' AND f."exception_id" IS NULL
         GROUP BY 1, 2, 3, 4
         ORDER BY 1, 2, 3, 4`,
      );
      const [suppressed] = await sql.rows<{ count: string }>(
        `SELECT count(*) AS "count" FROM "findings" WHERE "status" = 'open' AND "exception_id" IS NOT NULL`,
      );
      const [stale] = await sql.rows<StaleRow>(
        `SELECT count(*) AS "resources", min("last_seen_at") AS "since",
           (SELECT count(*) FROM "findings" f WHERE ${STALE_FINDING_SQL}) AS "open_findings"
         FROM "resources" WHERE ${STALE_RESOURCE_SQL}`,
      );
      return postureOf(resources, findings, suppressed, stale);
    });
  }

  /**
   * The posture as it stood at `at`: resources present then, by the class of the observation valid
   * then (the change log), findings open then (opened by `at`, not resolved by `at`) split into
   * open and suppressed (an exception active then covered it: `loadExceptionsActiveAt`), and what
   * the last scan finished by then had not re-observed. Walks the fleet's rows, each through its
   * own indexed lookups: the cost of a past date follows fleet size, not history length.
   */
  async postureCountsAt(at: Date): Promise<PostureCounts> {
    return withSession(this.dataSource, async (sql) => {
      const suppressing = suppressingScopesParameter(await loadExceptionsActiveAt(sql, at));
      const suppressedSql = suppressedFindingSql('$2');
      const present = `r."first_seen_at" <= $1 AND NOT (${GONE_AT_SQL}) IS TRUE AND NOT (${outOfScopeAtSql('$1')}) IS TRUE`;
      const resources = await sql.rows<ClassCountRow>(
        `SELECT r."account_alias", r."region", r."kind", oc."encryption_class", count(*) AS "count"
         FROM "resources" r
         ${fleetAtJoins('$1')}
         WHERE ${present}
         GROUP BY 1, 2, 3, 4
         ORDER BY 1, 2, 3, 4`,
        [at],
      );
      const findings = await sql.rows<FindingCountRow>(
        `SELECT r."account_alias", r."region", f."severity", f."rule", count(*) AS "count"
         FROM "findings" f
         JOIN "resources" r ON r."id" = f."resource_id"
         WHERE f."opened_at" <= $1 AND (f."resolved_at" IS NULL OR f."resolved_at" > $1) AND NOT ${suppressedSql}
         GROUP BY 1, 2, 3, 4
         ORDER BY 1, 2, 3, 4`,
        [at, suppressing],
      );
      const [suppressed] = await sql.rows<{ count: string }>(
        `SELECT count(*) AS "count" FROM "findings" f JOIN "resources" r ON r."id" = f."resource_id"
         WHERE f."opened_at" <= $1 AND (f."resolved_at" IS NULL OR f."resolved_at" > $1) AND ${suppressedSql}`,
        [at, suppressing],
      );
      const [stale] = await sql.rows<StaleRow>(
        `WITH "stale" AS (
           SELECT r."id", CASE WHEN r."last_seen_at" <= $1 THEN r."last_seen_at" ELSE oc."observed_at" END AS "seen"
           FROM "resources" r
           ${fleetAtJoins('$1')}
           WHERE ${present} AND ${STALE_AT_SQL})
         SELECT count(*) AS "resources", min("seen") AS "since",
           (SELECT count(*) FROM "findings" f WHERE f."resource_id" IN (SELECT "id" FROM "stale")
              AND f."opened_at" <= $1 AND (f."resolved_at" IS NULL OR f."resolved_at" > $1)) AS "open_findings"
         FROM "stale"`,
        [at],
      );
      return postureOf(resources, findings, suppressed, stale);
    });
  }

  /**
   * The latest `scans` scans, oldest first, each with the number of findings open when it ended.
   * That number is exact without a snapshot per scan: the findings open now, minus those opened
   * after the scan and still open, plus those open at the scan and resolved after it. Both terms
   * read only findings that changed after the scan (`findings_opened_scan_id_idx`,
   * `findings_resolved_scan_id_idx`), so the cost follows churn, not fleet size. The second term
   * filters on `opened_scan_id` after the lookup, not in WHERE: given both bounds, PostgreSQL
   * walked the opened index over every finding opened up to the scan (the whole fleet's, for
   * findings open since the first scan), 22 ms per scan at 100,000 resources. Those an
   * exception active when the scan ended covered are counted apart as suppressed (a look at the
   * findings of the rules such exceptions cover, only for scans that had any).
   */
  async scanTrend(scans: number, at?: Date): Promise<ScanTrendPoint[]> {
    if (!Number.isInteger(scans) || scans < 1 || scans > MAX_TREND_SCANS) {
      throw new PersistenceError('INVALID_INPUT', `scans must be an integer from 1 to ${MAX_TREND_SCANS}`);
    }
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<TrendRow>(
        `WITH "recent" AS (
           SELECT "id", "trigger", "status", "started_at", "finished_at", "coverage", "summary"
           FROM "scans" WHERE $2::timestamptz IS NULL OR "started_at" <= $2::timestamptz
           ORDER BY "id" DESC LIMIT $1
         ),
         "open_now" AS (SELECT count(*) AS "count" FROM "findings" WHERE "status" = 'open')
         SELECT s.*,
           (SELECT "count" FROM "open_now")
           - (SELECT count(*) FROM "findings" f WHERE f."opened_scan_id" > s."id" AND f."status" = 'open')
           + (SELECT count(*) FILTER (WHERE f."opened_scan_id" <= s."id") FROM "findings" f
              WHERE f."resolved_scan_id" > s."id") AS "open_findings"
         FROM "recent" s
         ORDER BY s."id"`,
        [scans, at ?? null],
      );
      const points: ScanTrendPoint[] = [];
      for (const row of rows) {
        const suppressed = await suppressedAtScanEnd(sql, row.id, row.finished_at ?? new Date());
        points.push({
          scanId: row.id,
          trigger: row.trigger,
          status: row.status,
          startedAt: row.started_at,
          finishedAt: row.finished_at,
          coverage: row.coverage,
          summary: row.summary,
          openFindings: Number(row.open_findings) - suppressed,
          suppressedFindings: suppressed,
        });
      }
      return points;
    });
  }

  /** The numbers behind the Prometheus gauges, read in one session. */
  async metricsSnapshot(): Promise<AuditMetricsSnapshot> {
    return withSession(this.dataSource, async (sql) => {
      const scans = await sql.rows<{ status: ScanStatus; count: string }>(
        `SELECT "status", count(*) AS "count" FROM "scans" GROUP BY "status" ORDER BY "status"`,
      );
      const [last] = await sql.rows<{
        id: number;
        status: ScanStatus;
        finished_at: Date;
        duration_seconds: number;
        coverage: ScanCoverage[];
      }>(
        `SELECT "id", "status", "finished_at",
           extract(epoch FROM "finished_at" - "started_at")::float8 AS "duration_seconds", "coverage"
         FROM "scans" WHERE "status" <> 'running'
         ORDER BY "id" DESC LIMIT 1`,
      );
      const resources = await sql.rows<{
        kind: ResourceKind;
        encryption_class: EncryptionClass;
        count: string;
      }>(
        `SELECT "kind", coalesce("encryption_class", 'unknown') AS "encryption_class", count(*) AS "count"
         FROM "resources" WHERE ${presentResourceSql()}
         GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      const findings = await sql.rows<{ severity: Severity; count: string }>(
        `SELECT "severity", count(*) AS "count" FROM "findings" WHERE "status" = 'open' AND "exception_id" IS NULL
         GROUP BY "severity" ORDER BY "severity"`,
      );
      return {
        scansByStatus: scans.map((row) => ({ status: row.status, count: Number(row.count) })),
        lastFinishedScan:
          last === undefined
            ? null
            : {
                id: last.id,
                status: last.status,
                finishedAt: last.finished_at,
                durationSeconds: last.duration_seconds,
                errorsByCode: sumErrorsByCode(last.coverage),
              },
        presentResources: resources.map((row) => ({
          kind: row.kind,
          encryptionClass: row.encryption_class,
          count: Number(row.count),
        })),
        openFindingsBySeverity: findings.map((row) => ({ severity: row.severity, count: Number(row.count) })),
      };
    });
  }
}

function sumErrorsByCode(coverage: readonly ScanCoverage[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const scope of coverage) {
    for (const [code, count] of Object.entries(scope.errorsByCode)) {
      totals[code] = (totals[code] ?? 0) + count;
    }
  }
  return totals;
}

/** Findings open when a scan ended that an exception active then covered. */
async function suppressedAtScanEnd(sql: SqlSession, scanId: number, endedAt: Date): Promise<number> {
  const active = await loadExceptionsActiveAt(sql, endedAt);
  const rules = [...new Set(active.flatMap((exception) => exception.findingRules))];
  if (rules.length === 0) return 0;
  const [row] = await sql.rows<{ count: string }>(
    `SELECT count(*) AS "count" FROM "findings" f JOIN "resources" r ON r."id" = f."resource_id"
     WHERE f."rule" = ANY($3::text[]) AND f."opened_scan_id" <= $1
       AND (f."resolved_scan_id" IS NULL OR f."resolved_scan_id" > $1) AND ${suppressedFindingSql('$2')}`,
    [scanId, suppressingScopesParameter(active), rules],
  );
  return Number(row?.count ?? 0);
}

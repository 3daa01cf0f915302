import type { DataSource } from 'typeorm';

import type { ScopeError } from './scan.types';
import { withSession, withTransaction } from './sql';
import type { Row } from './schema/tables';

/** Where an account in the list comes from. */
export type AccountSource = 'configured' | 'discovered';

/** An account a scan planned to audit. */
export interface PlannedAccount {
  readonly alias: string;
  readonly accountId: string | null;
  readonly source: AccountSource;
  /** The member's display name (discovered accounts); null for configured ones. */
  readonly name: string | null;
  readonly folderId: string | null;
}

/** What a finished scan's coverage says of one account. */
export interface AccountCoverage {
  readonly scopes: number;
  /** Scopes listed to their end. */
  readonly complete: number;
  readonly listed: number;
  readonly observed: number;
}

export interface AccountReach {
  readonly alias: string;
  /** True when at least one of its scopes was listed to its end or one resource read. */
  readonly reached: boolean;
  /** The first failure its scopes met, if any. */
  readonly error: ScopeError | null;
  readonly coverage: AccountCoverage;
}

/** One row of the accounts list, with the open findings of its resources by severity. */
export interface AccountRecord extends PlannedAccount {
  readonly firstPlannedAt: Date;
  readonly inScope: boolean;
  readonly leftAt: Date | null;
  readonly lastScanId: number | null;
  readonly lastReachedAt: Date | null;
  readonly lastError: ScopeError | null;
  readonly lastCoverage: AccountCoverage | null;
  readonly openFindings: Readonly<Record<string, number>>;
}

type AccountRow = Row<'accounts'> & { open_findings: Record<string, number> | null };

/** The `accounts` aggregate: which accounts scans planned, and what they reached. */
export class AccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the accounts a scan plans: each is (again) in scope, with its latest name and folder;
   * every other account that was in scope leaves it now (gone from the directory, filtered out, or
   * removed from the configuration).
   */
  async recordPlanned(accounts: readonly PlannedAccount[], at: Date): Promise<void> {
    await withTransaction(this.dataSource, async (sql) => {
      await sql.affected(
        `INSERT INTO "accounts" ("alias", "account_id", "source", "name", "folder_id", "first_planned_at", "in_scope")
         SELECT planned.alias, planned.account_id, planned.source, planned.name, planned.folder_id, $2, true
           FROM jsonb_to_recordset($1::jsonb)
             AS planned(alias text, account_id text, source text, name text, folder_id text)
         ON CONFLICT ("alias") DO UPDATE
           SET "account_id" = EXCLUDED."account_id", "source" = EXCLUDED."source",
               "name" = EXCLUDED."name", "folder_id" = EXCLUDED."folder_id",
               "in_scope" = true, "left_at" = NULL`,
        [
          JSON.stringify(
            accounts.map((account) => ({
              alias: account.alias,
              account_id: account.accountId,
              source: account.source,
              name: account.name,
              folder_id: account.folderId,
            })),
          ),
          at,
        ],
      );
      await sql.affected(
        `UPDATE "accounts" SET "in_scope" = false, "left_at" = $2
          WHERE "in_scope" AND NOT ("alias" = ANY($1::text[]))`,
        [accounts.map((account) => account.alias), at],
      );
    });
  }

  /** Discovered members the latest plan covered: what a scan audits when discovery fails. */
  async discoveredInScope(): Promise<PlannedAccount[]> {
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<Row<'accounts'>>(
        `SELECT * FROM "accounts" WHERE "source" = 'discovered' AND "in_scope" ORDER BY "alias"`,
      );
      return rows.map(plannedOf);
    });
  }

  /** Records what a finished scan reached of each account it planned. */
  async recordReach(scanId: number, finishedAt: Date, reaches: readonly AccountReach[]): Promise<void> {
    await withSession(this.dataSource, (sql) =>
      sql.affected(
        `UPDATE "accounts" AS account
            SET "last_scan_id" = $1,
                "last_reached_at" = CASE WHEN reach.reached THEN $2 ELSE account."last_reached_at" END,
                "last_error" = reach.error,
                "last_coverage" = reach.coverage
           FROM jsonb_to_recordset($3::jsonb) AS reach(alias text, reached boolean, error jsonb, coverage jsonb)
          WHERE account."alias" = reach.alias`,
        [scanId, finishedAt, JSON.stringify(reaches)],
      ),
    );
  }

  /** Every account, in scope first, by alias, with its open findings by severity. */
  async list(): Promise<AccountRecord[]> {
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<AccountRow>(
        `SELECT account.*, findings.open_findings
           FROM "accounts" AS account
           LEFT JOIN LATERAL (
             SELECT jsonb_object_agg(counted.severity, counted.count) AS open_findings
               FROM (
                 SELECT finding."severity", count(*)::int AS count
                   FROM "findings" AS finding
                   JOIN "resources" AS resource ON resource."id" = finding."resource_id"
                  WHERE finding."status" = 'open' AND resource."account_alias" = account."alias"
                  GROUP BY finding."severity"
               ) AS counted
           ) AS findings ON true
          ORDER BY account."in_scope" DESC, account."alias"`,
      );
      return rows.map((row) => ({
        ...plannedOf(row),
        firstPlannedAt: row.first_planned_at,
        inScope: row.in_scope,
        leftAt: row.left_at,
        lastScanId: row.last_scan_id,
        lastReachedAt: row.last_reached_at,
        lastError: (row.last_error as ScopeError | null) ?? null,
        lastCoverage: (row.last_coverage as AccountCoverage | null) ?? null,
        openFindings: row.open_findings ?? {},
      }));
    });
  }
}

function plannedOf(row: Row<'accounts'>): PlannedAccount {
  return {
    alias: row.alias,
    accountId: row.account_id,
    source: row.source,
    name: row.name,
    folderId: row.folder_id,
  };
}

import type { FindingRule } from '@app/audit';
import {
  exceptionStateAt,
  fileExceptionChanges,
  type ComplianceException,
  type ExceptionChange,
  type ExceptionChangeRecord,
  type ExceptionScope,
} from '@app/compliance';
import type { DataSource } from 'typeorm';

import { PersistenceError } from './persistence-error';
import { type SqlSession, toSafeInteger, withSession, withTransaction } from './sql';
import type { Row } from './schema/tables';

/** An exception as stored: the domain value, whether the file dropped it, and whether it is stale. */
export interface StoredException {
  readonly exception: ComplianceException;
  /** When a file exception was taken out of the file: it no longer applies. */
  readonly removedAt: Date | null;
  /** Since when it covers none of the resources in scope (by the scan that found it); null otherwise. */
  readonly staleSince: Date | null;
  readonly staleScanId: number | null;
}

/** One entry of the append-only change record, with its position in it. */
export interface StoredExceptionChange extends ExceptionChangeRecord {
  readonly id: number;
}

/** Which exceptions a list returns. */
export interface ExceptionListFilter {
  /** Include file exceptions taken out of the file (default false). */
  readonly includeRemoved?: boolean;
}

type ExceptionRow = Row<'compliance_exceptions'>;
type ChangeRow = Row<'exception_changes'>;

const EXCEPTION_COLUMNS = `"id", "source", "scope", "control_ids", "finding_rules", "reason", "owner", "approver",
  "ticket_url", "created_by", "created_at", "expires_at", "approved_by", "approved_at", "revoked_by", "revoked_at",
  "revocation_reason", "removed_at", "stale_since", "stale_scan_id"`;

/**
 * Accountable exceptions and their append-only change record. Every write stores the new value and
 * its change record in one transaction: there is no exception change without its record.
 */
export class ExceptionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a new exception (created through the API) with its `created` record. */
  async create(change: ExceptionChange): Promise<StoredException> {
    return withTransaction(this.dataSource, async (sql) => {
      const inserted = await sql.rows<ExceptionRow>(
        `INSERT INTO "compliance_exceptions" (${EXCEPTION_COLUMNS_NO_STATE})
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT ("id") DO NOTHING
         RETURNING ${EXCEPTION_COLUMNS}`,
        exceptionParameters(change.exception),
      );
      const row = inserted[0];
      if (row === undefined) {
        throw new PersistenceError('EXCEPTION_CONFLICT', `Exception ${change.exception.id} already exists`);
      }
      await appendChanges(sql, [change.record]);
      return storedOf(row);
    });
  }

  /**
   * Changes one exception under a row lock: `decide` gets the stored value and returns the change
   * (the domain's approve or revoke, which may refuse by throwing); the new value and its record are
   * written together.
   */
  async change(
    id: string,
    decide: (current: ComplianceException) => ExceptionChange,
  ): Promise<StoredException> {
    return withTransaction(this.dataSource, async (sql) => {
      const [current] = await sql.rows<ExceptionRow>(
        `SELECT ${EXCEPTION_COLUMNS} FROM "compliance_exceptions" WHERE "id" = $1 AND "removed_at" IS NULL FOR UPDATE`,
        [id],
      );
      if (current === undefined) {
        throw new PersistenceError('EXCEPTION_NOT_FOUND', `Exception ${id} does not exist`);
      }
      const change = decide(exceptionOf(current));
      if (change.exception.id !== id) {
        throw new PersistenceError(
          'INVALID_INPUT',
          `A change of exception ${id} returned ${change.exception.id}`,
        );
      }
      const [row] = await sql.rows<ExceptionRow>(
        `UPDATE "compliance_exceptions" SET ("source", "scope", "control_ids", "finding_rules", "reason", "owner",
           "approver", "ticket_url", "created_by", "created_at", "expires_at", "approved_by", "approved_at",
           "revoked_by", "revoked_at", "revocation_reason") =
           ($2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         WHERE "id" = $1 RETURNING ${EXCEPTION_COLUMNS}`,
        exceptionParameters(change.exception),
      );
      await appendChanges(sql, [change.record]);
      return storedOf(row as ExceptionRow);
    });
  }

  /**
   * Makes the stored file exceptions what the exceptions file now says: new entries are added,
   * edited ones changed, missing ones marked removed, each with its `file_*` record. Reloading an
   * unchanged file writes nothing. Returns the records written.
   */
  async syncFile(
    loaded: readonly ComplianceException[],
    change: { readonly actor: string; readonly at: Date },
  ): Promise<ExceptionChangeRecord[]> {
    return withTransaction(this.dataSource, async (sql) => {
      const stored = await sql.rows<ExceptionRow>(
        `SELECT ${EXCEPTION_COLUMNS} FROM "compliance_exceptions"
         WHERE "source" = 'file' AND "removed_at" IS NULL ORDER BY "id" FOR UPDATE`,
      );
      const records = fileExceptionChanges(stored.map(exceptionOf), loaded, change);
      for (const record of records) {
        if (record.after === null) {
          await sql.affected(`UPDATE "compliance_exceptions" SET "removed_at" = $2 WHERE "id" = $1`, [
            record.exceptionId,
            change.at,
          ]);
          continue;
        }
        // A re-added entry (removed earlier) comes back under its id with its new content.
        await sql.affected(
          `INSERT INTO "compliance_exceptions" (${EXCEPTION_COLUMNS_NO_STATE})
           VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
           ON CONFLICT ("id") DO UPDATE SET ("source", "scope", "control_ids", "finding_rules", "reason", "owner",
             "approver", "ticket_url", "created_by", "created_at", "expires_at", "approved_by", "approved_at",
             "revoked_by", "revoked_at", "revocation_reason", "removed_at") =
             (EXCLUDED."source", EXCLUDED."scope", EXCLUDED."control_ids", EXCLUDED."finding_rules",
              EXCLUDED."reason", EXCLUDED."owner", EXCLUDED."approver", EXCLUDED."ticket_url",
              EXCLUDED."created_by", EXCLUDED."created_at", EXCLUDED."expires_at", EXCLUDED."approved_by",
              EXCLUDED."approved_at", EXCLUDED."revoked_by", EXCLUDED."revoked_at", EXCLUDED."revocation_reason",
              NULL)`,
          exceptionParameters(record.after),
        );
      }
      await appendChanges(sql, records);
      return records;
    });
  }

  async find(id: string): Promise<StoredException | null> {
    const [row] = await withSession(this.dataSource, (sql) =>
      sql.rows<ExceptionRow>(`SELECT ${EXCEPTION_COLUMNS} FROM "compliance_exceptions" WHERE "id" = $1`, [
        id,
      ]),
    );
    return row === undefined ? null : storedOf(row);
  }

  /** Every exception, newest first (file exceptions taken out of the file only when asked). */
  async list(filter: ExceptionListFilter = {}): Promise<StoredException[]> {
    const rows = await withSession(this.dataSource, (sql) =>
      sql.rows<ExceptionRow>(
        `SELECT ${EXCEPTION_COLUMNS} FROM "compliance_exceptions"
         WHERE $1::boolean OR "removed_at" IS NULL
         ORDER BY "created_at" DESC, "id"`,
        [filter.includeRemoved === true],
      ),
    );
    return rows.map(storedOf);
  }

  /** The change record of one exception, oldest first; of all exceptions when `id` is omitted. */
  async changes(id?: string): Promise<StoredExceptionChange[]> {
    const rows = await withSession(this.dataSource, (sql) =>
      sql.rows<ChangeRow>(
        `SELECT * FROM "exception_changes" WHERE $1::text IS NULL OR "exception_id" = $1 ORDER BY "id"`,
        [id ?? null],
      ),
    );
    return rows.map(changeOf);
  }

  /**
   * For the evidence pack: the exceptions that existed at some point of [from, to) (created before
   * `to`), with every change record made before `to`.
   */
  async exceptionsWithChangesBetween(
    from: Date,
    to: Date,
  ): Promise<{ exceptions: StoredException[]; changes: StoredExceptionChange[] }> {
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ExceptionRow>(
        `SELECT ${EXCEPTION_COLUMNS} FROM "compliance_exceptions"
         WHERE "created_at" < $2 AND ("removed_at" IS NULL OR "removed_at" >= $1)
         ORDER BY "created_at", "id"`,
        [from, to],
      );
      const changes = await sql.rows<ChangeRow>(
        `SELECT * FROM "exception_changes" WHERE "exception_id" = ANY($1::text[]) AND "at" < $2 ORDER BY "id"`,
        [rows.map((row) => row.id), to],
      );
      return { exceptions: rows.map(storedOf), changes: changes.map(changeOf) };
    });
  }
}

const EXCEPTION_COLUMNS_NO_STATE = `"id", "source", "scope", "control_ids", "finding_rules", "reason", "owner",
  "approver", "ticket_url", "created_by", "created_at", "expires_at", "approved_by", "approved_at", "revoked_by",
  "revoked_at", "revocation_reason"`;

function exceptionParameters(exception: ComplianceException): unknown[] {
  return [
    exception.id,
    exception.source,
    JSON.stringify(exception.scope),
    [...exception.controlIds],
    [...exception.findingRules],
    exception.reason,
    exception.owner,
    exception.approver,
    exception.ticketUrl,
    exception.createdBy,
    exception.createdAt,
    exception.expiresAt,
    exception.approvedBy,
    exception.approvedAt,
    exception.revokedBy,
    exception.revokedAt,
    exception.revocationReason,
  ];
}

/** Loads exceptions that are not removed, in a session of the caller (the end of a scan). */
export async function loadExceptions(sql: SqlSession): Promise<ComplianceException[]> {
  const rows = await sql.rows<ExceptionRow>(
    `SELECT ${EXCEPTION_COLUMNS} FROM "compliance_exceptions" WHERE "removed_at" IS NULL ORDER BY "id"`,
  );
  return rows.map(exceptionOf);
}

/**
 * The exceptions that were active at `at` (approved, not yet expired or revoked, not yet taken out
 * of the file), as they are stored now: what a count as of a date treats as suppressing then.
 */
export async function loadExceptionsActiveAt(sql: SqlSession, at: Date): Promise<ComplianceException[]> {
  const rows = await sql.rows<ExceptionRow>(
    `SELECT ${EXCEPTION_COLUMNS} FROM "compliance_exceptions"
     WHERE ("removed_at" IS NULL OR "removed_at" > $1) AND "approved_at" <= $1 AND "expires_at" > $1
     ORDER BY "id"`,
    [at],
  );
  return rows.map(exceptionOf).filter((exception) => exceptionStateAt(exception, at) === 'active');
}

async function appendChanges(sql: SqlSession, records: readonly ExceptionChangeRecord[]): Promise<void> {
  if (records.length === 0) return;
  await sql.affected(
    `INSERT INTO "exception_changes" ("exception_id", "action", "actor", "at", "before", "after", "changed_fields", "note")
     SELECT x."exception_id", x."action", x."actor", x."at", x."before"::jsonb, x."after"::jsonb,
       ARRAY(SELECT jsonb_array_elements_text(x."changed_fields"::jsonb)), x."note"
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[])
       WITH ORDINALITY AS x("exception_id", "action", "actor", "at", "before", "after", "changed_fields", "note", "n")
     ORDER BY x."n"`,
    [
      records.map((record) => record.exceptionId),
      records.map((record) => record.action),
      records.map((record) => record.actor),
      records.map((record) => record.at),
      records.map((record) => (record.before === null ? null : JSON.stringify(record.before))),
      records.map((record) => (record.after === null ? null : JSON.stringify(record.after))),
      records.map((record) => JSON.stringify(record.changedFields)),
      records.map((record) => record.note),
    ],
  );
}

function storedOf(row: ExceptionRow): StoredException {
  return {
    exception: exceptionOf(row),
    removedAt: row.removed_at,
    staleSince: row.stale_since,
    staleScanId: row.stale_scan_id,
  };
}

function exceptionOf(row: ExceptionRow): ComplianceException {
  return {
    id: row.id,
    source: row.source,
    scope: scopeOf(row.scope as ExceptionScope),
    controlIds: row.control_ids,
    findingRules: row.finding_rules as FindingRule[],
    reason: row.reason,
    owner: row.owner,
    approver: row.approver,
    ticketUrl: row.ticket_url,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    revokedBy: row.revoked_by,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
  };
}

/**
 * The scope rebuilt in the domain's field order: jsonb keeps its own key order, and a scope read
 * back must compare equal to the same scope loaded again from the file.
 */
function scopeOf(scope: ExceptionScope): ExceptionScope {
  if (scope.type === 'resource') return { type: 'resource', resourceKey: scope.resourceKey };
  return {
    type: 'names',
    accountAlias: scope.accountAlias,
    namePatterns: scope.namePatterns,
    region: scope.region,
    resourceKind: scope.resourceKind,
  };
}

/** An exception as the record's JSON holds it: its instants as ISO strings. */
type ExceptionJson = Omit<ComplianceException, 'createdAt' | 'expiresAt' | 'approvedAt' | 'revokedAt'> & {
  createdAt: string;
  expiresAt: string;
  approvedAt: string | null;
  revokedAt: string | null;
};

function exceptionFromJson(json: unknown): ComplianceException | null {
  if (json === null) return null;
  const value = json as ExceptionJson;
  const instant = (text: string | null): Date | null => (text === null ? null : new Date(text));
  return {
    ...value,
    scope: scopeOf(value.scope),
    createdAt: new Date(value.createdAt),
    expiresAt: new Date(value.expiresAt),
    approvedAt: instant(value.approvedAt),
    revokedAt: instant(value.revokedAt),
  };
}

function changeOf(row: ChangeRow): StoredExceptionChange {
  return {
    id: toSafeInteger(row.id),
    exceptionId: row.exception_id,
    action: row.action,
    actor: row.actor,
    at: row.at,
    before: exceptionFromJson(row.before),
    after: exceptionFromJson(row.after),
    changedFields: row.changed_fields as (keyof ComplianceException)[],
    note: row.note,
  };
}

import type {
  ExceptionAlertSeverities,
  FindingRule,
  ResourceEvaluationInput,
  ResourceEvaluator,
  ResourceRef,
} from '@app/audit';
import {
  activeExceptionsFor,
  evaluateControls,
  exceptionAlerts,
  exceptionsExpiringWithin,
  factsOfEvaluationInput,
  staleExceptions,
  type ComplianceException,
  type CompliancePolicy,
  type ControlCatalogue,
  type ControlResult,
  type StaleExceptionMark,
} from '@app/compliance';

import { type SqlSession, toSafeInteger } from './sql';
import type { Row } from './schema/tables';

/** What the end of a scan needs to judge controls and apply exceptions. */
export interface ScanComplianceSettings {
  readonly catalogue: ControlCatalogue;
  readonly policy: CompliancePolicy;
  /** Exceptions expiring within this many days of the scan are listed in its outcome (the digest). */
  readonly expiringWithinDays: number;
  /** Severities of the `exception_expiring` and `exception_stale` alerts. */
  readonly alertSeverities: ExceptionAlertSeverities;
}

/** What the scan's control evaluation did. */
export interface ScanComplianceOutcome {
  readonly controlResults: number;
  /** Open findings an active exception suppresses after this scan. */
  readonly findingsSuppressed: number;
  /** Findings whose exception ended (expired, revoked, removed) in this scan: open again, alerted once. */
  readonly findingsReopened: number;
  /** Pending or active exceptions that cover none of the resources in scope. */
  readonly staleExceptionIds: readonly string[];
  /** Active exceptions ending within `expiringWithinDays`: the digest. */
  readonly expiring: readonly ComplianceException[];
  /** `exception_expiring` and `exception_stale` alerts queued by this scan (not queued before). */
  readonly exceptionAlerts: number;
}

/**
 * Wraps the audit's evaluator: an alert about a finding an active exception covers is not queued
 * (the finding itself is still opened, and shown suppressed).
 */
export function withoutSuppressedAlerts(
  evaluate: ResourceEvaluator,
  exceptions: readonly ComplianceException[],
  at: Date,
): ResourceEvaluator {
  return (inputs) =>
    evaluate(inputs).map((output, index) => {
      const input = inputs[index];
      if (input === undefined || output.alerts.length === 0) return output;
      const suppressedKeys = new Set(
        output.open
          .filter((finding) => suppressingException(exceptions, input.ref, finding.rule, at) !== null)
          .map((finding) => finding.findingKey),
      );
      if (suppressedKeys.size === 0) return output;
      return {
        ...output,
        alerts: output.alerts.filter(
          (alert) => alert.findingKey === undefined || !suppressedKeys.has(alert.findingKey),
        ),
      };
    });
}

/** The first active exception (by id) that covers a finding rule on a resource; null when none does. */
export function suppressingException(
  exceptions: readonly ComplianceException[],
  ref: ResourceRef,
  rule: FindingRule,
  at: Date,
): string | null {
  const active = activeExceptionsFor(exceptions, ref, { findingRule: rule }, at);
  return active.map((exception) => exception.id).sort()[0] ?? null;
}

/** Judges every observed resource of one page against the catalogue and stores the results. */
export async function recordControlResults(
  sql: SqlSession,
  scanId: number,
  at: Date,
  inputs: readonly ResourceEvaluationInput[],
  exceptions: readonly ComplianceException[],
  settings: ScanComplianceSettings,
): Promise<number> {
  const results: { resourceId: number; accountAlias: string; result: ControlResult }[] = [];
  for (const input of inputs) {
    const facts = factsOfEvaluationInput(input);
    if (facts === null) continue;
    for (const result of evaluateControls(facts, settings.catalogue, exceptions, at, settings.policy)) {
      results.push({ resourceId: input.resourceId, accountAlias: input.ref.accountAlias, result });
    }
  }
  if (results.length === 0) return 0;
  return sql.affected(
    `INSERT INTO "control_results" (
       "scan_id", "resource_id", "control_id", "rule_id", "catalogue_version", "status", "suppressed_status", "severity",
       "reason", "evidence", "remedies", "exception_ids", "account_alias", "evaluated_at"
     )
     SELECT $1::integer, x."resource_id", x."control_id", x."rule_id", x."catalogue_version", x."status", x."suppressed_status",
       x."severity", x."reason", x."evidence"::jsonb, x."remedies"::jsonb,
       ARRAY(SELECT jsonb_array_elements_text(x."exception_ids"::jsonb)), x."account_alias", $2::timestamptz
     FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
       $11::text[], $12::text[], $13::text[], $14::text[])
       AS x("resource_id", "control_id", "catalogue_version", "status", "suppressed_status", "severity", "reason",
         "evidence", "remedies", "exception_ids", "account_alias", "rule_id")
     ON CONFLICT ("scan_id", "resource_id", "control_id") DO NOTHING`,
    [
      scanId,
      at,
      results.map(({ resourceId }) => resourceId),
      results.map(({ result }) => result.controlId),
      results.map(({ result }) => result.catalogueVersion),
      results.map(({ result }) => result.status),
      results.map(({ result }) => result.suppressedStatus),
      results.map(({ result }) => result.severity),
      results.map(({ result }) => result.reason),
      results.map(({ result }) => JSON.stringify(result.evidence)),
      results.map(({ result }) => JSON.stringify(result.remedies)),
      results.map(({ result }) => JSON.stringify(result.exceptionIds)),
      results.map(({ accountAlias }) => accountAlias),
      results.map(({ result }) => result.ruleId),
    ],
  );
}

type OpenFindingWithResource = Pick<
  Row<'findings'>,
  | 'id'
  | 'finding_key'
  | 'rule'
  | 'severity'
  | 'title'
  | 'message'
  | 'encryption_class'
  | 'algorithm'
  | 'kms_key_id'
  | 'exception_id'
  | 'resource_id'
> &
  Pick<
    Row<'resources'>,
    'resource_key' | 'kind' | 'account_alias' | 'region' | 'name' | 'parent_resource_key'
  >;

/**
 * Sets on every open finding the active exception that suppresses it (or none), in keyset pages. A
 * finding whose suppression ended is open again: one `finding_opened` alert is queued, keyed by the
 * finding and the exception that ended, so a re-run or a later scan never queues it twice.
 */
export async function applyExceptionsToFindings(
  sql: SqlSession,
  scanId: number,
  at: Date,
  exceptions: readonly ComplianceException[],
  chunkSize: number,
): Promise<{ suppressed: number; reopened: number }> {
  let suppressed = 0;
  let reopened = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await sql.rows<OpenFindingWithResource>(
      `SELECT f."id", f."finding_key", f."rule", f."severity", f."title", f."message", f."encryption_class",
         f."algorithm", f."kms_key_id", f."exception_id", f."resource_id", r."resource_key", r."kind",
         r."account_alias", r."region", r."name", r."parent_resource_key"
       FROM "findings" f JOIN "resources" r ON r."id" = f."resource_id"
       WHERE f."status" = 'open' AND f."id" > $1::uuid
       ORDER BY f."id" LIMIT $2`,
      [after, chunkSize],
    );
    const last = rows.at(-1);
    if (last === undefined) break;
    const changedIds: string[] = [];
    const changedTo: (string | null)[] = [];
    const ended: OpenFindingWithResource[] = [];
    for (const row of rows) {
      const exceptionId = suppressingException(exceptions, refOfFinding(row), row.rule, at);
      if (exceptionId !== null) suppressed += 1;
      if (exceptionId === row.exception_id) continue;
      changedIds.push(row.id);
      changedTo.push(exceptionId);
      if (exceptionId === null && row.exception_id !== null) ended.push(row);
    }
    if (changedIds.length > 0) {
      await sql.affected(
        `UPDATE "findings" f SET "exception_id" = x."exception_id"
         FROM unnest($1::uuid[], $2::text[]) AS x("id", "exception_id") WHERE f."id" = x."id"`,
        [changedIds, changedTo],
      );
    }
    reopened += await queueReopenedAlerts(sql, scanId, at, ended);
    if (rows.length < chunkSize) break;
    after = last.id;
  }
  return { suppressed, reopened };
}

async function queueReopenedAlerts(
  sql: SqlSession,
  scanId: number,
  at: Date,
  ended: readonly OpenFindingWithResource[],
): Promise<number> {
  if (ended.length === 0) return 0;
  await sql.affected(
    `INSERT INTO "alert_outbox" (
       "dedupe_key", "scan_id", "event_type", "severity", "resource_id", "finding_id", "payload", "created_at"
     )
     SELECT x."dedupe_key", $1::integer, 'finding_opened', x."severity", x."resource_id", x."finding_id",
       x."payload"::jsonb, $2::timestamptz
     FROM unnest($3::text[], $4::text[], $5::bigint[], $6::uuid[], $7::text[])
       AS x("dedupe_key", "severity", "resource_id", "finding_id", "payload")
     ON CONFLICT ("dedupe_key") DO NOTHING`,
    [
      scanId,
      at,
      ended.map((row) => `finding_reopened:${row.finding_key}:${row.exception_id ?? ''}`),
      ended.map((row) => row.severity),
      ended.map((row) => toSafeInteger(row.resource_id)),
      ended.map((row) => row.id),
      ended.map((row) =>
        JSON.stringify({
          resourceKey: row.resource_key,
          resourceKind: row.kind,
          accountAlias: row.account_alias,
          region: row.region,
          name: row.name,
          rule: row.rule,
          title: row.title,
          message: `${row.message} (exception ${row.exception_id ?? ''} no longer applies)`,
          encryption: {
            encryptionClass: row.encryption_class,
            algorithm: row.algorithm,
            kmsKeyId: row.kms_key_id,
            kmsDataEncryption: null,
          },
        }),
      ),
    ],
  );
  return ended.length;
}

/**
 * Marks the exceptions that cover none of the resources in scope as stale (since this scan, unless
 * an earlier scan already found them so), and clears the mark of those that cover some again.
 * Returns the stale ones with the scan that first found them stale.
 */
export async function markStaleExceptions(
  sql: SqlSession,
  scanId: number,
  at: Date,
  exceptions: readonly ComplianceException[],
): Promise<StaleExceptionMark[]> {
  if (exceptions.length === 0) return [];
  const resources = await sql.rows<
    Pick<Row<'resources'>, 'resource_key' | 'kind' | 'account_alias' | 'region' | 'name'>
  >(
    `SELECT "resource_key", "kind", "account_alias", "region", "name" FROM "resources"
     WHERE "deleted_at" IS NULL AND "scope_left_at" IS NULL`,
  );
  const refs = resources.map((row) => ({
    resourceKey: row.resource_key,
    kind: row.kind,
    accountAlias: row.account_alias,
    region: row.region,
    name: row.name,
  }));
  const stale = staleExceptions(exceptions, refs, at);
  const staleIds = stale.map((exception) => exception.id);
  await sql.affected(
    `UPDATE "compliance_exceptions" SET "stale_since" = $2, "stale_scan_id" = $3
     WHERE "id" = ANY($1::text[]) AND "stale_since" IS NULL`,
    [staleIds, at, scanId],
  );
  await sql.affected(
    `UPDATE "compliance_exceptions" SET "stale_since" = NULL, "stale_scan_id" = NULL
     WHERE NOT ("id" = ANY($1::text[])) AND "stale_since" IS NOT NULL`,
    [staleIds],
  );
  const marks = await sql.rows<Pick<Row<'compliance_exceptions'>, 'id' | 'stale_since' | 'stale_scan_id'>>(
    `SELECT "id", "stale_since", "stale_scan_id" FROM "compliance_exceptions" WHERE "id" = ANY($1::text[])`,
    [staleIds],
  );
  const markOf = new Map(marks.map((row) => [row.id, row]));
  return stale.map((exception) => {
    const mark = markOf.get(exception.id);
    return {
      exception,
      staleSince: mark?.stale_since ?? at,
      staleScanId: mark?.stale_scan_id ?? scanId,
    };
  });
}

/**
 * Queues the scan's alerts about exceptions (expiring, stale) in the outbox. Their dedupe keys name
 * the transition, so a later scan seeing the same state, or a re-run, queues nothing new. Returns
 * how many were queued now.
 */
export async function queueExceptionAlerts(
  sql: SqlSession,
  scanId: number,
  at: Date,
  exceptions: readonly ComplianceException[],
  stale: readonly StaleExceptionMark[],
  settings: ScanComplianceSettings,
): Promise<number> {
  const resourceKeys = exceptions.flatMap((exception) =>
    exception.scope.type === 'resource' ? [exception.scope.resourceKey] : [],
  );
  const accounts =
    resourceKeys.length === 0
      ? []
      : await sql.rows<Pick<Row<'resources'>, 'resource_key' | 'account_alias'>>(
          `SELECT "resource_key", "account_alias" FROM "resources" WHERE "resource_key" = ANY($1::text[])`,
          [resourceKeys],
        );
  const accountOf = new Map(accounts.map((row) => [row.resource_key, row.account_alias]));
  const alerts = exceptionAlerts({
    exceptions,
    stale,
    expiringWithinDays: settings.expiringWithinDays,
    severities: settings.alertSeverities,
    at,
    accountOfResource: (resourceKey) => accountOf.get(resourceKey) ?? null,
  });
  if (alerts.length === 0) return 0;
  return sql.affected(
    `INSERT INTO "alert_outbox" ("dedupe_key", "scan_id", "event_type", "severity", "exception_id", "payload", "created_at")
     SELECT x."dedupe_key", $1::integer, x."event_type", x."severity", x."exception_id", x."payload"::jsonb, $2::timestamptz
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS x("dedupe_key", "event_type", "severity", "exception_id", "payload")
     ON CONFLICT ("dedupe_key") DO NOTHING`,
    [
      scanId,
      at,
      alerts.map((alert) => alert.dedupeKey),
      alerts.map((alert) => alert.eventType),
      alerts.map((alert) => alert.severity),
      alerts.map((alert) => alert.exceptionId),
      alerts.map((alert) => JSON.stringify(alert.payload)),
    ],
  );
}

/** The digest: active exceptions ending within the configured number of days. */
export function expiringExceptions(
  exceptions: readonly ComplianceException[],
  settings: ScanComplianceSettings,
  at: Date,
): ComplianceException[] {
  return exceptionsExpiringWithin(exceptions, settings.expiringWithinDays, at);
}

function refOfFinding(row: OpenFindingWithResource): ResourceRef {
  return {
    kind: row.kind,
    resourceKey: row.resource_key,
    accountAlias: row.account_alias,
    region: row.region,
    name: row.name,
    parentKey: row.parent_resource_key,
  };
}

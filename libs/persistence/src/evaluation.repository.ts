import {
  assessKey,
  KEY_NOT_APPLICABLE,
  type EncryptionObservation,
  type KeyFacts,
  type ObservedChange,
  type OpenFindingRef,
  type ResourceEvaluationInput,
  type ResourceEvaluator,
  type ResourceRef,
} from '@app/audit';
import type { DataSource } from 'typeorm';

import type { ComplianceException } from '@app/compliance';

import {
  applyExceptionsToFindings,
  expiringExceptions,
  markStaleExceptions,
  queueExceptionAlerts,
  recordControlResults,
  withoutSuppressedAlerts,
  type ScanComplianceOutcome,
  type ScanComplianceSettings,
} from './control-evaluation';
import { type EvaluationWritePlan, planEvaluationWrites } from './evaluation-plan';
import { loadExceptions } from './exception.repository';
import type { EvaluationCounts } from './evaluation.types';
import { PersistenceError } from './persistence-error';
import { observedByClass } from './observation.repository';
import { findScan, finishScanIn } from './scan.repository';
import type { FinishedScanStatus, ScanCoverage, ScanRecord } from './scan.types';
import { ADVISORY_LOCK, type SqlSession, toSafeInteger, withTransaction } from './sql';
import type { Row } from './schema/tables';

export interface EvaluationOptions {
  /** Resources per keyset page (default 2000): bounds memory whatever the fleet size. */
  readonly chunkSize?: number;
  /** Time written on findings, drift events and alerts; defaults to the database clock. */
  readonly evaluatedAt?: Date;
}

const DEFAULT_CHUNK_SIZE = 2000;
const MAX_CHUNK_SIZE = 10_000;

const NO_COUNTS: EvaluationCounts = { evaluated: 0, opened: 0, kept: 0, resolved: 0, drift: 0, alerts: 0 };

/** A change row as `changeJson` builds it (JSON: its bigint id arrives as a number). */
type ChangeJson = Pick<
  Row<'observation_changes'>,
  | 'scan_id'
  | 'encryption_class'
  | 'algorithm'
  | 'kms_key_id'
  | 'kms_data_encryption'
  | 'error_code'
  | 'error_message'
  | 'request_id'
> & { id: number; key_facts: KeyFacts | null };

type ResourceColumns = Pick<
  Row<'resources'>,
  'id' | 'resource_key' | 'kind' | 'account_alias' | 'region' | 'name' | 'parent_resource_key'
>;

type ObservedRow = ResourceColumns &
  Pick<
    Row<'resources'>,
    'first_seen_scan_id' | 'reappeared_scan_id' | 'previous_seen_scan_id' | 'account_id' | 'key_resource_key'
  > & {
    current: ChangeJson | null;
    previous: ChangeJson | null;
    /** The named key's change this scan recorded; null when it was not read in this scan. */
    key: ChangeJson | null;
    /** The table bucket's current state, for a table. */
    parent: ParentJson | null;
  };

/** A parent's current state, as the page query builds it. */
type ParentJson = Pick<
  Row<'resources'>,
  'encryption_class' | 'algorithm' | 'kms_key_id' | 'kms_data_encryption' | 'error_code'
>;

type AbsentRow = ResourceColumns &
  Pick<Row<'resources'>, 'last_seen_scan_id'> & {
    previous: ChangeJson | null;
  };

type UnseenRow = ResourceColumns & { parent_seen: boolean | null; named_by_unseen: boolean };

type OpenFindingRow = Pick<Row<'findings'>, 'id' | 'finding_key' | 'rule' | 'severity' | 'resource_id'>;

const changeJson = (alias: string): string =>
  `jsonb_build_object(
    'id', ${alias}."id", 'scan_id', ${alias}."scan_id", 'encryption_class', ${alias}."encryption_class",
    'algorithm', ${alias}."algorithm", 'kms_key_id', ${alias}."kms_key_id",
    'kms_data_encryption', ${alias}."kms_data_encryption", 'error_code', ${alias}."error_code",
    'error_message', ${alias}."error_message", 'request_id', ${alias}."request_id",
    'key_facts', ${alias}."key_facts"
  )`;

/**
 * One keyset page of the resources a scan observed, with the change it saw ("current") and the
 * latest complete change recorded before the scan ("previous complete").
 *
 * Changes are found by id, which alone would probe every monthly partition. The current change is
 * normally the resource's latest, whose `observed_at` is `state_since`: matching on it lets Postgres
 * prune all partitions but one at run time (the second branch serves an older scan). The previous
 * lookup is skipped when it cannot find anything (a resource new in this scan) or when the current
 * change is itself complete and older than the scan, so it is the answer: only changed and unknown
 * resources search the history.
 */
const OBSERVED_PAGE_SQL = `
SELECT r."id", r."resource_key", r."kind", r."account_alias", r."region", r."name", r."parent_resource_key",
  r."first_seen_scan_id", r."reappeared_scan_id", r."previous_seen_scan_id", r."account_id", r."key_resource_key",
  cur."change" AS "current", prev."change" AS "previous", key."change" AS "key",
  CASE WHEN parent."id" IS NULL THEN NULL ELSE jsonb_build_object(
    'encryption_class', parent."encryption_class", 'algorithm', parent."algorithm",
    'kms_key_id', parent."kms_key_id", 'kms_data_encryption', parent."kms_data_encryption",
    'error_code', parent."error_code"
  ) END AS "parent"
FROM "scan_observations" so
JOIN "resources" r ON r."id" = so."resource_id"
LEFT JOIN "resources" parent ON parent."resource_key" = r."parent_resource_key" AND parent."encryption_class" IS NOT NULL
LEFT JOIN LATERAL (
  SELECT ${changeJson('kc')} AS "change" FROM "resources" k
  JOIN "scan_observations" sk ON sk."resource_id" = k."id" AND sk."scan_id" = $1
  JOIN "observation_changes" kc ON kc."id" = sk."change_id" AND kc."resource_id" = k."id"
  WHERE k."resource_key" = r."key_resource_key"
  LIMIT 1
) key ON true
LEFT JOIN LATERAL (
  (
    SELECT c."scan_id", c."encryption_class", ${changeJson('c')} AS "change" FROM "observation_changes" c
    WHERE c."id" = so."change_id" AND c."resource_id" = so."resource_id"
      AND so."change_id" = r."latest_change_id" AND c."observed_at" = r."state_since"
  )
  UNION ALL
  (
    SELECT c."scan_id", c."encryption_class", ${changeJson('c')} AS "change" FROM "observation_changes" c
    WHERE c."id" = so."change_id" AND c."resource_id" = so."resource_id"
      AND so."change_id" <> r."latest_change_id"
  )
  LIMIT 1
) cur ON true
LEFT JOIN LATERAL (
  SELECT ${changeJson('p')} AS "change" FROM "observation_changes" p
  WHERE p."resource_id" = so."resource_id" AND p."scan_id" < $1 AND p."encryption_class" <> 'unknown'
    AND r."first_seen_scan_id" < $1
    AND NOT (cur."scan_id" < $1 AND cur."encryption_class" <> 'unknown')
  ORDER BY p."observed_at" DESC, p."id" DESC
  LIMIT 1
) prev ON true
WHERE so."scan_id" = $1 AND so."resource_id" > $2
ORDER BY so."resource_id"
LIMIT $3`;

/** Marks one page of vanished resources deleted and returns them with their last complete change. */
const DISAPPEAR_PAGE_SQL = `
WITH "gone" AS (
  UPDATE "resources" SET "deleted_at" = $2, "deleted_scan_id" = $1
  WHERE "id" = ANY($3::bigint[]) AND "deleted_at" IS NULL AND "last_seen_scan_id" < $1
  RETURNING "id", "resource_key", "kind", "account_alias", "region", "name", "parent_resource_key",
    "last_seen_scan_id", "last_complete_change_id"
)
SELECT g."id", g."resource_key", g."kind", g."account_alias", g."region", g."name", g."parent_resource_key",
  g."last_seen_scan_id", prev."change" AS "previous"
FROM "gone" g
LEFT JOIN LATERAL (
  SELECT ${changeJson('p')} AS "change" FROM "observation_changes" p
  WHERE p."id" = g."last_complete_change_id" AND p."resource_id" = g."id"
  LIMIT 1
) prev ON true
ORDER BY g."id"`;

/** Takes one page of resources out of the audit's scope and returns them as the disappeared ones. */
const LEAVE_SCOPE_PAGE_SQL = `
UPDATE "resources" SET "scope_left_at" = $2, "scope_left_scan_id" = $1
WHERE "id" = ANY($3::bigint[]) AND "deleted_at" IS NULL AND "scope_left_at" IS NULL AND "last_seen_scan_id" < $1
RETURNING "id", "resource_key", "kind", "account_alias", "region", "name", "parent_resource_key",
  "last_seen_scan_id", NULL::jsonb AS "previous"`;

/**
 * One keyset page of the present resources a scan did not observe, with whether the resource
 * they live in (a table's table bucket) was observed by it, and for a key whether a resource the
 * scan could not read may still name it.
 */
const UNSEEN_PAGE_SQL = `
SELECT r."id", r."resource_key", r."kind", r."account_alias", r."region", r."name", r."parent_resource_key",
  parent."last_seen_scan_id" = $1 AS "parent_seen",
  r."kind" = 'kms_key' AND EXISTS (
    SELECT 1 FROM "resources" named
    WHERE named."key_resource_key" = r."resource_key" AND named."id" <> r."id" AND named."deleted_at" IS NULL
      AND named."scope_left_at" IS NULL
      AND (named."last_seen_scan_id" < $1 OR named."encryption_class" = 'unknown')
  ) AS "named_by_unseen"
FROM "resources" r
LEFT JOIN "resources" parent ON parent."resource_key" = r."parent_resource_key"
WHERE r."deleted_at" IS NULL AND r."scope_left_at" IS NULL AND r."last_seen_scan_id" < $1 AND r."id" > $2
  AND (r."kind" = 'kms_key') = $4
ORDER BY r."id"
LIMIT $3`;

/** A present resource a scan did not observe: what the scan's plan must judge. */
export interface UnseenResource {
  readonly ref: ResourceRef;
  /** For a table: whether this scan observed its table bucket; null for other kinds. */
  readonly parentSeen: boolean | null;
  /**
   * For a KMS key: whether a resource this scan could not read (not observed, or observed as
   * `unknown`) may still name it.
   */
  readonly namedByUnseen: boolean;
}

/**
 * What a present resource that a scan did not observe means, by the scan's plan: `vanished` (its
 * scope was listed completely, so it is gone), `out_of_scope` (the configuration no longer covers
 * it), or `unproved` (its scope could not be listed: nothing can be said, it stays as it was).
 */
export type UnseenVerdict = 'vanished' | 'out_of_scope' | 'unproved';

/**
 * Turns what a scan observed into findings, drift events and alert-outbox rows: it loads each page
 * of evaluation inputs, hands them to the audit's pure evaluator and writes what it decided. One
 * transaction (all or nothing: an evaluator that throws leaves nothing written), serialised per scan
 * by an advisory lock, and idempotent: a re-run finds its own findings open and its drift and alert
 * rows already there (unique keys), so it adds nothing.
 */
export class EvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The end of a scan, in ONE transaction: resources gone from completely listed scopes are marked
   * deleted and evaluated, every observed resource is evaluated (findings, drift, alert outbox), and
   * the scan is finished with its status, coverage and summary. Nobody ever sees findings of a scan
   * that still looks running, or a finished scan without its findings. Idempotent: a scan that is
   * no longer running is returned as it is (`finished: false`).
   */
  async evaluateAndFinishScan(
    scanId: number,
    request: EvaluateAndFinishRequest,
  ): Promise<{
    scan: ScanRecord;
    counts: EvaluationCounts;
    finished: boolean;
    compliance: ScanComplianceOutcome | null;
  }> {
    const chunkSize = chunkSizeOf(request);
    return withTransaction(this.dataSource, async (sql) => {
      const evaluatedAt = await lockScanForEvaluation(sql, scanId, request.evaluatedAt);
      const [running] = await sql.rows<{ id: number }>(
        `SELECT "id" FROM "scans" WHERE "id" = $1 AND "status" = 'running' FOR UPDATE`,
        [scanId],
      );
      if (running === undefined) {
        const stored = await findScan(sql, scanId);
        if (stored === null) throw new PersistenceError('SCAN_NOT_FOUND', `Scan ${scanId} does not exist`);
        return { scan: stored, counts: NO_COUNTS, finished: false, compliance: null };
      }
      const settings = request.compliance ?? null;
      const exceptions = settings === null ? [] : await loadExceptions(sql);
      const evaluate =
        settings === null
          ? request.evaluate
          : withoutSuppressedAlerts(request.evaluate, exceptions, evaluatedAt);
      const absent = await evaluateUnseen(sql, scanId, evaluatedAt, { ...request, evaluate }, chunkSize);
      const controls = settings === null ? null : { settings, exceptions, results: 0 as number };
      const seen = await evaluateObserved(sql, scanId, evaluatedAt, evaluate, chunkSize, controls);
      const compliance =
        settings === null || controls === null
          ? null
          : await finishCompliance(
              sql,
              scanId,
              evaluatedAt,
              settings,
              exceptions,
              controls.results,
              chunkSize,
            );
      const counts = sum(absent.counts, seen);
      const resourcesByClass = await observedByClass(sql, scanId);
      const { scan } = await finishScanIn(sql, scanId, {
        status: request.status,
        coverage: request.coverage,
        summary: {
          resourcesByClass,
          findingsOpened: counts.opened,
          findingsResolved: counts.resolved,
          driftEvents: counts.drift,
          alertsQueued: counts.alerts,
          resourcesDisappeared: absent.disappeared,
          resourcesOutOfScope: absent.outOfScope,
        },
        finishedAt: evaluatedAt,
        ...(request.failureReason === undefined ? {} : { failureReason: request.failureReason }),
      });
      return { scan, counts, finished: true, compliance };
    });
  }
}

/**
 * After every resource was judged: suppress or reopen findings by the exceptions, mark stale ones,
 * and queue the alerts about expiring and stale exceptions, in the same transaction.
 */
async function finishCompliance(
  sql: SqlSession,
  scanId: number,
  at: Date,
  settings: ScanComplianceSettings,
  exceptions: readonly ComplianceException[],
  controlResults: number,
  chunkSize: number,
): Promise<ScanComplianceOutcome> {
  const findings = await applyExceptionsToFindings(sql, scanId, at, exceptions, chunkSize);
  const stale = await markStaleExceptions(sql, scanId, at, exceptions);
  const alerts = await queueExceptionAlerts(sql, scanId, at, exceptions, stale, settings);
  return {
    controlResults,
    findingsSuppressed: findings.suppressed,
    findingsReopened: findings.reopened,
    staleExceptionIds: stale.map(({ exception }) => exception.id),
    expiring: expiringExceptions(exceptions, settings, at),
    exceptionAlerts: alerts,
  };
}

/** What the end of a scan needs besides the scan id (see `evaluateAndFinishScan`). */
export interface EvaluateAndFinishRequest extends EvaluationOptions {
  readonly evaluate: ResourceEvaluator;
  /** Judges each present resource this scan did not observe, by the scan's own plan. */
  readonly judgeUnseen: (resource: UnseenResource) => UnseenVerdict;
  readonly status: FinishedScanStatus;
  readonly coverage: readonly ScanCoverage[];
  readonly failureReason?: string;
  /**
   * Judge every observed resource against the control catalogue, apply the exceptions to findings
   * (suppress, reopen) and mark stale exceptions; omitted, the scan records findings only.
   */
  readonly compliance?: ScanComplianceSettings;
}

async function evaluateObserved(
  sql: SqlSession,
  scanId: number,
  evaluatedAt: Date,
  evaluate: ResourceEvaluator,
  chunkSize: number,
  controls: {
    readonly settings: ScanComplianceSettings;
    readonly exceptions: readonly ComplianceException[];
    results: number;
  } | null,
): Promise<EvaluationCounts> {
  let counts = NO_COUNTS;
  let after = 0;
  for (;;) {
    const rows = await sql.rows<ObservedRow>(OBSERVED_PAGE_SQL, [scanId, after, chunkSize]);
    const last = rows.at(-1);
    if (last === undefined) {
      return counts;
    }
    const openFindings = await loadOpenFindings(
      sql,
      rows.map((row) => row.id),
    );
    const inputs = rows.map((row) => observedInput(row, scanId, openFindings));
    counts = sum(counts, await applyEvaluation(sql, scanId, evaluatedAt, inputs, evaluate));
    if (controls !== null) {
      controls.results += await recordControlResults(
        sql,
        scanId,
        evaluatedAt,
        inputs,
        controls.exceptions,
        controls.settings,
      );
    }
    if (rows.length < chunkSize) {
      return counts;
    }
    after = toSafeInteger(last.id);
  }
}

/**
 * Walks the present resources this scan did not observe, in keyset pages, and asks the plan what
 * each means: vanished ones are marked deleted, out-of-scope ones leave the audit, and both are
 * evaluated with no current observation (their findings resolve); unproved ones stay as they are.
 * Keys come last: whether a key is still named depends on what became of the resources naming it.
 */
async function evaluateUnseen(
  sql: SqlSession,
  scanId: number,
  at: Date,
  request: EvaluateAndFinishRequest,
  chunkSize: number,
): Promise<{ counts: EvaluationCounts; disappeared: number; outOfScope: number }> {
  let counts = NO_COUNTS;
  let disappeared = 0;
  let outOfScope = 0;
  for (const keys of [false, true]) {
    let after = 0;
    for (;;) {
      const page = await sql.rows<UnseenRow>(UNSEEN_PAGE_SQL, [scanId, after, chunkSize, keys]);
      const last = page.at(-1);
      if (last === undefined) break;
      const vanished: string[] = [];
      const leaving: string[] = [];
      for (const row of page) {
        const verdict = request.judgeUnseen({
          ref: refOf(row),
          parentSeen: row.parent_seen,
          namedByUnseen: row.named_by_unseen,
        });
        if (verdict === 'vanished') vanished.push(row.id);
        else if (verdict === 'out_of_scope') leaving.push(row.id);
      }
      for (const [ids, sqlText, absence] of [
        [vanished, DISAPPEAR_PAGE_SQL, 'disappeared'],
        [leaving, LEAVE_SCOPE_PAGE_SQL, 'out_of_scope'],
      ] as const) {
        if (ids.length === 0) continue;
        const rows = await sql.rows<AbsentRow>(sqlText, [scanId, at, ids]);
        if (rows.length === 0) continue;
        const openFindings = await loadOpenFindings(
          sql,
          rows.map((row) => row.id),
        );
        const inputs = rows.map((row) => absentInput(row, absence, openFindings));
        counts = sum(counts, await applyEvaluation(sql, scanId, at, inputs, request.evaluate));
        if (absence === 'disappeared') disappeared += rows.length;
        else outOfScope += rows.length;
      }
      if (page.length < chunkSize) break;
      after = toSafeInteger(last.id);
    }
  }
  return { counts, disappeared, outOfScope };
}

function chunkSizeOf(options: Pick<EvaluationOptions, 'chunkSize'>): number {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new PersistenceError('INVALID_INPUT', `chunkSize must be an integer from 1 to ${MAX_CHUNK_SIZE}`);
  }
  return chunkSize;
}

/** Serialises evaluations of one scan (a re-delivered job waits, then finds the work done). */
async function lockScanForEvaluation(sql: SqlSession, scanId: number, at: Date | undefined): Promise<Date> {
  await sql.rows(`SELECT pg_advisory_xact_lock($1, $2)`, [ADVISORY_LOCK.scanEvaluation, scanId]);
  const [row] = await sql.rows<{ found: boolean; at: Date }>(
    `SELECT EXISTS (SELECT 1 FROM "scans" WHERE "id" = $1) AS "found", coalesce($2::timestamptz, now()) AS "at"`,
    [scanId, at ?? null],
  );
  if (row?.found !== true) {
    throw new PersistenceError('SCAN_NOT_FOUND', `Scan ${scanId} does not exist`);
  }
  return row.at;
}

async function loadOpenFindings(
  sql: SqlSession,
  resourceIds: readonly string[],
): Promise<Map<string, OpenFindingRef[]>> {
  const rows = await sql.rows<OpenFindingRow>(
    `SELECT "id", "finding_key", "rule", "severity", "resource_id" FROM "findings"
     WHERE "status" = 'open' AND "resource_id" = ANY($1::bigint[])
     ORDER BY "resource_id", "opened_at", "id"`,
    [resourceIds],
  );
  const byResource = new Map<string, OpenFindingRef[]>();
  for (const row of rows) {
    const finding = { id: row.id, findingKey: row.finding_key, rule: row.rule, severity: row.severity };
    const list = byResource.get(row.resource_id);
    if (list === undefined) {
      byResource.set(row.resource_id, [finding]);
    } else {
      list.push(finding);
    }
  }
  return byResource;
}

function observedInput(
  row: ObservedRow,
  scanId: number,
  openFindings: Map<string, OpenFindingRef[]>,
): ResourceEvaluationInput {
  if (row.current === null) {
    throw new PersistenceError(
      'INVALID_INPUT',
      `Scan ${scanId} recorded resource ${row.id} but its change row is missing (dropped by retention?)`,
    );
  }
  const current = observedChange(row.current);
  const unchangedAndComplete = row.current.scan_id < scanId && row.current.encryption_class !== 'unknown';
  return {
    resourceId: toSafeInteger(row.id),
    ref: refOf(row),
    firstSeenInThisScan: row.first_seen_scan_id === scanId,
    reappearedInThisScan: row.reappeared_scan_id === scanId,
    previousScanId: row.previous_seen_scan_id,
    current,
    absence: null,
    previousComplete: unchangedAndComplete
      ? current
      : row.previous === null
        ? null
        : observedChange(row.previous),
    openFindings: openFindings.get(row.id) ?? [],
    key:
      row.key_resource_key === null
        ? KEY_NOT_APPLICABLE
        : assessKey(row.key_resource_key, row.key === null ? null : observedChange(row.key).observation),
    parent: row.parent === null ? null : parentObservation(row.parent),
    accountId: row.account_id,
  };
}

function absentInput(
  row: AbsentRow,
  absence: 'disappeared' | 'out_of_scope',
  openFindings: Map<string, OpenFindingRef[]>,
): ResourceEvaluationInput {
  return {
    resourceId: toSafeInteger(row.id),
    ref: refOf(row),
    firstSeenInThisScan: false,
    reappearedInThisScan: false,
    previousScanId: row.last_seen_scan_id,
    current: null,
    absence,
    previousComplete: row.previous === null ? null : observedChange(row.previous),
    openFindings: openFindings.get(row.id) ?? [],
    key: KEY_NOT_APPLICABLE,
    parent: null,
    accountId: null,
  };
}

function refOf(row: ResourceColumns): ResourceRef {
  return {
    kind: row.kind,
    resourceKey: row.resource_key,
    accountAlias: row.account_alias,
    region: row.region,
    name: row.name,
    parentKey: row.parent_resource_key,
  };
}

function observedChange(change: ChangeJson): ObservedChange {
  const observation: EncryptionObservation = {
    encryptionClass: change.encryption_class,
    algorithm: change.algorithm,
    kmsKeyId: change.kms_key_id,
    kmsDataEncryption: change.kms_data_encryption,
    errorCode: change.error_code,
    errorMessage: change.error_message,
    requestId: change.request_id,
    keyFacts: change.key_facts,
  };
  return { changeId: toSafeInteger(change.id), observation };
}

function parentObservation(parent: ParentJson): EncryptionObservation | null {
  if (parent.encryption_class === null) return null;
  return {
    encryptionClass: parent.encryption_class,
    algorithm: parent.algorithm,
    kmsKeyId: parent.kms_key_id,
    kmsDataEncryption: parent.kms_data_encryption,
    errorCode: parent.error_code,
    errorMessage: null,
    requestId: null,
  };
}

async function applyEvaluation(
  sql: SqlSession,
  scanId: number,
  at: Date,
  inputs: readonly ResourceEvaluationInput[],
  evaluate: ResourceEvaluator,
): Promise<EvaluationCounts> {
  const plan = planEvaluationWrites(inputs, evaluate(inputs));
  const resolved = await resolveFindings(sql, scanId, at, plan);
  const kept = await keepFindings(sql, scanId, at, plan);
  const opened = await openFindings(sql, scanId, at, plan);
  const drift = await recordDrift(sql, scanId, at, plan);
  const alerts = await queueAlerts(sql, scanId, at, plan);
  return { evaluated: inputs.length, opened, kept, resolved, drift, alerts };
}

async function resolveFindings(
  sql: SqlSession,
  scanId: number,
  at: Date,
  plan: EvaluationWritePlan,
): Promise<number> {
  if (plan.resolve.ids.length === 0) {
    return 0;
  }
  return sql.affected(
    `UPDATE "findings" f
     SET "status" = 'resolved', "resolved_scan_id" = $1, "resolved_at" = $2, "resolution" = x."resolution"
     FROM unnest($3::uuid[], $4::text[]) AS x("id", "resolution")
     WHERE f."id" = x."id" AND f."status" = 'open'`,
    [scanId, at, plan.resolve.ids, plan.resolve.resolutions],
  );
}

async function keepFindings(
  sql: SqlSession,
  scanId: number,
  at: Date,
  plan: EvaluationWritePlan,
): Promise<number> {
  const keep = plan.keep;
  if (keep.ids.length === 0) {
    return 0;
  }
  return sql.affected(
    `UPDATE "findings" f
     SET "severity" = x."severity", "title" = coalesce(x."title", f."title"),
       "message" = coalesce(x."message", f."message"), "encryption_class" = x."encryption_class",
       "algorithm" = x."algorithm", "kms_key_id" = x."kms_key_id", "evidence_change_id" = x."evidence_change_id",
       "last_seen_scan_id" = $1, "last_seen_at" = $2
     FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[])
       AS x("id", "severity", "title", "message", "encryption_class", "algorithm", "kms_key_id", "evidence_change_id")
     WHERE f."id" = x."id" AND f."status" = 'open'`,
    [
      scanId,
      at,
      keep.ids,
      keep.severities,
      keep.titles,
      keep.messages,
      keep.encryptionClasses,
      keep.algorithms,
      keep.kmsKeyIds,
      keep.evidenceChangeIds,
    ],
  );
}

async function openFindings(
  sql: SqlSession,
  scanId: number,
  at: Date,
  plan: EvaluationWritePlan,
): Promise<number> {
  const open = plan.open;
  if (open.findingKeys.length === 0) {
    return 0;
  }
  return sql.affected(
    `INSERT INTO "findings" (
       "finding_key", "resource_id", "rule", "severity", "status", "title", "message", "encryption_class",
       "algorithm", "kms_key_id", "opened_scan_id", "opened_at", "last_seen_scan_id", "last_seen_at",
       "evidence_change_id"
     )
     SELECT x."finding_key", x."resource_id", x."rule", x."severity", 'open', x."title", x."message",
       x."encryption_class", x."algorithm", x."kms_key_id", $1::integer, $2::timestamptz, $1::integer,
       $2::timestamptz, x."evidence_change_id"
     FROM unnest(
       $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
       $11::text[], $12::bigint[]
     ) AS x(
       "finding_key", "resource_id", "rule", "severity", "title", "message", "encryption_class", "algorithm",
       "kms_key_id", "evidence_change_id"
     )
     ON CONFLICT ("finding_key") WHERE "status" = 'open' DO NOTHING`,
    [
      scanId,
      at,
      open.findingKeys,
      open.resourceIds,
      open.rules,
      open.severities,
      open.titles,
      open.messages,
      open.encryptionClasses,
      open.algorithms,
      open.kmsKeyIds,
      open.evidenceChangeIds,
    ],
  );
}

async function recordDrift(
  sql: SqlSession,
  scanId: number,
  at: Date,
  plan: EvaluationWritePlan,
): Promise<number> {
  const drift = plan.drift;
  if (drift.resourceIds.length === 0) {
    return 0;
  }
  return sql.affected(
    `INSERT INTO "drift_events" (
       "resource_id", "scan_id", "previous_scan_id", "detected_at", "kind", "direction", "before", "after"
     )
     SELECT x."resource_id", $1::integer, x."previous_scan_id", $2::timestamptz, x."kind", x."direction",
       x."before"::jsonb, x."after"::jsonb
     FROM unnest($3::bigint[], $4::integer[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS x("resource_id", "previous_scan_id", "kind", "direction", "before", "after")
     ON CONFLICT ON CONSTRAINT "drift_events_scan_resource_kind_key" DO NOTHING`,
    [
      scanId,
      at,
      drift.resourceIds,
      drift.previousScanIds,
      drift.kinds,
      drift.directions,
      drift.befores,
      drift.afters,
    ],
  );
}

/** Alerts link to the open finding of their key and to this scan's drift event of their resource. */
async function queueAlerts(
  sql: SqlSession,
  scanId: number,
  at: Date,
  plan: EvaluationWritePlan,
): Promise<number> {
  const alerts = plan.alerts;
  if (alerts.dedupeKeys.length === 0) {
    return 0;
  }
  return sql.affected(
    `INSERT INTO "alert_outbox" (
       "dedupe_key", "scan_id", "event_type", "severity", "resource_id", "finding_id", "drift_event_id",
       "payload", "created_at"
     )
     SELECT x."dedupe_key", $1::integer, x."event_type", x."severity", x."resource_id", f."id", d."id",
       x."payload"::jsonb, $2::timestamptz
     FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[])
       AS x("dedupe_key", "event_type", "severity", "resource_id", "finding_key", "drift_kind", "payload")
     LEFT JOIN "findings" f
       ON f."finding_key" = x."finding_key" AND f."resource_id" = x."resource_id" AND f."status" = 'open'
     LEFT JOIN "drift_events" d
       ON d."scan_id" = $1 AND d."resource_id" = x."resource_id" AND d."kind" = x."drift_kind"
     ON CONFLICT ("dedupe_key") DO NOTHING`,
    [
      scanId,
      at,
      alerts.dedupeKeys,
      alerts.eventTypes,
      alerts.severities,
      alerts.resourceIds,
      alerts.findingKeys,
      alerts.driftKinds,
      alerts.payloads,
    ],
  );
}

function sum(a: EvaluationCounts, b: EvaluationCounts): EvaluationCounts {
  return {
    evaluated: a.evaluated + b.evaluated,
    opened: a.opened + b.opened,
    kept: a.kept + b.kept,
    resolved: a.resolved + b.resolved,
    drift: a.drift + b.drift,
    alerts: a.alerts + b.alerts,
  };
}

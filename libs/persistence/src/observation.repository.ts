import type { EncryptionClass, EncryptionObservation, KeyFacts, ResourceRef } from '@app/audit';
import type { DataSource } from 'typeorm';

import { PersistenceError } from './persistence-error';
import type { Row } from './schema/tables';
import { type SqlSession, withSession, withTransaction } from './sql';

/** One resource as one scan observed it. */
export interface ObservedResource {
  /** Its identity; `parentKey` for a table (its table bucket's ARN). */
  readonly ref: ResourceRef;
  readonly observation: EncryptionObservation;
  /** The account uid it belongs to, when known. */
  readonly accountId?: string | null;
  /** The resource key of the KMS key its encryption names (`kmsKeyResourceKey`), if any. */
  readonly keyResourceKey?: string | null;
  /**
   * Hex content hash of the observation: `observationHash` of @app/audit, the one definition of
   * "the same observation" (request id and error message left out). A change row is written only
   * when it differs from the resource's latest.
   */
  readonly contentHash: string;
}

export interface RecordObservationsResult {
  /** Resources whose observation this call recorded for the scan. */
  readonly recorded: number;
  /** Of those, the ones whose observation differs from their latest: rows added to the change log. */
  readonly changed: number;
  /**
   * Items that changed nothing: already recorded for this scan (a re-delivered batch), or already
   * observed by a later scan (a stale job).
   */
  readonly skipped: number;
}

interface UpsertedRow {
  id: string;
  resource_key: string;
}

type ObservationRow = Pick<
  Row<'observation_changes'>,
  | 'encryption_class'
  | 'algorithm'
  | 'kms_key_id'
  | 'kms_data_encryption'
  | 'error_code'
  | 'error_message'
  | 'request_id'
  | 'key_facts'
> &
  Pick<Row<'resources'>, 'resource_key'>;

interface CountsRow {
  changed: string;
  recorded: string;
}

const HEX = /^(?:[0-9a-f]{2})+$/i;

/** Writes what scans observed: resources, the change log, the per-scan record and current state. */
export class ObservationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records one batch in one transaction with a fixed number of set-based statements (one array
   * parameter per column, so any batch size stays far from Postgres's 65,535-parameter limit).
   * Idempotent per (scan, resource): a resource already recorded for this scan is left as it is, so a
   * re-delivered batch writes nothing. Refuses to record into a scan that is not running.
   */
  async recordObservations(
    scanId: number,
    observedAt: Date,
    items: readonly ObservedResource[],
  ): Promise<RecordObservationsResult> {
    validateBatch(items);
    if (items.length === 0) {
      return { recorded: 0, changed: 0, skipped: 0 };
    }
    return withTransaction(this.dataSource, async (sql) => {
      await lockRunningScan(sql, scanId);
      const accepted = await touchResources(sql, scanId, observedAt, items);
      if (accepted.length === 0) {
        return { recorded: 0, changed: 0, skipped: items.length };
      }
      const byKey = new Map(items.map((item) => [item.ref.resourceKey, item]));
      const observations = accepted.flatMap((row) => {
        const item = byKey.get(row.resource_key);
        return item === undefined ? [] : [{ resourceId: row.id, item }];
      });
      const [counts] = await sql.rows<CountsRow>(RECORD_CHANGES_SQL, [
        scanId,
        observedAt,
        observations.map((o) => o.resourceId),
        observations.map((o) => o.item.observation.encryptionClass),
        observations.map((o) => o.item.observation.algorithm),
        observations.map((o) => o.item.observation.kmsKeyId),
        observations.map((o) => o.item.observation.kmsDataEncryption),
        observations.map((o) => o.item.observation.errorCode),
        observations.map((o) => o.item.observation.errorMessage),
        observations.map((o) => o.item.observation.requestId),
        observations.map((o) => o.item.contentHash),
        observations.map((o) =>
          o.item.observation.keyFacts == null ? null : JSON.stringify(o.item.observation.keyFacts),
        ),
      ]);
      return {
        recorded: Number(counts?.recorded ?? 0),
        changed: Number(counts?.changed ?? 0),
        skipped: items.length - accepted.length,
      };
    });
  }

  /**
   * What this scan already recorded for these resources (by resource key): how a batch learns that
   * another batch described a KMS key before it, so each key is read once per scan.
   */
  async observationsInScan(
    scanId: number,
    resourceKeys: readonly string[],
  ): Promise<Map<string, EncryptionObservation>> {
    if (resourceKeys.length === 0) return new Map();
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ObservationRow>(
        `SELECT r."resource_key", c."encryption_class", c."algorithm", c."kms_key_id", c."kms_data_encryption",
           c."error_code", c."error_message", c."request_id", c."key_facts"
         FROM "resources" r
         JOIN "scan_observations" so ON so."resource_id" = r."id" AND so."scan_id" = $1
         JOIN "observation_changes" c ON c."id" = so."change_id" AND c."resource_id" = r."id"
         WHERE r."resource_key" = ANY($2::text[])`,
        [scanId, resourceKeys],
      );
      return new Map(
        rows.map((row) => [
          row.resource_key,
          {
            encryptionClass: row.encryption_class,
            algorithm: row.algorithm,
            kmsKeyId: row.kms_key_id,
            kmsDataEncryption: row.kms_data_encryption,
            errorCode: row.error_code,
            errorMessage: row.error_message,
            requestId: row.request_id,
            keyFacts: row.key_facts as KeyFacts | null,
          },
        ]),
      );
    });
  }

  /** How many resources of each encryption class a scan observed. */
  async countObservedByClass(scanId: number): Promise<Partial<Record<EncryptionClass, number>>> {
    return withSession(this.dataSource, (sql) => observedByClass(sql, scanId));
  }
}

/** How many resources of each encryption class a scan observed, on a session the caller holds. */
export async function observedByClass(
  sql: SqlSession,
  scanId: number,
): Promise<Partial<Record<EncryptionClass, number>>> {
  const rows = await sql.rows<{ encryption_class: EncryptionClass; resources: string }>(
    `SELECT c."encryption_class", count(*) AS "resources"
     FROM "scan_observations" so
     JOIN "observation_changes" c ON c."id" = so."change_id" AND c."resource_id" = so."resource_id"
     WHERE so."scan_id" = $1
     GROUP BY c."encryption_class"`,
    [scanId],
  );
  return Object.fromEntries(rows.map((row) => [row.encryption_class, Number(row.resources)]));
}

function validateBatch(items: readonly ObservedResource[]): void {
  const keys = new Set<string>();
  for (const item of items) {
    if (keys.has(item.ref.resourceKey)) {
      throw new PersistenceError(
        'INVALID_INPUT',
        `Resource ${item.ref.resourceKey} appears twice in one batch`,
      );
    }
    keys.add(item.ref.resourceKey);
    if (!HEX.test(item.contentHash)) {
      throw new PersistenceError('INVALID_INPUT', `Content hash of ${item.ref.resourceKey} is not hex`);
    }
  }
}

/**
 * Locks the scan row against finishing (FOR SHARE conflicts with the UPDATE that finishes it) so
 * no observation lands in a scan after it ended.
 */
async function lockRunningScan(sql: SqlSession, scanId: number): Promise<void> {
  const [scan] = await sql.rows<{ status: string }>(
    `SELECT "status" FROM "scans" WHERE "id" = $1 FOR SHARE`,
    [scanId],
  );
  if (scan === undefined) {
    throw new PersistenceError('SCAN_NOT_FOUND', `Scan ${scanId} does not exist`);
  }
  if (scan.status !== 'running') {
    throw new PersistenceError(
      'SCAN_NOT_RUNNING',
      `Scan ${scanId} is ${scan.status}; it takes no more observations`,
    );
  }
}

/**
 * Inserts new resources and marks known ones seen by this scan, returning only the resources this
 * batch may record: those not yet seen by this scan or a later one. Rows are locked (in key order,
 * so overlapping batches cannot deadlock) until the transaction ends.
 */
async function touchResources(
  sql: SqlSession,
  scanId: number,
  observedAt: Date,
  items: readonly ObservedResource[],
): Promise<UpsertedRow[]> {
  return sql.rows<UpsertedRow>(
    `INSERT INTO "resources" AS r (
       "resource_key", "kind", "account_alias", "region", "name", "parent_resource_key", "account_id",
       "key_resource_key", "first_seen_scan_id", "first_seen_at", "last_seen_scan_id", "last_seen_at"
     )
     SELECT i."resource_key", i."kind", i."account_alias", i."region", i."name", i."parent_resource_key",
       i."account_id",
       -- An unreadable encryption says nothing of its key: the resource still names the one it did.
       CASE WHEN i."unread" THEN (SELECT known."key_resource_key" FROM "resources" known
         WHERE known."resource_key" = i."resource_key") ELSE i."key_resource_key" END,
       $1::integer, $2::timestamptz, $1::integer, $2::timestamptz
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
       $11::boolean[])
       AS i("resource_key", "kind", "account_alias", "region", "name", "parent_resource_key", "account_id",
         "key_resource_key", "unread")
     ORDER BY i."resource_key"
     ON CONFLICT ("resource_key") DO UPDATE SET
       "kind" = EXCLUDED."kind",
       "account_alias" = EXCLUDED."account_alias",
       "region" = EXCLUDED."region",
       "name" = EXCLUDED."name",
       "parent_resource_key" = EXCLUDED."parent_resource_key",
       "account_id" = coalesce(EXCLUDED."account_id", r."account_id"),
       "key_resource_key" = EXCLUDED."key_resource_key",
       "scope_left_scan_id" = NULL,
       "scope_left_at" = NULL,
       "previous_seen_scan_id" = r."last_seen_scan_id",
       "last_seen_scan_id" = EXCLUDED."last_seen_scan_id",
       "last_seen_at" = greatest(r."last_seen_at", EXCLUDED."last_seen_at"),
       "reappeared_scan_id" = CASE WHEN r."deleted_at" IS NULL THEN r."reappeared_scan_id" ELSE EXCLUDED."last_seen_scan_id" END,
       "deleted_at" = NULL,
       "deleted_scan_id" = NULL
     WHERE r."last_seen_scan_id" < EXCLUDED."last_seen_scan_id"
     RETURNING r."id", r."resource_key"`,
    [
      scanId,
      observedAt,
      items.map((item) => item.ref.resourceKey),
      items.map((item) => item.ref.kind),
      items.map((item) => item.ref.accountAlias),
      items.map((item) => item.ref.region),
      items.map((item) => item.ref.name),
      items.map((item) => item.ref.parentKey ?? null),
      items.map((item) => item.accountId ?? null),
      items.map((item) => item.keyResourceKey ?? null),
      items.map((item) => item.observation.encryptionClass === 'unknown'),
    ],
  );
}

/**
 * One statement: compares each accepted observation's hash with its resource's latest, appends
 * the differing ones to the change log (never before the current state's start, so a resource's
 * changes stay ordered by time), moves the resources' current state (`last_complete_change_id` only
 * for complete observations) and records which change this scan saw for every resource.
 */
const RECORD_CHANGES_SQL = `
WITH "input" AS (
  SELECT i.*, decode(i."content_hash_hex", 'hex') AS "content_hash"
  FROM unnest(
    $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
    $12::text[]
  ) AS i(
    "resource_id", "encryption_class", "algorithm", "kms_key_id", "kms_data_encryption", "error_code",
    "error_message", "request_id", "content_hash_hex", "key_facts_json"
  )
),
"compared" AS (
  SELECT i.*, r."latest_change_id", greatest($2::timestamptz, r."state_since") AS "valid_from",
    r."content_hash" IS DISTINCT FROM i."content_hash" AS "changed"
  FROM "input" i
  JOIN "resources" r ON r."id" = i."resource_id"
),
"inserted" AS (
  INSERT INTO "observation_changes" (
    "resource_id", "scan_id", "observed_at", "encryption_class", "algorithm", "kms_key_id",
    "kms_data_encryption", "error_code", "error_message", "request_id", "content_hash", "key_facts"
  )
  SELECT c."resource_id", $1::integer, c."valid_from", c."encryption_class", c."algorithm", c."kms_key_id",
    c."kms_data_encryption", c."error_code", c."error_message", c."request_id", c."content_hash",
    c."key_facts_json"::jsonb
  FROM "compared" c
  WHERE c."changed"
  ORDER BY c."resource_id"
  RETURNING "id", "resource_id", "observed_at"
),
"moved" AS (
  UPDATE "resources" r SET
    "latest_change_id" = n."id",
    "last_complete_change_id" = CASE WHEN c."encryption_class" = 'unknown' THEN r."last_complete_change_id" ELSE n."id" END,
    "content_hash" = c."content_hash",
    "encryption_class" = c."encryption_class",
    "algorithm" = c."algorithm",
    "kms_key_id" = c."kms_key_id",
    "kms_data_encryption" = c."kms_data_encryption",
    "error_code" = c."error_code",
    "key_facts" = c."key_facts_json"::jsonb,
    "state_since" = n."observed_at"
  FROM "inserted" n
  JOIN "compared" c ON c."resource_id" = n."resource_id"
  WHERE r."id" = n."resource_id"
),
"observed" AS (
  INSERT INTO "scan_observations" ("resource_id", "change_id", "scan_id")
  SELECT c."resource_id", coalesce(n."id", c."latest_change_id"), $1::integer
  FROM "compared" c
  LEFT JOIN "inserted" n ON n."resource_id" = c."resource_id"
  ORDER BY c."resource_id"
  ON CONFLICT ("scan_id", "resource_id") DO NOTHING
  RETURNING "resource_id"
)
SELECT (SELECT count(*) FROM "inserted") AS "changed", (SELECT count(*) FROM "observed") AS "recorded"`;

import type { EncryptionClass, EncryptionObservation, KeyFacts, ResourceRef } from '@app/audit';
import type { DataSource } from 'typeorm';

import { keysetCursor, keysetPage, type Page, pageSize } from './cursor';
import { type SqlSession, toSafeInteger, withSession } from './sql';
import type { Row } from './schema/tables';
import { STALE_RESOURCE_SQL } from './sql-conditions';

/** A resource with its current state (the latest observation, `unknown` included). */
export interface ResourceRecord {
  readonly id: number;
  readonly ref: ResourceRef;
  readonly firstSeenScanId: number;
  readonly firstSeenAt: Date;
  readonly lastSeenScanId: number;
  readonly lastSeenAt: Date;
  /** Set while the resource is gone (a complete enumeration no longer listed it). */
  readonly deletedAt: Date | null;
  readonly deletedScanId: number | null;
  /** Set while the configuration no longer covers it (the scan that found so). */
  readonly scopeLeftAt: Date | null;
  readonly scopeLeftScanId: number | null;
  /**
   * In the audit but not observed by the latest finished scan (its scope could not be proved):
   * what it shows is as of `lastSeenAt`. False when the latest scan observed it, or it is not present.
   */
  readonly stale: boolean;
  /** The account uid, when known. */
  readonly accountId: string | null;
  /** The resource key of the KMS key its encryption names, if any. */
  readonly keyResourceKey: string | null;
  /** For a KMS key: what DescribeKey said of it last. */
  readonly keyFacts: KeyFacts | null;
  readonly current: CurrentState | null;
  readonly lastCompleteChangeId: number | null;
}

export interface CurrentState {
  readonly changeId: number;
  readonly encryptionClass: EncryptionClass;
  readonly algorithm: string | null;
  readonly kmsKeyId: string | null;
  readonly kmsDataEncryption: string | null;
  readonly errorCode: string | null;
  /** When this state was first observed. */
  readonly since: Date;
}

/** One row of a resource's change log: an observation, valid from `observedAt` until the next row. */
export interface ObservationChangeRecord {
  readonly id: number;
  readonly resourceId: number;
  /** The first scan that made this observation. */
  readonly scanId: number;
  readonly observedAt: Date;
  readonly observation: EncryptionObservation;
}

/** What was true for a resource at one instant. */
export interface ResourceStateAt {
  /** The change valid at that instant; null before the first observation (or beyond retention). */
  readonly change: ObservationChangeRecord | null;
  /** The last scan started at or before that instant that observed the resource, and what it saw. */
  readonly lastObservation: {
    readonly scanId: number;
    readonly scanStartedAt: Date;
    readonly changeId: number;
  } | null;
}

/** A `resources` row with the columns of `RESOURCE_COLUMNS`. */
export type ResourceRow = Omit<
  Row<'resources'>,
  'content_hash' | 'previous_seen_scan_id' | 'reappeared_scan_id'
> & { stale: boolean };

type ChangeRow = Omit<Row<'observation_changes'>, 'content_hash'> & {
  /** `observed_at` to the microsecond, for cursors (a JavaScript Date keeps milliseconds). */
  observed_at_text: string;
};

/** The columns of `resources` (unqualified: select them from that table alone). */
export const RESOURCE_COLUMNS = `"id", "resource_key", "kind", "account_alias", "region", "name", "first_seen_scan_id",
  "first_seen_at", "last_seen_scan_id", "last_seen_at", "deleted_at", "deleted_scan_id", "latest_change_id",
  "last_complete_change_id", "encryption_class", "algorithm", "kms_key_id", "kms_data_encryption", "error_code",
  "state_since", "parent_resource_key", "account_id", "key_resource_key", "key_facts", "scope_left_scan_id",
  "scope_left_at", ${STALE_RESOURCE_SQL} AS "stale"`;

const CHANGE_COLUMNS = `"id", "resource_id", "scan_id", "observed_at",
  to_char("observed_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "observed_at_text",
  "encryption_class", "algorithm", "kms_key_id", "kms_data_encryption", "error_code", "error_message", "request_id"`;

/** (observed_at, id) of the last change of a history page. */
const HISTORY_CURSOR = keysetCursor('timestamptz', 'int8');

/** Read side of resources: current state from the resources table, the past from the change log. */
export class ResourceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: number): Promise<ResourceRecord | null> {
    return withSession(this.dataSource, (sql) => findResource(sql, `"id" = $1`, id));
  }

  /** By stable key: `oss:{bucket}` or the table bucket ARN. */
  async findByKey(resourceKey: string): Promise<ResourceRecord | null> {
    return withSession(this.dataSource, (sql) => findResource(sql, `"resource_key" = $1`, resourceKey));
  }

  /**
   * What was true for the resource at `at`: the change row valid then (the latest observed at or
   * before it) and the last scan that observed the resource. Exact for any instant within retention.
   */
  async stateAt(resourceId: number, at: Date): Promise<ResourceStateAt> {
    return withSession(this.dataSource, async (sql) => {
      const [change] = await sql.rows<ChangeRow>(
        `SELECT ${CHANGE_COLUMNS} FROM "observation_changes"
         WHERE "resource_id" = $1 AND "observed_at" <= $2
         ORDER BY "observed_at" DESC, "id" DESC
         LIMIT 1`,
        [resourceId, at],
      );
      const [scan] = await sql.rows<{ scan_id: number; started_at: Date; change_id: string }>(
        `SELECT s."id" AS "scan_id", s."started_at", so."change_id"
         FROM "scans" s
         JOIN "scan_observations" so ON so."scan_id" = s."id" AND so."resource_id" = $1
         WHERE s."started_at" <= $2
         ORDER BY s."started_at" DESC, s."id" DESC
         LIMIT 1`,
        [resourceId, at],
      );
      return {
        change: change === undefined ? null : toChangeRecord(change),
        lastObservation:
          scan === undefined
            ? null
            : {
                scanId: scan.scan_id,
                scanStartedAt: scan.started_at,
                changeId: toSafeInteger(scan.change_id),
              },
      };
    });
  }

  /** The resource's change log, newest first. */
  async history(
    resourceId: number,
    request: { limit: number; cursor?: string },
  ): Promise<Page<ObservationChangeRecord>> {
    const limit = pageSize(request.limit);
    const [beforeAt, beforeId] =
      request.cursor === undefined ? [null, null] : HISTORY_CURSOR.decode(request.cursor);
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ChangeRow>(
        `SELECT ${CHANGE_COLUMNS} FROM "observation_changes"
         WHERE "resource_id" = $1
           AND ($2::timestamptz IS NULL OR ("observed_at", "id") < ($2::timestamptz, $3::bigint))
         ORDER BY "observed_at" DESC, "id" DESC
         LIMIT $4`,
        [resourceId, beforeAt, beforeId, limit + 1],
      );
      return keysetPage(rows, limit, toChangeRecord, (last) =>
        HISTORY_CURSOR.encode([last.observed_at_text, toSafeInteger(last.id)]),
      );
    });
  }
}

async function findResource(
  sql: SqlSession,
  where: string,
  value: number | string,
): Promise<ResourceRecord | null> {
  const [row] = await sql.rows<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM "resources" WHERE ${where}`, [
    value,
  ]);
  return row === undefined ? null : toResourceRecord(row);
}

export function toResourceRecord(row: ResourceRow): ResourceRecord {
  const current =
    row.latest_change_id === null || row.encryption_class === null || row.state_since === null
      ? null
      : {
          changeId: toSafeInteger(row.latest_change_id),
          encryptionClass: row.encryption_class,
          algorithm: row.algorithm,
          kmsKeyId: row.kms_key_id,
          kmsDataEncryption: row.kms_data_encryption,
          errorCode: row.error_code,
          since: row.state_since,
        };
  return {
    id: toSafeInteger(row.id),
    ref: {
      kind: row.kind,
      resourceKey: row.resource_key,
      accountAlias: row.account_alias,
      region: row.region,
      name: row.name,
      parentKey: row.parent_resource_key,
    },
    firstSeenScanId: row.first_seen_scan_id,
    firstSeenAt: row.first_seen_at,
    lastSeenScanId: row.last_seen_scan_id,
    lastSeenAt: row.last_seen_at,
    deletedAt: row.deleted_at,
    deletedScanId: row.deleted_scan_id,
    scopeLeftAt: row.scope_left_at,
    scopeLeftScanId: row.scope_left_scan_id,
    stale: row.stale,
    accountId: row.account_id,
    keyResourceKey: row.key_resource_key,
    keyFacts: (row.key_facts as KeyFacts | null) ?? null,
    current,
    lastCompleteChangeId:
      row.last_complete_change_id === null ? null : toSafeInteger(row.last_complete_change_id),
  };
}

function toChangeRecord(row: ChangeRow): ObservationChangeRecord {
  return {
    id: toSafeInteger(row.id),
    resourceId: toSafeInteger(row.resource_id),
    scanId: row.scan_id,
    observedAt: row.observed_at,
    observation: {
      encryptionClass: row.encryption_class,
      algorithm: row.algorithm,
      kmsKeyId: row.kms_key_id,
      kmsDataEncryption: row.kms_data_encryption,
      errorCode: row.error_code,
      errorMessage: row.error_message,
      requestId: row.request_id,
    },
  };
}

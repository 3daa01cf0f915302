import type { DataSource } from 'typeorm';

import type { EncryptionClass, ResourceKind } from '@app/audit';
import { keysetCursor, keysetPage, type Page, pageSize } from './cursor';
import { scanRecordOf, SCAN_COLUMNS, type ScanRow } from './scan.repository';
import type { ScanRecord } from './scan.types';
import { toSafeInteger, withSession } from './sql';
import type { Row } from './schema/tables';

/** Which part of the record an evidence pack covers. */
export interface EvidencePeriod {
  /** Scans started at or after. */
  readonly from: Date;
  /** Scans started strictly before. */
  readonly to: Date;
  /** Only these accounts; every account when absent. */
  readonly accountAliases?: readonly string[];
}

/** What one scan saw of one resource, with the request id of the answer that proves it. */
export interface ObservationEvidence {
  readonly scanId: number;
  readonly changeId: number;
  readonly observedAt: Date;
  readonly requestId: string | null;
  readonly resource: {
    readonly key: string;
    readonly kind: ResourceKind;
    readonly accountAlias: string;
    readonly region: string;
    readonly name: string;
  };
  readonly encryptionClass: EncryptionClass;
  readonly algorithm: string | null;
  readonly kmsKeyId: string | null;
  readonly kmsDataEncryption: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** DescribeKey facts, as stored. */
  readonly keyFacts: unknown;
}

type ObservationRow = Pick<
  Row<'observation_changes'>,
  | 'observed_at'
  | 'request_id'
  | 'encryption_class'
  | 'algorithm'
  | 'kms_key_id'
  | 'kms_data_encryption'
  | 'error_code'
  | 'error_message'
  | 'key_facts'
> & {
  scan_id: number;
  resource_id: string;
  change_id: string;
  resource_key: string;
  kind: ResourceKind;
  account_alias: string;
  region: string;
  name: string;
};

/** (scan id, resource id) of the last observation of a page. */
const OBSERVATION_CURSOR = keysetCursor('int4', 'int8');

/** Most scans one pack covers: a year of nightly scans with room to spare. */
export const MAX_EVIDENCE_SCANS = 2_000;

/** Reads of the evidence pack: the scans of a period and every observation they made. */
export class EvidenceQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Scans started in the period, oldest first (at most `MAX_EVIDENCE_SCANS`, the newest kept). */
  async scansIn(period: EvidencePeriod): Promise<ScanRecord[]> {
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ScanRow>(
        `SELECT * FROM (
           SELECT ${SCAN_COLUMNS} FROM "scans"
           WHERE "started_at" >= $1 AND "started_at" < $2
           ORDER BY "id" DESC LIMIT $3) newest
         ORDER BY "id"`,
        [period.from, period.to, MAX_EVIDENCE_SCANS],
      );
      return rows.map(scanRecordOf);
    });
  }

  /**
   * One keyset page of the observations made by the scans started in the period, by scan then
   * resource: each scan's view of each resource it read, pointing at the stored observation.
   */
  async observationsIn(
    period: EvidencePeriod,
    request: { limit: number; cursor?: string },
  ): Promise<Page<ObservationEvidence>> {
    const limit = pageSize(request.limit);
    const after = request.cursor === undefined ? null : OBSERVATION_CURSOR.decode(request.cursor);
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ObservationRow>(
        `SELECT so."scan_id", so."resource_id", so."change_id", oc."observed_at", oc."request_id",
           oc."encryption_class", oc."algorithm", oc."kms_key_id", oc."kms_data_encryption",
           oc."error_code", oc."error_message", oc."key_facts",
           r."resource_key", r."kind", r."account_alias", r."region", r."name"
         FROM "scans" s
         JOIN "scan_observations" so ON so."scan_id" = s."id"
         JOIN "observation_changes" oc ON oc."id" = so."change_id"
         JOIN "resources" r ON r."id" = so."resource_id"
         WHERE s."started_at" >= $1 AND s."started_at" < $2
           AND ($3::text[] IS NULL OR r."account_alias" = ANY($3::text[]))
           AND ($4::integer IS NULL OR (so."scan_id", so."resource_id") > ($4::integer, $5::bigint))
         ORDER BY so."scan_id", so."resource_id"
         LIMIT $6`,
        [
          period.from,
          period.to,
          period.accountAliases ?? null,
          after?.[0] ?? null,
          after?.[1] ?? null,
          limit + 1,
        ],
      );
      return keysetPage(rows, limit, toObservationEvidence, (last) =>
        OBSERVATION_CURSOR.encode([last.scan_id, toSafeInteger(last.resource_id)]),
      );
    });
  }
}

function toObservationEvidence(row: ObservationRow): ObservationEvidence {
  return {
    scanId: row.scan_id,
    changeId: toSafeInteger(row.change_id),
    observedAt: row.observed_at,
    requestId: row.request_id,
    resource: {
      key: row.resource_key,
      kind: row.kind,
      accountAlias: row.account_alias,
      region: row.region,
      name: row.name,
    },
    encryptionClass: row.encryption_class,
    algorithm: row.algorithm,
    kmsKeyId: row.kms_key_id,
    kmsDataEncryption: row.kms_data_encryption,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    keyFacts: row.key_facts,
  };
}

import type { DataSource } from 'typeorm';

import type { DriftSnapshot } from '@app/audit';
import { cursorTimestampSql, keysetCursor, keysetPage, type Page, pageSize } from './cursor';
import type { DriftEventView, DriftFilter } from './read-model.types';
import { addResourceScope, oneOf, SqlConditions } from './sql-conditions';
import { toSafeInteger, withSession } from './sql';
import type { Row } from './schema/tables';

type DriftRow = Omit<Row<'drift_events'>, 'before' | 'after'> & {
  before: DriftSnapshot | null;
  after: DriftSnapshot | null;
  detected_at_text: string;
  resource_key: string;
  resource_kind: Row<'resources'>['kind'];
} & Pick<Row<'resources'>, 'account_alias' | 'region' | 'name'>;

/** (detected_at, id) of the last event of a page. */
const DRIFT_CURSOR = keysetCursor('timestamptz', 'int8');

/** Read side of drift events: filtered keyset pages, newest first. */
export class DriftQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Drift events matching `filter`, ordered by (detected_at, id) descending (every event of one
   * evaluation shares its time, so the id breaks the tie). Served by `drift_events_detected_id_idx`.
   */
  async list(
    filter: DriftFilter,
    request: { limit: number; cursor?: string },
  ): Promise<Page<DriftEventView>> {
    const limit = pageSize(request.limit);
    const after = request.cursor === undefined ? null : DRIFT_CURSOR.decode(request.cursor);
    const conditions = new SqlConditions();
    if (filter.kind !== undefined) conditions.add((p) => `d."kind" = ${p(filter.kind)}`);
    if (filter.direction !== undefined) conditions.add((p) => `d."direction" = ${p(filter.direction)}`);
    addResourceScope(
      conditions,
      {
        kinds: oneOf(filter.resourceKind),
        accounts: oneOf(filter.accountAlias),
        accountAliases: filter.accountAliases,
        regions: oneOf(filter.region),
        namePrefix: filter.namePrefix,
      },
      'r',
    );
    if (filter.since !== undefined) conditions.add((p) => `d."detected_at" >= ${p(filter.since)}`);
    if (filter.until !== undefined) conditions.add((p) => `d."detected_at" < ${p(filter.until)}`);
    if (after !== null) {
      conditions.add(
        (p) => `(d."detected_at", d."id") < (${p(after[0])}::timestamptz, ${p(after[1])}::bigint)`,
      );
    }
    const limitParam = conditions.param(limit + 1);
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<DriftRow>(
        `SELECT d."id", d."kind", d."direction", d."detected_at",
           ${cursorTimestampSql('d."detected_at"')} AS "detected_at_text", d."scan_id", d."previous_scan_id",
           d."before", d."after", r."id" AS "resource_id", r."resource_key", r."kind" AS "resource_kind",
           r."account_alias", r."region", r."name"
         FROM "drift_events" d
         JOIN "resources" r ON r."id" = d."resource_id"
         ${conditions.where()}
         ORDER BY d."detected_at" DESC, d."id" DESC
         LIMIT ${limitParam}`,
        conditions.parameters,
      );
      return keysetPage(rows, limit, toDriftEventView, (last) =>
        DRIFT_CURSOR.encode([last.detected_at_text, toSafeInteger(last.id)]),
      );
    });
  }

  /**
   * The resource's latest appearance or disappearance detected at or before `at`: whether it was
   * gone at that instant. Served by `drift_events_resource_detected_idx`.
   */
  async lastPresenceChange(resourceId: number, at: Date): Promise<PresenceChange | null> {
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<{ kind: PresenceChange['kind']; scan_id: number; detected_at: Date }>(
        `SELECT "kind", "scan_id", "detected_at" FROM "drift_events"
         WHERE "resource_id" = $1 AND "detected_at" <= $2 AND "kind" IN ('appeared', 'disappeared')
         ORDER BY "detected_at" DESC, "id" DESC
         LIMIT 1`,
        [resourceId, at],
      );
      return row === undefined ? null : { kind: row.kind, scanId: row.scan_id, detectedAt: row.detected_at };
    });
  }
}

/** A resource appearing or disappearing, as a drift event recorded it. */
export interface PresenceChange {
  readonly kind: 'appeared' | 'disappeared';
  readonly scanId: number;
  readonly detectedAt: Date;
}

function toDriftEventView(row: DriftRow): DriftEventView {
  return {
    id: toSafeInteger(row.id),
    kind: row.kind,
    direction: row.direction,
    detectedAt: row.detected_at,
    scanId: row.scan_id,
    previousScanId: row.previous_scan_id,
    before: row.before,
    after: row.after,
    resource: {
      id: toSafeInteger(row.resource_id),
      kind: row.resource_kind,
      resourceKey: row.resource_key,
      accountAlias: row.account_alias,
      region: row.region,
      name: row.name,
    },
  };
}

import type { ResourceKind } from '@app/audit';
import type { DataSource } from 'typeorm';

import { keysetCursor, keysetPage, type Page, pageSize } from './cursor';
import type { ResourceFilter } from './read-model.types';
import {
  RESOURCE_COLUMNS,
  toResourceRecord,
  type ResourceRecord,
  type ResourceRow,
} from './resource.repository';
import {
  addResourceScope,
  fleetAtJoins,
  GONE_AT_SQL,
  outOfScopeAtSql,
  presentResourceSql,
  SqlConditions,
  STALE_AT_SQL,
  STALE_RESOURCE_SQL,
} from './sql-conditions';
import { withSession } from './sql';

/** The id of the last resource of a page. */
const RESOURCE_CURSOR = keysetCursor('int8');

/** Read side of the resource list: current state from the resources table only, never the history. */
export class ResourceQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Resources matching `filter`, in id order (stable: ids never change), served by the primary key. */
  async list(
    filter: ResourceFilter,
    request: { limit: number; cursor?: string },
  ): Promise<Page<ResourceRecord>> {
    const limit = pageSize(request.limit);
    const after = request.cursor === undefined ? null : RESOURCE_CURSOR.decode(request.cursor)[0];
    if (filter.at !== undefined) return this.listAt(filter, filter.at, limit, after);
    const conditions = new SqlConditions();
    const state = filter.state ?? 'present';
    if (state === 'present') conditions.add(() => presentResourceSql());
    if (state === 'deleted') conditions.add(() => `"deleted_at" IS NOT NULL`);
    if (state === 'out_of_scope') {
      conditions.add(() => `"scope_left_at" IS NOT NULL AND "deleted_at" IS NULL`);
    }
    addResourceScope(conditions, filter);
    if (filter.encryptionClasses !== undefined) {
      conditions.add((p) => `"encryption_class" = ANY(${p(filter.encryptionClasses)}::text[])`);
    }
    if (filter.parentKey !== undefined) {
      conditions.add((p) => `"parent_resource_key" = ${p(filter.parentKey)}`);
    }
    if (filter.stale !== undefined) {
      conditions.add(() => `${filter.stale ? '' : 'NOT '}(${STALE_RESOURCE_SQL})`);
    }
    if (after !== null) conditions.add((p) => `"id" > ${p(after)}::bigint`);
    const limitParam = conditions.param(limit + 1);
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ResourceRow>(
        `SELECT ${RESOURCE_COLUMNS}
         FROM "resources"
         ${conditions.where()}
         ORDER BY "id"
         LIMIT ${limitParam}`,
        conditions.parameters,
      );
      return keysetPage(rows, limit, toResourceRecord, (_row, item) => RESOURCE_CURSOR.encode([item.id]));
    });
  }

  /**
   * The resources a key (an ARN, `oss:{bucket}`) or a name (with a kind, or of any kind) names: a
   * name can repeat across accounts and table buckets. Present ones first, then by id; at most
   * `limit`. Served by `resources_resource_key_key` or `resources_name_id_idx`.
   */
  async lookup(
    by:
      { readonly resourceKey: string } | { readonly name: string; readonly kind?: ResourceKind | undefined },
    limit: number,
  ): Promise<ResourceRecord[]> {
    const conditions = new SqlConditions();
    if ('resourceKey' in by) {
      conditions.add((p) => `"resource_key" = ${p(by.resourceKey)}`);
    } else {
      conditions.add((p) => `"name" = ${p(by.name)}`);
      if (by.kind !== undefined) conditions.add((p) => `"kind" = ${p(by.kind)}`);
    }
    const limitParam = conditions.param(pageSize(limit));
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ResourceRow>(
        `SELECT ${RESOURCE_COLUMNS}
         FROM "resources"
         ${conditions.where()}
         ORDER BY (${presentResourceSql()}) DESC, "id"
         LIMIT ${limitParam}`,
        conditions.parameters,
      );
      return rows.map(toResourceRecord);
    });
  }

  /**
   * The resources as they stood at `at`: first seen by then, their state the observation valid then
   * (the change log), gone or out of scope only if that had happened by then. `lastSeen*` is the last
   * sighting when it was before `at`, else the first sighting of the state valid at `at` (the change
   * log keeps distinct observations, not every sighting). Served per row by
   * `observation_changes_resource_observed_idx` and `drift_events_resource_detected_idx`.
   */
  private async listAt(
    filter: ResourceFilter,
    at: Date,
    limit: number,
    after: number | null,
  ): Promise<Page<ResourceRecord>> {
    const conditions = new SqlConditions([at]);
    conditions.add(() => `r."first_seen_at" <= $1`);
    const state = filter.state ?? 'present';
    if (state === 'present')
      conditions.add(() => `NOT (${GONE_AT_SQL}) IS TRUE AND NOT (${outOfScopeAtSql('$1')}) IS TRUE`);
    if (state === 'deleted') conditions.add(() => GONE_AT_SQL);
    if (state === 'out_of_scope') {
      conditions.add(() => `${outOfScopeAtSql('$1')} AND NOT (${GONE_AT_SQL}) IS TRUE`);
    }
    addResourceScope(conditions, filter, 'r');
    if (filter.encryptionClasses !== undefined) {
      conditions.add((p) => `oc."encryption_class" = ANY(${p(filter.encryptionClasses)}::text[])`);
    }
    if (filter.parentKey !== undefined) {
      conditions.add((p) => `r."parent_resource_key" = ${p(filter.parentKey)}`);
    }
    if (filter.stale !== undefined) {
      conditions.add(() => `${filter.stale ? '' : 'NOT '}(${STALE_AT_SQL})`);
    }
    if (after !== null) conditions.add((p) => `r."id" > ${p(after)}::bigint`);
    const limitParam = conditions.param(limit + 1);
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ResourceRow>(
        `SELECT r."id", r."resource_key", r."kind", r."account_alias", r."region", r."name",
           r."first_seen_scan_id", r."first_seen_at",
           CASE WHEN r."last_seen_at" <= $1 THEN r."last_seen_scan_id" ELSE oc."scan_id" END AS "last_seen_scan_id",
           CASE WHEN r."last_seen_at" <= $1 THEN r."last_seen_at" ELSE oc."observed_at" END AS "last_seen_at",
           CASE WHEN ${GONE_AT_SQL} THEN presence."detected_at" END AS "deleted_at",
           CASE WHEN ${GONE_AT_SQL} THEN presence."scan_id" END AS "deleted_scan_id",
           oc."id" AS "latest_change_id", NULL AS "last_complete_change_id",
           oc."encryption_class", oc."algorithm", oc."kms_key_id", oc."kms_data_encryption", oc."error_code",
           oc."observed_at" AS "state_since", r."parent_resource_key", r."account_id", r."key_resource_key",
           oc."key_facts",
           CASE WHEN ${outOfScopeAtSql('$1')} THEN r."scope_left_scan_id" END AS "scope_left_scan_id",
           CASE WHEN ${outOfScopeAtSql('$1')} THEN r."scope_left_at" END AS "scope_left_at",
           (NOT (${GONE_AT_SQL}) IS TRUE AND NOT (${outOfScopeAtSql('$1')}) IS TRUE AND ${STALE_AT_SQL}) AS "stale"
         FROM "resources" r
         ${fleetAtJoins('$1')}
         ${conditions.where()}
         ORDER BY r."id"
         LIMIT ${limitParam}`,
        conditions.parameters,
      );
      return keysetPage(rows, limit, toResourceRecord, (_row, item) => RESOURCE_CURSOR.encode([item.id]));
    });
  }
}

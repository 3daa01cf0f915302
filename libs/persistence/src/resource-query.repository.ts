import type { DataSource } from 'typeorm';

import { keysetCursor, keysetPage, type Page, pageSize } from './cursor';
import type { ResourceFilter } from './read-model.types';
import {
  RESOURCE_COLUMNS,
  toResourceRecord,
  type ResourceRecord,
  type ResourceRow,
} from './resource.repository';
import { addResourceScope, presentResourceSql, SqlConditions, STALE_RESOURCE_SQL } from './sql-conditions';
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
    const conditions = new SqlConditions();
    const state = filter.state ?? 'present';
    if (state === 'present') conditions.add(() => presentResourceSql());
    if (state === 'deleted') conditions.add(() => `"deleted_at" IS NOT NULL`);
    if (state === 'out_of_scope') {
      conditions.add(() => `"scope_left_at" IS NOT NULL AND "deleted_at" IS NULL`);
    }
    addResourceScope(conditions, filter);
    if (filter.encryptionClass !== undefined) {
      conditions.add((p) => `"encryption_class" = ${p(filter.encryptionClass)}`);
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
}

import type { DataSource } from 'typeorm';

import { MIGRATIONS } from '@app/migrations';
import { withSession } from './sql';

/**
 * Whether the database has the schema this build expects. Read-only (unlike TypeORM's
 * `showMigrations`, which creates the migrations table when it is missing), so readiness probes
 * can ask it as often as they like.
 */
export class SchemaStatusRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Names of the migrations of this build not applied to the database, oldest first. */
  async pendingMigrations(): Promise<string[]> {
    const applied = await withSession(this.dataSource, async (sql) => {
      const [table] = await sql.rows<{ exists: boolean }>(
        `SELECT to_regclass('typeorm_migrations') IS NOT NULL AS "exists"`,
      );
      if (table?.exists !== true) {
        return new Set<string>();
      }
      const rows = await sql.rows<{ name: string }>(`SELECT "name" FROM "typeorm_migrations"`);
      return new Set(rows.map((row) => row.name));
    });
    return MIGRATIONS.map((migration) => new migration().name).filter((name) => !applied.has(name));
  }
}

import type { DataSource } from 'typeorm';

import { MIGRATIONS } from '@app/migrations';

import { createDataSource } from './data-source';
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

/**
 * The database lacks migrations of this build: a process that needs the schema refuses to start.
 * (Not a `PersistenceError`: no request can meet it, only a start.)
 */
export class SchemaNotMigratedError extends Error {
  override readonly name = 'SchemaNotMigratedError';

  constructor(readonly pending: readonly string[]) {
    super(schemaNotMigratedMessage(pending));
  }
}

/**
 * What a process that needs the schema says when the database lacks migrations of this build:
 * how many, which (the first few), and the command that applies them.
 */
export function schemaNotMigratedMessage(pending: readonly string[]): string {
  const shown = pending.slice(0, 3).join(', ') + (pending.length > 3 ? ', ...' : '');
  return (
    `The database is not migrated: ${pending.length.toString()} of ${MIGRATIONS.length.toString()} migrations ` +
    `of this build are not applied (${shown}). Run \`npm run migrate\` first ` +
    `(compiled build: \`node dist/libs/persistence/src/migrate.cli.js\`).`
  );
}

/**
 * Checks, read-only, that the database at `url` has every migration of this build, before a
 * process creates anything in it (pg-boss creates its own schema when it starts). Throws
 * `SchemaNotMigratedError`, whose message says to run `npm run migrate`.
 */
export async function assertDatabaseMigrated(url: string): Promise<void> {
  const dataSource = await createDataSource({ url, poolSize: 1 }).initialize();
  try {
    const pending = await new SchemaStatusRepository(dataSource).pendingMigrations();
    if (pending.length > 0) {
      throw new SchemaNotMigratedError(pending);
    }
  } finally {
    await dataSource.destroy();
  }
}

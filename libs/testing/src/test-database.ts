import { randomBytes } from 'node:crypto';

import { createDataSource, runMigrations } from '@app/persistence';
import type { DataSource } from 'typeorm';

import { runOnServer, TEST_POSTGRES_URL_ENV } from './postgres-server';

/** A database of its own for one test file. */
export interface TestDatabase {
  readonly url: string;
  /** Initialised; migrations applied unless `migrate: false`. */
  readonly dataSource: DataSource;
  /** Empties every table (schema, partitions and applied migrations stay), restarting id sequences. */
  truncate(): Promise<void>;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply the migrations (default true); false gives an empty database, for migration tests. */
  readonly migrate?: boolean;
  readonly poolSize?: number;
}

/**
 * Creates a fresh, uniquely named database on the server the jest global setup chose (env
 * SEED_TEST_POSTGRES_URL), applies the migrations and returns an initialised DataSource on it.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = process.env[TEST_POSTGRES_URL_ENV];
  if (serverUrl === undefined || serverUrl === '') {
    throw new Error(`${TEST_POSTGRES_URL_ENV} is not set: run integration tests through jest's global setup`);
  }
  const name = `seed_test_${process.pid.toString()}_${randomBytes(6).toString('hex')}`;
  await runOnServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), poolSize: options.poolSize ?? 12 });
  try {
    await dataSource.initialize();
    if (options.migrate ?? true) {
      await runMigrations(dataSource);
    }
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    await runOnServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    throw error;
  }
  return {
    url: url.toString(),
    dataSource,
    truncate: async () => {
      const tables = await dataSource.query<{ name: string }[]>(
        `SELECT quote_ident(c.relname) AS "name" FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND c.relname <> 'typeorm_migrations'`,
      );
      if (tables.length > 0) {
        await dataSource.query(
          `TRUNCATE ${tables.map((table) => table.name).join(', ')} RESTART IDENTITY CASCADE`,
        );
      }
    },
    drop: async () => {
      if (dataSource.isInitialized) {
        await dataSource.destroy();
      }
      await runOnServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

import { DataSource, type LoggerOptions } from 'typeorm';

import { MIGRATIONS } from '@app/migrations';

export interface DataSourceSettings {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Connections in the pool; docs/operations.md budgets 10 per replica. */
  readonly poolSize?: number;
  readonly logging?: LoggerOptions;
}

/** How long opening one connection may take. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The TypeORM DataSource of the auditor's Postgres database, not yet initialised. The migrations
 * are the schema: nothing is synchronised and nothing runs implicitly.
 */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    poolSize: settings.poolSize ?? 10,
    // A database that does not answer (a partition, not a refusal) fails a connection attempt in
    // bounded time instead of holding the caller forever; keep-alive finds dead idle connections.
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    extra: { keepAlive: true },
    logging: settings.logging ?? false,
    // No entities: every query is SQL (set-based writes, keyset reads); schema/tables.ts types the rows.
    entities: [],
    migrations: [...MIGRATIONS],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    applicationName: 'seed',
  });
}

/** Applies the pending migrations, each in its own transaction; returns the names applied, in order. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}

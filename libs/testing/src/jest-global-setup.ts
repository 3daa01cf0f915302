import { startEmbeddedPostgres, type RunningPostgres } from '../../persistence/src/embedded-postgres';
import { canConnect, MACHINE_POSTGRES_URL, TEST_POSTGRES_URL_ENV } from './postgres-server';

declare global {
  var seedEmbeddedPostgres: RunningPostgres | undefined;
}

/**
 * Picks the PostgreSQL server for integration and e2e tests: `DATABASE_URL` when set, else the
 * machine's server on 127.0.0.1:5432, else an embedded server started for this run. Each test
 * file then creates its own database on it (see `createTestDatabase`).
 */
export default async function globalSetup(): Promise<void> {
  const candidates = [process.env.DATABASE_URL, MACHINE_POSTGRES_URL].filter(
    (url): url is string => url !== undefined && url !== '',
  );
  for (const url of candidates) {
    if (await canConnect(url)) {
      process.env[TEST_POSTGRES_URL_ENV] = url;
      return;
    }
  }
  globalThis.seedEmbeddedPostgres = await startEmbeddedPostgres();
  process.env[TEST_POSTGRES_URL_ENV] = globalThis.seedEmbeddedPostgres.url;
}

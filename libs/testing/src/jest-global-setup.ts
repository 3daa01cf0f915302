// Jest runs its global setup outside the module mapper: the path aliases come from tsconfig.json.
import 'tsconfig-paths/register';

import { choosePostgresServer, TEST_POSTGRES_URL_ENV, type PostgresServer } from './postgres-server';

declare global {
  var seedPostgresServer: PostgresServer | undefined;
}

/**
 * Picks the PostgreSQL server for integration and e2e tests (see `choosePostgresServer`); each
 * test file then creates its own database on it (see `createTestDatabase`).
 */
export default async function globalSetup(): Promise<void> {
  globalThis.seedPostgresServer = await choosePostgresServer();
  process.env[TEST_POSTGRES_URL_ENV] = globalThis.seedPostgresServer.url;
}

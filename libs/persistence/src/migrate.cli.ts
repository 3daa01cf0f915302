import { loadDatabaseUrl } from '@app/config';
import { failureReport, readCommandLine } from '@app/entrypoint';

import { createDataSource, runMigrations } from './data-source';

const MIGRATE_COMMAND = {
  help: `Usage: npm run migrate

Applies the pending schema migrations (forward-only, each in its own transaction) to the database
at DATABASE_URL, and prints the names applied. Run it before starting a new version of the worker
or the API: they refuse to start on a database that lacks migrations.
Exit code: 0 done (or nothing pending), 1 a migration failed (rolled back), 2 DATABASE_URL unusable.

Options:
  -h, --help  this help`,
  options: {},
} as const;

/**
 * `npm run migrate`: applies pending migrations to the database at DATABASE_URL and prints the
 * names applied. Exit code 1 on failure (the failing migration's transaction is rolled back).
 */
async function main(): Promise<number> {
  const command = readCommandLine(MIGRATE_COMMAND);
  if (!command.run) return command.exitCode;
  let url: string;
  try {
    url = loadDatabaseUrl().reveal();
  } catch (error) {
    process.stderr.write(failureReport('migrate', error));
    return 2;
  }
  const dataSource = await createDataSource({ url, poolSize: 1 }).initialize();
  try {
    const applied = await runMigrations(dataSource);
    process.stdout.write(
      applied.length === 0 ? 'No pending migrations\n' : applied.map((name) => `Applied ${name}\n`).join(''),
    );
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only the message: the error of a failed connection can echo the connection string.
    process.stderr.write(failureReport('migrate', error));
    process.exitCode = 1;
  },
);

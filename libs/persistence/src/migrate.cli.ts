import { createDataSource, runMigrations } from './data-source';

/**
 * `npm run migrate`: applies pending migrations to the database at DATABASE_URL and prints the
 * names applied. Exit code 1 on failure (the failing migration's transaction is rolled back).
 */
async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (url === undefined || url === '') {
    process.stderr.write('DATABASE_URL is not set\n');
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
    process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

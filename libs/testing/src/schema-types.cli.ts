import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { readCommandLine } from '@app/entrypoint';
import { createDataSource, generateSchemaTypes, runMigrations } from '@app/persistence';

import { choosePostgresServer, runOnServer } from './postgres-server';

/** Where the generated row types live. */
export const SCHEMA_TYPES_FILE = join(__dirname, '../../persistence/src/schema/tables.ts');

/**
 * `npm run schema:types`: migrates a scratch database (the machine's PostgreSQL, DATABASE_URL's
 * server, or an embedded one), generates the row types from it and writes them to
 * libs/persistence/src/schema/tables.ts. Run it after adding a migration.
 */
const SCHEMA_TYPES_COMMAND = {
  help: `Usage: npm run schema:types

Migrates a scratch database (on the machine's PostgreSQL, DATABASE_URL's server, or an embedded
one), generates the row types from it into libs/persistence/src/schema/tables.ts, and drops it.
Run it after adding a migration.

Options:
  -h, --help  this help`,
  options: {},
} as const;

async function main(): Promise<void> {
  const command = readCommandLine(SCHEMA_TYPES_COMMAND);
  if (!command.run) {
    process.exitCode = command.exitCode;
    return;
  }
  const server = await choosePostgresServer();
  const name = `seed_schema_${randomBytes(6).toString('hex')}`;
  await runOnServer(server.url, `CREATE DATABASE "${name}"`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), poolSize: 1 });
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
    writeFileSync(SCHEMA_TYPES_FILE, await generateSchemaTypes(dataSource));
    process.stdout.write(`Wrote ${SCHEMA_TYPES_FILE}\n`);
  } finally {
    await dataSource.destroy();
    await runOnServer(server.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`schema:types failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

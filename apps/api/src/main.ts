import 'reflect-metadata';

import { loadAuditConfig } from '@app/config';
import { failureReport, readCommandLine } from '@app/entrypoint';
import { assertDatabaseMigrated } from '@app/persistence';

import { createApiApplication } from './api-application';
import { scannerStarter } from './scans/scanner-starter';

const API_COMMAND = {
  help: `Usage: npm run api -- [--config <file>]

The REST API on api.port: findings, drift, resources and their history, scans (POST /v1/scans
starts one), summary; /healthz, /readyz, /metrics, OpenAPI at /openapi.json and /docs. Every /v1
route needs an API key (npm run api-key -- create). It first checks that the database is migrated
(npm run migrate). SIGTERM or Ctrl-C: stops accepting connections, answers those in flight.

Options:
  --config <file>  the configuration file (default: $AUDIT_CONFIG, else ./audit.config.yaml)
  -h, --help       this help`,
  options: { config: { type: 'string' } },
} as const;

/** Starts the API server; resolves to an exit code when it ends at once (help, usage error). */
async function main(): Promise<number | null> {
  const command = readCommandLine(API_COMMAND);
  if (!command.run) return command.exitCode;
  // Outside Nest, so a wrong key or an unmigrated database is one clean message, not a stack.
  const config = loadAuditConfig(command.values.config === undefined ? {} : { path: command.values.config });
  await assertDatabaseMigrated(config.database.url.reveal());
  const app = await createApiApplication({ scanStarter: scannerStarter, config: { config } });
  // SIGTERM: stop accepting connections, finish the requests in flight, close pools, exit 0.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  await app.listen(config.api.port);
  return null;
}

main().then(
  (exitCode) => {
    if (exitCode !== null) process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(failureReport('api', error));
    process.exit(1);
  },
);

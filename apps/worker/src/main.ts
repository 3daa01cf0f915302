import 'reflect-metadata';

import { loadAuditConfig } from '@app/config';
import { boundHeapGrowth, failureReport, readCommandLine } from '@app/entrypoint';
import { assertDatabaseMigrated } from '@app/persistence';
import { assertExceptionsFileValid } from '@app/scanner';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { WorkerModule } from './worker.module';

const WORKER_COMMAND = {
  help: `Usage: npm run worker -- [--config <file>]

The worker: starts the scheduled scans (schedule.cron), runs scan jobs (any number of replicas share
each scan), applies retention once a day, delivers alerts, and serves GET /metrics on
worker.metricsPort. It first checks that the database is migrated (npm run migrate).
SIGTERM or Ctrl-C: stops taking jobs and lets those in flight finish (up to 30 s).

Options:
  --config <file>  the configuration file (default: $AUDIT_CONFIG, else ./audit.config.yaml)
  -h, --help       this help`,
  options: { config: { type: 'string' } },
} as const;

/** Starts the worker; resolves to an exit code when it ends at once (help, usage error). */
async function main(): Promise<number | null> {
  const command = readCommandLine(WORKER_COMMAND);
  if (!command.run) return command.exitCode;
  boundHeapGrowth();
  // Outside Nest, so a wrong key or an unmigrated database is one clean message, not a stack.
  const config = loadAuditConfig(command.values.config === undefined ? {} : { path: command.values.config });
  await assertExceptionsFileValid(config, command.values.config ?? 'configuration');
  await assertDatabaseMigrated(config.database.url.reveal());
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
    // A failed start is reported below, once; Nest's own report of it (a stack) stays buffered.
    autoFlushLogs: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  // SIGTERM/SIGINT: stop fetching jobs, drain the ones in flight, close pools.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  return null;
}

main().then(
  (exitCode) => {
    if (exitCode !== null) process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(failureReport('worker', error));
    process.exit(1);
  },
);

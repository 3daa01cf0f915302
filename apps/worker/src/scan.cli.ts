import 'reflect-metadata';

import { AlertDispatcher, AlertingMetrics, createAlertHttpDispatcher } from '@app/alerting';
import { loadAuditConfig, type AuditConfig } from '@app/config';
import { boundHeapGrowth, failureReport, readCommandLine } from '@app/entrypoint';
import { AlertDeliveryRepository, assertDatabaseMigrated, createDataSource } from '@app/persistence';
import { assertExceptionsFileValid, ScanRuntime } from '@app/scanner';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

import { runScanWithProgress } from './scan-runner';
import { formatScanSummary, scanExitCode } from './scan-summary';

const SCAN_COMMAND = {
  help: `Usage: npm run scan -- [--config <file>]

Runs one scan to its end in this process (worker replicas may help), showing its progress, then
prints its summary with every scope's coverage and every problem met (code, HTTP status, message,
endpoint host, request id), and delivers its alerts once.

Exit code: 0 succeeded; 1 partial (a scope or a resource could not be read: its problems are
printed); 3 failed (nothing could be listed or read: the reason is printed); 2 could not run (a
wrong configuration, an unmigrated database: run npm run migrate).

Options:
  --config <file>  the configuration file (default: $AUDIT_CONFIG, else ./audit.config.yaml)
  -h, --help       this help`,
  options: { config: { type: 'string' } },
} as const;

/**
 * `npm run scan -- [--config <file>]`: runs one scan to completion in this process (other worker
 * replicas may help), prints its progress and summary, and exits by its status (`scanExitCode`),
 * or 2 when it could not run at all.
 */
async function main(): Promise<number> {
  const command = readCommandLine(SCAN_COMMAND);
  if (!command.run) return command.exitCode;
  boundHeapGrowth();
  const { values } = command;
  const config = loadAuditConfig(values.config === undefined ? {} : { path: values.config });
  await assertExceptionsFileValid(config, values.config ?? 'configuration');
  await assertDatabaseMigrated(config.database.url.reveal());
  const dataSource = await createDataSource({
    url: config.database.url.reveal(),
    poolSize: config.database.poolSize,
  }).initialize();
  const runtime = new ScanRuntime({
    config,
    dataSource,
    onJobError: (error) => {
      console.error(`job engine: ${error.message}`);
    },
  });
  try {
    const progress = { isTTY: process.stdout.isTTY, write: (text: string) => process.stdout.write(text) };
    const scan = await runScanWithProgress(runtime, dataSource, progress, 'cli');
    console.log(formatScanSummary(scan));
    await deliverAlerts(config, dataSource);
    return scanExitCode(scan.status);
  } finally {
    await runtime.close();
    await dataSource.destroy();
  }
}

/**
 * One round of alert delivery, so a scan run without a worker still pages people; what fails here
 * stays in the outbox for the worker's dispatcher to retry.
 */
async function deliverAlerts(config: AuditConfig, dataSource: DataSource): Promise<void> {
  if (config.alerts.channels.length === 0) return;
  const http = createAlertHttpDispatcher();
  try {
    const report = await new AlertDispatcher({
      repository: new AlertDeliveryRepository(dataSource),
      config,
      http,
      metrics: new AlertingMetrics(new Registry()),
      logger: {
        log: () => undefined,
        warn: (message) => {
          console.warn(String(message));
        },
        error: (message) => {
          console.error(String(message));
        },
      },
    }).runOnce();
    console.log(
      `  alerts: ${report.delivered.toString()} digest(s) delivered, ${report.retried.toString()} to retry, ${report.failed.toString()} failed`,
    );
  } finally {
    await http.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(failureReport('scan', error));
    process.exit(2);
  },
);

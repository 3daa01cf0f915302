import 'reflect-metadata';

import { parseArgs } from 'node:util';

import { AlertDispatcher, AlertingMetrics, createAlertHttpDispatcher } from '@app/alerting';
import { loadAuditConfig, type AuditConfig } from '@app/config';
import { AlertDeliveryRepository, createDataSource } from '@app/persistence';
import { ScanRuntime } from '@app/scanner';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

import { formatScanSummary } from './scan-summary';

/**
 * `npm run scan -- [--config <file>]`: runs one scan to completion in this process (other worker
 * replicas may help), prints its summary, and exits 0 only when the scan succeeded: 1 when it is
 * partial or failed, 2 when it could not run at all.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  const config = loadAuditConfig(values.config === undefined ? {} : { path: values.config });
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
    const scan = await runtime.runScan('cli');
    console.log(formatScanSummary(scan));
    await deliverAlerts(config, dataSource);
    return scan.status === 'succeeded' ? 0 : 1;
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
    console.error(`scan failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);

import { type AuditConfig, AUDIT_CONFIG } from '@app/config';
import { ScanStarterRuntime } from '@app/scanner';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { ScanStarterFactory } from '../api.module';
import type { ScanStarter } from './scan-starter';

/** Time the job engine gets to close its connections when the API shuts down. */
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * `POST /v1/scans` through the scanner's starter: it records the scan and queues its jobs for the
 * workers, over the job engine alone (no cloud credentials, no HTTP agents in the API).
 */
export const scannerStarter: ScanStarterFactory = {
  inject: [AUDIT_CONFIG, DataSource],
  useFactory: async (
    config: AuditConfig,
    dataSource: DataSource,
  ): Promise<ScanStarter & OnApplicationShutdown> => {
    const logger = new Logger('ScanStarter');
    const runtime = new ScanStarterRuntime({
      config,
      dataSource,
      // The workers log the rest of the scan's life; its start is logged where it happens.
      onScanEvent: (event) => {
        if (event.type === 'scan_started') {
          logger.log(
            `scan ${event.scanId.toString()} started (${event.trigger}): ${event.scopes.toString()} listing scope(s)`,
          );
        }
      },
    });
    await runtime.connect();
    return {
      startScan: (trigger) => runtime.startScan(trigger),
      onApplicationShutdown: () => runtime.close(CLOSE_TIMEOUT_MS),
    };
  },
};

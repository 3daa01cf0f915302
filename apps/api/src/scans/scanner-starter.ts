import { type AuditConfig, AUDIT_CONFIG } from '@app/config';
import { ScanRuntime } from '@app/scanner';
import type { OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { ScanStarterFactory } from '../api.module';
import type { ScanStarter } from './scan-starter';

/** Time the job engine gets to close its connections when the API shuts down. */
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * `POST /v1/scans` through the scanner: a `ScanRuntime` connected to the job engine without
 * consuming, whose coordinator records the scan and queues its jobs for the workers.
 */
export const scannerStarter: ScanStarterFactory = {
  inject: [AUDIT_CONFIG, DataSource],
  useFactory: async (
    config: AuditConfig,
    dataSource: DataSource,
  ): Promise<ScanStarter & OnApplicationShutdown> => {
    const runtime = new ScanRuntime({ config, dataSource });
    await runtime.connect();
    return {
      startScan: (trigger) => runtime.coordinator.startScan(trigger),
      onApplicationShutdown: () => runtime.close(CLOSE_TIMEOUT_MS),
    };
  },
};

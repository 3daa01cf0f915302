import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectAuditConfig, type AuditConfig } from '@app/config';
import { ScanRuntime } from '@app/scanner';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';

/** How long a stopping worker lets its jobs in flight finish before it exits anyway. */
export const SHUTDOWN_DRAIN_MS = 30_000;

/**
 * The worker's share of scans: consumes scan jobs from bootstrap to shutdown. On SIGTERM it stops
 * fetching and lets the jobs in flight finish (graceful drain); a job cut off anyway is handed to
 * another replica when it expires.
 */
@Injectable()
export class WorkerScanRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runtime: ScanRuntime;

  constructor(
    @InjectAuditConfig() config: AuditConfig,
    dataSource: DataSource,
    @InjectPinoLogger(WorkerScanRuntime.name) private readonly logger: PinoLogger,
  ) {
    this.runtime = new ScanRuntime({
      config,
      dataSource,
      onJobError: (error) => {
        this.logger.error({ err: error }, 'scan job engine error');
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.startConsuming();
    this.logger.info('consuming scan jobs');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close(SHUTDOWN_DRAIN_MS);
  }
}

import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectAuditConfig, type AuditConfig } from '@app/config';
import { JobQueueError, ScanRuntime } from '@app/scanner';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';

import { scanEventLine } from './scan-event-log';
import { ThrottledErrorLog } from './throttled-error-log';
import { WorkerTelemetry } from './worker-telemetry';

/** How long a stopping worker lets its jobs in flight finish before it exits anyway. */
export const SHUTDOWN_DRAIN_MS = 30_000;

/**
 * The worker's share of scans: consumes scan jobs from bootstrap to shutdown. On SIGTERM it stops
 * fetching and lets the jobs in flight finish (graceful drain); a job cut off anyway is handed to
 * another replica when it expires.
 */
@Injectable()
export class WorkerScanRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runtime: ScanRuntime;

  constructor(
    @InjectAuditConfig() config: AuditConfig,
    dataSource: DataSource,
    telemetry: WorkerTelemetry,
    @InjectPinoLogger(WorkerScanRuntime.name) private readonly logger: PinoLogger,
  ) {
    // While the database is away every loop fails every few seconds: one line per kind a minute.
    const errors = new ThrottledErrorLog((fields, message) => {
      this.logger.error(fields, message);
    });
    this.runtime = new ScanRuntime({
      config,
      dataSource,
      onJobError: (error) => {
        const operation = error instanceof JobQueueError ? error.operation : 'job engine';
        telemetry.jobEngineErrors.inc({ operation });
        errors.report(operation, error, `scan job engine: ${operation} failed`);
      },
      onScanEvent: (event) => {
        const line = scanEventLine(event);
        this.logger[line.level](line.fields, line.message);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.startConsuming();
    this.logger.info('consuming scan jobs');
  }

  // Before the pools close (their modules close them on application shutdown).
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info(
      { signal, drainSeconds: SHUTDOWN_DRAIN_MS / 1000 },
      `${signal ?? 'shutdown'} received: taking no new jobs, letting those in flight finish`,
    );
    const { inFlight, handedBack } = await this.runtime.close(SHUTDOWN_DRAIN_MS);
    this.logger.info(
      { inFlight, handedBack },
      handedBack === 0
        ? 'scan jobs drained'
        : 'drain deadline reached: the jobs still running are handed back to other replicas',
    );
  }
}

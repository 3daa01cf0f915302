import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertingModule } from '@app/alerting';
import { AuditConfigModule, type AuditConfig } from '@app/config';
import { logFormat } from '@app/entrypoint';
import { PersistenceModule } from '@app/persistence';
import { LoggerModule } from 'nestjs-pino';

import { ProcessSafetyNet } from './process-safety-net';
import { RetentionScheduler } from './retention-scheduler';
import { ScanScheduler } from './scan-scheduler';
import { WorkerScanRuntime } from './scan-runtime.provider';
import { WorkerMetrics } from './worker-metrics';
import { WorkerTelemetry } from './worker-telemetry';

/**
 * The worker: cron, scan job consumers, daily retention and alert delivery; no HTTP API but its
 * metrics endpoint.
 * The logic lives in the libraries.
 */
@Module({})
export class WorkerModule {
  /** The worker over a configuration its entry point has already loaded (and validated). */
  static forRoot(config: AuditConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AuditConfigModule.forRoot({ config }),
        // Readable lines on a terminal, JSON with ISO timestamps otherwise.
        LoggerModule.forRoot({ pinoHttp: logFormat({ level: config.logging.level, name: 'seed-worker' }) }),
        PersistenceModule.forRoot({ url: config.database.url.reveal(), poolSize: config.database.poolSize }),
        ScheduleModule.forRoot(),
        // Delivers the alert outbox the scans write: polled by every replica, SKIP LOCKED.
        AlertingModule.forRoot(),
      ],
      providers: [
        WorkerTelemetry,
        ProcessSafetyNet,
        WorkerScanRuntime,
        ScanScheduler,
        RetentionScheduler,
        WorkerMetrics,
      ],
    };
  }
}

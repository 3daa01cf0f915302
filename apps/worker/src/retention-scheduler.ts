import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { RetentionRun } from '@app/scanner';
import { CronJob } from 'cron';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';

import { WorkerScanRuntime } from './scan-runtime.provider';
import { WorkerTelemetry } from './worker-telemetry';

const RETENTION_JOB = 'retention';
/**
 * Every hour at :30 UTC, every replica asks for the day's retention run; the job queue sends one
 * per UTC day (the first tick of the day, 00:30 on a healthy fleet; a later one if every replica
 * was down then), and one replica runs it.
 */
export const RETENTION_CRON = '30 * * * *';

/**
 * Applies `retention.historyMonths` and `retention.scanRecordsDays` once a day: arms the hourly
 * request and runs the retention jobs on this replica, with a log line and metrics per run.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly worker: WorkerScanRuntime,
    private readonly telemetry: WorkerTelemetry,
    @InjectPinoLogger(RetentionScheduler.name) private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.worker.runtime.consumeRetention((run) => {
      this.applied(run);
    });
    const job = CronJob.from({
      cronTime: RETENTION_CRON,
      timeZone: 'UTC',
      onTick: () => {
        void this.request();
      },
    });
    this.registry.addCronJob(RETENTION_JOB, job);
    job.start();
  }

  private async request(): Promise<void> {
    try {
      if (await this.worker.runtime.requestRetention())
        this.logger.info('retention run of the day requested');
    } catch (error) {
      // The next hour's tick asks again.
      this.logger.error({ err: error }, 'could not request the retention run');
    }
  }

  private applied(run: RetentionRun): void {
    this.telemetry.retentionApplied(run);
    this.logger.info(
      {
        historyMonths: run.historyMonths,
        scanRecordsDays: run.scanRecordsDays,
        historyPartitionsDropped: run.historyPartitionsDropped,
        scanRecordsDeleted: run.scanRecordsDeleted,
        controlResultsDeleted: run.controlResultsDeleted,
      },
      'retention applied',
    );
  }
}

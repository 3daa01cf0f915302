import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectAuditConfig, type AuditConfig } from '@app/config';
import { CronJob } from 'cron';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';

import { WorkerScanRuntime } from './scan-runtime.provider';

const NIGHTLY_SCAN_JOB = 'scheduled-scan';

/**
 * Arms the configured cron on every replica; each tick asks for the scan of its slot (the firing
 * minute), and the database lets exactly one replica create it. The schedule comes from the
 * configuration, so the job is registered at bootstrap rather than with a `@Cron` decorator.
 */
@Injectable()
export class ScanScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectAuditConfig() private readonly config: AuditConfig,
    private readonly registry: SchedulerRegistry,
    private readonly worker: WorkerScanRuntime,
    @InjectPinoLogger(ScanScheduler.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    const { schedule } = this.config;
    if (!schedule.enabled) return;
    const job = CronJob.from({
      cronTime: schedule.cron,
      timeZone: schedule.timeZone,
      onTick: () => {
        void this.startSlot(scheduleSlot(new Date()));
      },
    });
    this.registry.addCronJob(NIGHTLY_SCAN_JOB, job);
    job.start();
    this.logger.info({ cron: schedule.cron, timeZone: schedule.timeZone }, 'scan schedule armed');
  }

  private async startSlot(slot: Date): Promise<void> {
    try {
      const { scan, created } = await this.worker.runtime.startScan('schedule', slot);
      this.logger.info(
        { scanId: scan.id, slot: slot.toISOString(), created },
        created ? 'scan started' : 'scan already started',
      );
    } catch (error) {
      this.logger.error({ err: error, slot: slot.toISOString() }, 'could not start the scheduled scan');
    }
  }
}

/** The slot a tick belongs to: its minute, so replicas whose timers fire a few ms apart agree. */
export function scheduleSlot(firedAt: Date): Date {
  return new Date(Math.round(firedAt.getTime() / 60_000) * 60_000);
}

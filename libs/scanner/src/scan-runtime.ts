import { DEFAULT_SCAN_JOBS, type AuditConfig } from '@app/config';
import type { ResourceManagerClient } from '@app/cloud-client';
import {
  AccountRepository,
  AdvisoryLockRepository,
  EvaluationRepository,
  ExceptionRepository,
  HistoryMaintenanceRepository,
  ObservationRepository,
  ScanRepository,
  ScanTaskRepository,
  type ScanRecord,
  type ScanTrigger,
} from '@app/persistence';
import { setTimeout as delay } from 'node:timers/promises';
import type { DataSource } from 'typeorm';

import { AccountClientRegistry, standaloneResourceManager } from './account-client-registry';
import { JobQueue, SCAN_QUEUES, type DrainOutcome, type JobQueueOptions } from './job-queue';
import { ScanCoordinator } from './scan-coordinator';
import { IGNORE_SCAN_EVENTS, type ScanEventListener } from './scan-events';
import { applyRetention, type RetentionRun } from './retention';
import { ScanStarter, type EvaluateJob, type TaskJob } from './scan-starter';

/** Job engine settings; the defaults follow docs/operations.md. */
export type ScanJobSettings = Omit<JobQueueOptions, 'connectionString' | 'exclusiveSetup'> & {
  /** Audit jobs this process runs at once (each is one account's batch). */
  readonly auditConcurrency: number;
  readonly enumerateConcurrency: number;
};

export const DEFAULT_SCAN_JOB_SETTINGS: ScanJobSettings = { maxConnections: 5, ...DEFAULT_SCAN_JOBS };

/** Retention runs once per this slot: a UTC day (pg-boss aligns singleton slots on the epoch). */
const RETENTION_SLOT_SECONDS = 86_400;

/** What starting scans needs: the database, the job engine and the scan plan of the configuration. */
export interface ScanStarterRuntimeOptions {
  readonly config: AuditConfig;
  readonly dataSource: DataSource;
  /** Overrides of the configuration's `scan.jobs` (and of the pool size the file does not set). */
  readonly jobs?: Partial<ScanJobSettings>;
  /** Told about job engine errors (the worker logs them). */
  readonly onJobError?: (error: Error) => void;
  /** Told about scan lifecycle events (the worker logs them). */
  readonly onScanEvent?: ScanEventListener;
}

export interface ScanRuntimeOptions extends ScanStarterRuntimeOptions {
  readonly now?: () => Date;
}

function jobQueueFor(options: ScanStarterRuntimeOptions, jobs: ScanJobSettings): JobQueue {
  const locks = new AdvisoryLockRepository(options.dataSource);
  return new JobQueue({
    ...jobs,
    connectionString: options.config.database.url.reveal(),
    exclusiveSetup: (setup) => locks.runExclusive('queueSetup', 'scan queues', setup),
  });
}

/**
 * A process that only starts scans (the API): the job engine, connected without consuming, and a
 * `ScanStarter`. It holds no audited account's credentials: with an organisation, only the
 * management account's Resource Manager client, to discover the members a scan plans.
 */
export class ScanStarterRuntime {
  private readonly queue: JobQueue;
  private readonly starter: ScanStarter;
  private readonly resourceManager: ResourceManagerClient | null;

  constructor(private readonly options: ScanStarterRuntimeOptions) {
    const jobs = { ...DEFAULT_SCAN_JOB_SETTINGS, ...options.config.scan.jobs, ...options.jobs };
    this.queue = jobQueueFor(options, jobs);
    this.resourceManager = standaloneResourceManager(options.config);
    this.starter = new ScanStarter({
      config: options.config,
      scans: new ScanRepository(options.dataSource),
      tasks: new ScanTaskRepository(options.dataSource),
      accounts: new AccountRepository(options.dataSource),
      resourceManager: this.resourceManager,
      queue: this.queue,
      events: options.onScanEvent ?? IGNORE_SCAN_EVENTS,
    });
  }

  async connect(): Promise<void> {
    await this.queue.start(this.options.onJobError ?? (() => undefined));
  }

  /** Starts a scan (or joins the one running, or the one of this cron slot): see `ScanStarter`. */
  startScan(trigger: ScanTrigger, scheduleSlot?: Date): Promise<{ scan: ScanRecord; created: boolean }> {
    return this.starter.startScan(trigger, scheduleSlot);
  }

  async close(drainMs = 5_000): Promise<void> {
    await this.queue.stop(drainMs);
    await this.resourceManager?.close();
  }
}

/**
 * Everything a process needs to take part in scans: the account clients, the job queue, the
 * starter and the coordinator. The worker, the `scan` CLI, the demo and the tests build this.
 */
export class ScanRuntime {
  readonly coordinator: ScanCoordinator;
  private readonly starter: ScanStarter;
  private readonly queue: JobQueue;
  private readonly clients: AccountClientRegistry;
  private readonly scans: ScanRepository;
  private readonly jobs: ScanJobSettings;
  private consuming = false;

  constructor(private readonly options: ScanRuntimeOptions) {
    this.jobs = { ...DEFAULT_SCAN_JOB_SETTINGS, ...options.config.scan.jobs, ...options.jobs };
    this.queue = jobQueueFor(options, this.jobs);
    this.clients = new AccountClientRegistry(options.config);
    this.scans = new ScanRepository(options.dataSource);
    const tasks = new ScanTaskRepository(options.dataSource);
    const accounts = new AccountRepository(options.dataSource);
    const events = options.onScanEvent ?? IGNORE_SCAN_EVENTS;
    this.starter = new ScanStarter({
      config: options.config,
      scans: this.scans,
      tasks,
      accounts,
      resourceManager: this.clients.resourceManager,
      queue: this.queue,
      events,
    });
    this.coordinator = new ScanCoordinator({
      config: options.config,
      clients: this.clients,
      scans: this.scans,
      tasks,
      observations: new ObservationRepository(options.dataSource),
      evaluation: new EvaluationRepository(options.dataSource),
      exceptions: new ExceptionRepository(options.dataSource),
      accounts,
      locks: new AdvisoryLockRepository(options.dataSource),
      queue: this.queue,
      now: options.now ?? (() => new Date()),
      events,
    });
  }

  /** Starts the job engine without consuming (enough to start scans). */
  async connect(): Promise<void> {
    await this.queue.start(this.options.onJobError ?? (() => undefined));
  }

  /** Starts a scan (or joins the one running, or the one of this cron slot): see `ScanStarter`. */
  async startScan(
    trigger: ScanTrigger,
    scheduleSlot?: Date,
  ): Promise<{ scan: ScanRecord; created: boolean }> {
    await this.connect();
    return this.starter.startScan(trigger, scheduleSlot);
  }

  /** Starts consuming scan jobs in this process, then re-queues work a crash may have stranded. */
  async startConsuming(): Promise<void> {
    if (this.consuming) return;
    await this.connect();
    this.consuming = true;
    this.queue.consume<TaskJob>(SCAN_QUEUES.enumerate, this.jobs.enumerateConcurrency, (job) =>
      this.coordinator.enumerate(job),
    );
    this.queue.consume<TaskJob>(SCAN_QUEUES.audit, this.jobs.auditConcurrency, (job) =>
      this.coordinator.audit(job),
    );
    this.queue.consume<EvaluateJob>(SCAN_QUEUES.evaluate, 1, (job) => this.coordinator.evaluate(job));
    this.queue.consume<TaskJob>(SCAN_QUEUES.exhausted, 1, (job) => this.coordinator.abandon(job));
    await this.coordinator.resumeRunningScan();
  }

  /**
   * Runs one scan to its end with this process consuming (other replicas may help), and returns
   * the finished scan. Joins the running scan instead when one is already under way.
   */
  async runScan(trigger: ScanTrigger, pollMs = 250): Promise<ScanRecord> {
    await this.startConsuming();
    const { scan } = await this.starter.startScan(trigger);
    return this.waitForScan(scan.id, pollMs);
  }

  async waitForScan(scanId: number, pollMs = 250): Promise<ScanRecord> {
    for (;;) {
      const scan = await this.scans.findById(scanId);
      if (scan === null) throw new Error(`Scan ${scanId.toString()} does not exist`);
      if (scan.status !== 'running') return scan;
      await delay(pollMs);
    }
  }

  /**
   * Asks for today's retention run: one job per UTC day across every replica (the first request
   * of the day sends it, the others find it sent). Returns whether this call sent it.
   */
  async requestRetention(): Promise<boolean> {
    await this.connect();
    return this.queue.sendOncePer(SCAN_QUEUES.retention, {}, 'retention', RETENTION_SLOT_SECONDS);
  }

  /**
   * Runs the retention jobs in this process (the worker does; the CLI and the demo do not), and
   * tells `onApplied` what each run removed. A failed run is retried as any job is.
   */
  async consumeRetention(onApplied: (run: RetentionRun) => void): Promise<void> {
    await this.connect();
    const maintenance = new HistoryMaintenanceRepository(this.options.dataSource);
    const now = this.options.now ?? (() => new Date());
    this.queue.consume(SCAN_QUEUES.retention, 1, async () => {
      onApplied(await applyRetention(maintenance, this.options.config.retention, now()));
    });
  }

  /** Stops taking jobs, lets the ones in flight finish (up to `drainMs`), closes connections. */
  async close(drainMs = 30_000): Promise<DrainOutcome> {
    this.consuming = false;
    const outcome = await this.queue.stop(drainMs);
    await this.clients.close();
    return outcome;
  }
}

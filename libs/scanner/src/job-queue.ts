import PgBoss from 'pg-boss';

/** Queues of one scan; every replica consumes all three. */
export const SCAN_QUEUES = {
  enumerate: 'scan-enumerate',
  audit: 'scan-audit',
  evaluate: 'scan-evaluate',
  /** Enumerate and audit jobs that failed every retry land here, so their tasks end as failed. */
  exhausted: 'scan-exhausted',
} as const;

export type ScanQueueName = (typeof SCAN_QUEUES)[keyof typeof SCAN_QUEUES];

export interface JobQueueOptions {
  readonly connectionString: string;
  /**
   * Runs queue setup exclusively across processes. pg-boss 10 creates a queue as a row plus a
   * partition table attached to its job table, and replicas that start together and create the
   * same queues deadlock (Postgres aborts all but one, and the worker exits).
   */
  readonly exclusiveSetup: (setup: () => Promise<void>) => Promise<void>;
  /** Connections pg-boss may hold (docs/operations.md: 5-10 per replica). */
  readonly maxConnections: number;
  /** A job still active after this long is presumed lost (its replica died) and handed out again. */
  readonly expireInSeconds: number;
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  /** How often expired jobs are looked for; short in tests that kill replicas. */
  readonly maintenanceIntervalSeconds: number;
  readonly pollingIntervalSeconds: number;
}

export interface ScanJobHandler<T> {
  (data: T): Promise<void>;
}

/**
 * The scan's job engine: pg-boss on the auditor's own PostgreSQL, so any number of worker replicas
 * share one scan with `SKIP LOCKED` fetching, and a job whose replica dies is retried elsewhere once
 * it expires. Handlers must tolerate re-delivery (they are idempotent per task).
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private started = false;

  constructor(private readonly options: JobQueueOptions) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      max: options.maxConnections,
      application_name: 'seed-scan-jobs',
      schema: 'pgboss',
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
      // Cron lives in @nestjs/schedule with a per-slot unique scan row; pg-boss schedules nothing.
      schedule: false,
    });
  }

  /**
   * Starts the engine and makes sure the scan queues exist with this process's settings
   * (idempotent across replicas). A queue keeps the settings it was created with and each job
   * copies its queue's expiry and retries when sent, so an existing queue is updated as well:
   * otherwise a changed `scan.jobs` would never reach queues that an earlier start created.
   */
  async start(onError: (error: Error) => void): Promise<void> {
    if (this.started) return;
    this.boss.on('error', onError);
    await this.boss.start();
    await this.options.exclusiveSetup(async () => {
      // The dead-letter queue must exist before the queues that name it.
      for (const name of [
        SCAN_QUEUES.exhausted,
        SCAN_QUEUES.evaluate,
        SCAN_QUEUES.enumerate,
        SCAN_QUEUES.audit,
      ]) {
        const settings: PgBoss.Queue = {
          name,
          policy: 'standard',
          retryLimit: this.options.retryLimit,
          retryDelay: this.options.retryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: this.options.expireInSeconds,
          ...(name === SCAN_QUEUES.enumerate || name === SCAN_QUEUES.audit
            ? { deadLetter: SCAN_QUEUES.exhausted }
            : {}),
        };
        await this.boss.createQueue(name, settings);
        await this.boss.updateQueue(name, settings);
      }
    });
    this.started = true;
  }

  async send(
    queue: ScanQueueName,
    data: object,
    options: { startAfterSeconds?: number } = {},
  ): Promise<void> {
    await this.boss.send(
      queue,
      data,
      options.startAfterSeconds === undefined ? {} : { startAfter: options.startAfterSeconds },
    );
  }

  async sendMany(queue: ScanQueueName, items: readonly object[]): Promise<void> {
    if (items.length === 0) return;
    await this.boss.insert(items.map((data) => ({ name: queue, data })));
  }

  /** Consumes `queue` with `concurrency` jobs at a time in this process. */
  async consume<T>(queue: ScanQueueName, concurrency: number, handler: ScanJobHandler<T>): Promise<void> {
    for (let slot = 0; slot < concurrency; slot += 1) {
      await this.boss.work<T>(
        queue,
        { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds },
        async (jobs) => {
          for (const job of jobs) {
            await handler(job.data);
          }
        },
      );
    }
  }

  /** Stops fetching and waits for the jobs in flight to finish (graceful shutdown), up to `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
  }
}

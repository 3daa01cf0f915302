import { setTimeout as delay } from 'node:timers/promises';

import PgBoss from 'pg-boss';

/** Queues of one scan; every replica consumes all of them. */
export const SCAN_QUEUES = {
  enumerate: 'scan-enumerate',
  audit: 'scan-audit',
  evaluate: 'scan-evaluate',
  /** Enumerate and audit jobs that failed every retry land here, so their tasks end as failed. */
  exhausted: 'scan-exhausted',
  /** The daily retention run (`retention.*`): one job per UTC day, whichever replica sends it first. */
  retention: 'seed-retention',
} as const;

export type ScanQueueName = (typeof SCAN_QUEUES)[keyof typeof SCAN_QUEUES];

/** pg-boss's schema in the auditor's database. */
const SCHEMA = 'pgboss';

/** Two days: see `sendOncePer`. */
const ARCHIVE_COMPLETED_AFTER_SECONDS = 2 * 86_400;

/**
 * Passed by pg-boss to its `pg.Pool` (its types omit them): as the DataSource's pool, bounded
 * connection attempts and keep-alive on idle connections.
 */
const PG_POOL_OPTIONS = { connectionTimeoutMillis: 10_000, keepAlive: true };

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
  /** The longest one job may run: a job still running then is failed (and retried). */
  readonly expireInSeconds: number;
  /**
   * A running job's lease: the replica running it renews it every quarter of this; a job whose
   * lease lapses (its replica died, or lost the database for that long) is handed out again.
   */
  readonly leaseSeconds: number;
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  /** How often pg-boss archives and drops old jobs (and looks for lapsed ones too). */
  readonly maintenanceIntervalSeconds: number;
  readonly pollingIntervalSeconds: number;
}

/** How a stop went: jobs running when it began, and those still running at its deadline (failed, to be retried elsewhere). */
export interface DrainOutcome {
  readonly inFlight: number;
  readonly handedBack: number;
}

export interface ScanJobHandler<T> {
  (data: T): Promise<void>;
}

/** Where a job engine error happened: the worker logs it with this, and throttles repeats per operation. */
export type JobQueueOperation =
  'job engine' | 'renew leases' | 'reap lapsed jobs' | 'record job outcome' | 'job handler';

/** An error of the job engine or of a job, with the operation it interrupted. */
export class JobQueueError extends Error {
  override readonly name = 'JobQueueError';

  constructor(
    readonly operation: JobQueueOperation,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface RunningJob {
  readonly queue: ScanQueueName;
  readonly id: string;
}

type JobOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** First and longest pause between two attempts to record a job's outcome while the database is away. */
const SETTLE_RETRY_FIRST_MS = 500;
const SETTLE_RETRY_MAX_MS = 15_000;

/**
 * The scan's job engine: pg-boss on the auditor's own PostgreSQL, so any number of worker replicas
 * share one scan with `SKIP LOCKED` fetching. Handlers must tolerate re-delivery (they are
 * idempotent per task).
 *
 * Jobs are fetched and settled here rather than through pg-boss's `work()`, for two reasons:
 * - `work()` neither awaits nor catches the `complete`/`fail` of a finished job, so a database
 *   outage at that moment is an unhandled rejection that kills the process; here the outcome is
 *   retried until the database answers again.
 * - pg-boss 10 has no heartbeat: a job of a dead replica came back only after the job's whole
 *   expiry (30 minutes). Here a job's expiry is a short lease (`leaseSeconds`): the replica running
 *   it renews it every quarter lease by moving the job's `started_on` to now (pg-boss expires an
 *   active job when `started_on + expire_in` has passed), and every consuming replica reaps lapsed
 *   jobs as often. The longest run of one job (`expireInSeconds`) is enforced by this process.
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private started = false;
  private starting: Promise<void> | null = null;
  private onError: (error: Error) => void = () => undefined;
  private readonly loops: Promise<void>[] = [];
  private readonly running = new Map<string, RunningJob>();
  private stopping = false;
  /** Wakes idle consumers at once when stopping. */
  private readonly wake = new AbortController();
  /**
   * Idle consumers of each queue in this process, woken when this process sends to it: the job
   * engine has no notification, and a scan's next step (an enumeration's batches, a batch's table
   * listings) would otherwise wait out a polling interval each time it changes hands. Other replicas
   * still find the job at their next poll.
   */
  private readonly idle = new Map<ScanQueueName, Set<() => void>>();
  /** Tells outcome retries to give up: the drain timed out. */
  private readonly abandon = new AbortController();
  private leaseTimer: NodeJS.Timeout | null = null;
  private renewing = false;

  constructor(private readonly options: JobQueueOptions) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      max: options.maxConnections,
      application_name: 'seed-scan-jobs',
      ...PG_POOL_OPTIONS,
      schema: SCHEMA,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
      // A finished job stays in the job table (pg-boss's default: 12 h) longer than the longest
      // once-per-slot job's slot (a day), or a second job of the same slot could be sent.
      archiveCompletedAfterSeconds: ARCHIVE_COMPLETED_AFTER_SECONDS,
      // Cron lives in @nestjs/schedule with a per-slot unique scan row; pg-boss schedules nothing.
      schedule: false,
    });
    this.boss.on('error', (error) => {
      this.report('job engine', error);
    });
  }

  /** The lease a job gets (and keeps while renewed): never longer than a job may run. */
  private get leaseSeconds(): number {
    return Math.max(1, Math.min(this.options.leaseSeconds, this.options.expireInSeconds));
  }

  /**
   * Starts the engine and makes sure the queues exist with this process's settings (idempotent
   * across replicas). A queue keeps the settings it was created with and each job copies its
   * queue's expiry and retries when sent, so an existing queue is updated as well: otherwise a
   * changed `scan.jobs` would never reach queues that an earlier start created.
   */
  start(onError: (error: Error) => void): Promise<void> {
    // Concurrent callers (the scan consumers and the retention consumer of one worker) share one start.
    this.starting ??= this.startOnce(onError).catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  private async startOnce(onError: (error: Error) => void): Promise<void> {
    this.onError = onError;
    await this.boss.start();
    await this.options.exclusiveSetup(async () => {
      // The dead-letter queue must exist before the queues that name it.
      for (const name of [
        SCAN_QUEUES.exhausted,
        SCAN_QUEUES.evaluate,
        SCAN_QUEUES.enumerate,
        SCAN_QUEUES.audit,
        SCAN_QUEUES.retention,
      ]) {
        const settings: PgBoss.Queue = {
          name,
          policy: 'standard',
          retryLimit: this.options.retryLimit,
          retryDelay: this.options.retryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: this.leaseSeconds,
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
    if (options.startAfterSeconds === undefined) this.wakeIdle(queue);
  }

  /**
   * Sends a job unless one with the same key was already sent in the same slot of `slotSeconds`
   * (slots aligned on the Unix epoch, so a day is a UTC day; at most two days, as long as pg-boss
   * keeps finished jobs where it checks). Returns whether this call sent it.
   */
  async sendOncePer(queue: ScanQueueName, data: object, key: string, slotSeconds: number): Promise<boolean> {
    const id = await this.boss.send(queue, data, { singletonKey: key, singletonSeconds: slotSeconds });
    return id !== null;
  }

  /**
   * Sends jobs to be fetched in the order given (by descending priority: one insert gives every job
   * the same creation time, and pg-boss would otherwise order them by their random ids).
   */
  async sendMany(queue: ScanQueueName, items: readonly object[]): Promise<void> {
    if (items.length === 0) return;
    await this.boss.insert(
      items.map((data, index) => ({ name: queue, data, priority: items.length - index })),
    );
    this.wakeIdle(queue);
  }

  private wakeIdle(queue: ScanQueueName): void {
    const waiting = this.idle.get(queue);
    if (waiting === undefined) return;
    this.idle.delete(queue);
    for (const wake of waiting) wake();
  }

  /** Waits `ms`, or less if this process sends to `queue` or stops meanwhile. */
  private async idleWait(queue: ScanQueueName, ms: number): Promise<void> {
    const woken = new AbortController();
    const wake = (): void => {
      woken.abort();
    };
    const waiting = this.idle.get(queue) ?? new Set();
    waiting.add(wake);
    this.idle.set(queue, waiting);
    try {
      await delay(ms, undefined, { signal: AbortSignal.any([woken.signal, this.wake.signal]) });
    } catch {
      // Woken early: the loop fetches at once.
    } finally {
      waiting.delete(wake);
    }
  }

  /** Consumes `queue` with `concurrency` jobs at a time in this process, until `stop`. */
  consume<T>(queue: ScanQueueName, concurrency: number, handler: ScanJobHandler<T>): void {
    if (!this.started) throw new Error('The job queue must be started before it consumes');
    this.leaseTimer ??= setInterval(() => void this.renewLeases(), (this.leaseSeconds * 1000) / 4);
    for (let slot = 0; slot < concurrency; slot += 1) {
      this.loops.push(this.consumeLoop(queue, handler));
    }
  }

  /**
   * Stops fetching and waits for the jobs in flight to finish (graceful shutdown), up to
   * `timeoutMs`; jobs still running then are failed, so another replica retries them soon.
   */
  async stop(timeoutMs: number): Promise<DrainOutcome> {
    if (!this.started) return { inFlight: 0, handedBack: 0 };
    const inFlight = this.running.size;
    this.started = false;
    this.stopping = true;
    this.wake.abort();
    const drained = await Promise.race([
      Promise.all(this.loops).then(() => true),
      delay(timeoutMs, false, { ref: false }),
    ]);
    const handedBack = drained ? 0 : this.running.size;
    if (!drained) {
      this.abandon.abort();
      await this.failRunning('the worker stopped while the job ran');
    }
    if (this.leaseTimer !== null) clearInterval(this.leaseTimer);
    this.leaseTimer = null;
    await this.boss.stop({ graceful: false, close: true, wait: true });
    return { inFlight, handedBack };
  }

  private async consumeLoop<T>(queue: ScanQueueName, handler: ScanJobHandler<T>): Promise<void> {
    const idleMs = this.options.pollingIntervalSeconds * 1000;
    while (!this.stopping) {
      // pg-boss's fetch answers [] when the database cannot be reached: the loop just polls on.
      const [job] = await this.boss.fetch<T>(queue, { batchSize: 1 }).catch((error: unknown) => {
        this.report('job engine', error);
        return [];
      });
      if (job === undefined) {
        await this.idleWait(queue, idleMs);
        continue;
      }
      await this.runJob(queue, job, handler);
    }
  }

  private async runJob<T>(
    queue: ScanQueueName,
    job: PgBoss.Job<T>,
    handler: ScanJobHandler<T>,
  ): Promise<void> {
    this.running.set(job.id, { queue, id: job.id });
    try {
      const outcome = await this.runWithinDeadline(handler, job.data);
      if (!outcome.ok) {
        this.report('job handler', outcome.error, `${queue} job ${job.id} failed`);
      }
      await this.settle(queue, job.id, outcome);
    } finally {
      this.running.delete(job.id);
    }
  }

  private async runWithinDeadline<T>(handler: ScanJobHandler<T>, data: T): Promise<JobOutcome> {
    const deadline = new AbortController();
    const work = handler(data);
    try {
      await Promise.race([
        work,
        // Past the deadline the handler goes on in the background (it cannot be cancelled), unheeded.
        delay(this.options.expireInSeconds * 1000, undefined, { signal: deadline.signal }).then(() => {
          throw new JobQueueError(
            'job handler',
            `the job ran longer than scan.jobs.expireInSeconds (${this.options.expireInSeconds.toString()} s)`,
          );
        }),
      ]);
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    } finally {
      deadline.abort();
    }
  }

  /**
   * Records a job's outcome, retrying while the database is away: the job keeps its lease
   * meanwhile, so nobody else runs it again. Gives up only when a stopping process's drain ends.
   */
  private async settle(queue: ScanQueueName, id: string, outcome: JobOutcome): Promise<void> {
    let pauseMs = SETTLE_RETRY_FIRST_MS;
    for (;;) {
      try {
        if (outcome.ok) await this.boss.complete(queue, id);
        else await this.boss.fail(queue, id, failureOutput(outcome.error));
        return;
      } catch (error) {
        this.report('record job outcome', error, `the outcome of ${queue} job ${id} is not recorded yet`);
      }
      if (this.abandon.signal.aborted) return;
      await delay(pauseMs, undefined, { signal: this.abandon.signal }).catch(() => undefined);
      pauseMs = Math.min(pauseMs * 2, SETTLE_RETRY_MAX_MS);
    }
  }

  /** Renews the leases of the jobs this process runs, then reaps the lapsed jobs of any replica. */
  private async renewLeases(): Promise<void> {
    if (this.renewing || this.stopping) return;
    this.renewing = true;
    try {
      const jobs = [...this.running.values()];
      if (jobs.length > 0) {
        await this.boss.getDb().executeSql(
          `UPDATE ${SCHEMA}.job SET started_on = now()
             WHERE name = ANY($1::text[]) AND id = ANY($2::uuid[]) AND state = 'active'`,
          [[...new Set(jobs.map((job) => job.queue))], jobs.map((job) => job.id)],
        );
      }
    } catch (error) {
      this.report('renew leases', error);
    }
    try {
      await this.boss.expire();
    } catch (error) {
      this.report('reap lapsed jobs', error);
    } finally {
      this.renewing = false;
    }
  }

  private async failRunning(reason: string): Promise<void> {
    await Promise.all(
      [...this.running.values()].map(async (job) => {
        try {
          await this.boss.fail(job.queue, job.id, { message: reason });
        } catch (error) {
          // Its lease lapses instead: another replica takes it a little later.
          this.report('record job outcome', error);
        }
      }),
    );
  }

  private report(operation: JobQueueOperation, error: unknown, context?: string): void {
    const message = error instanceof Error ? error.message : String(error);
    this.onError(
      new JobQueueError(operation, context === undefined ? message : `${context}: ${message}`, {
        cause: error,
      }),
    );
  }
}

/** What pg-boss stores as a failed job's output: the message, never the whole error object. */
function failureOutput(error: unknown): { message: string } {
  return { message: error instanceof Error ? error.message : String(error) };
}

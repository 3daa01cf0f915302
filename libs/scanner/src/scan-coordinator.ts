import {
  bucketResourceKey,
  classifyBucketEncryption,
  classifyTableBucketEncryption,
  createResourceEvaluator,
  observationHash,
  type EncryptionObservation,
  type ResourceKind,
} from '@app/audit';
import type { AuditConfig } from '@app/config';
import { OssError } from '@app/cloud-client';
import type {
  EvaluationRepository,
  ObservationRepository,
  ObservedResource,
  ScanRepository,
  ScanTaskRecord,
  ScanTaskRepository,
  AdvisoryLockRepository,
} from '@app/persistence';

import type { AccountClientPair, AccountClientRegistry } from './account-client-registry';
import type { JobQueue } from './job-queue';
import { SCAN_QUEUES } from './job-queue';
import { scanCoverage, scanStatus } from './scan-outcome';
import { sendTaskJobs, type EvaluateJob, type TaskJob } from './scan-starter';
import {
  auditTask,
  enumerationScope,
  inEnumerationScope,
  type AuditTarget,
  type AuditTaskPayload,
  type EnumerateTaskPayload,
} from './scan-plan';

export interface ScanCoordinatorDependencies {
  readonly config: AuditConfig;
  readonly clients: AccountClientRegistry;
  readonly scans: ScanRepository;
  readonly tasks: ScanTaskRepository;
  readonly observations: ObservationRepository;
  readonly evaluation: EvaluationRepository;
  readonly locks: AdvisoryLockRepository;
  readonly queue: JobQueue;
  readonly now: () => Date;
}

/** Seconds an audit job waits before it tries again for an account another replica is auditing. */
const LEASE_RETRY_SECONDS = 1;

/**
 * The scan's work, as job handlers (the `ScanStarter` records a scan and queues its first jobs):
 * enumerate (list, batch into audit tasks), audit (read encryption, classify, record), evaluate
 * (findings, drift, alerts, status). Every
 * handler is idempotent per task, so a job re-delivered after its replica died changes nothing
 * twice; the task rows, not the queue, say when the scan's last unit of work ended.
 */
export class ScanCoordinator {
  constructor(private readonly deps: ScanCoordinatorDependencies) {}

  /**
   * Sends again the jobs of tasks still pending in running scans: after a crash between writing
   * tasks and queueing their jobs, nothing else would. Duplicates are harmless (idempotent tasks).
   */
  async resumeRunningScan(): Promise<number> {
    const scan = await this.deps.scans.findRunning();
    if (scan === null) return 0;
    const pending = await this.deps.tasks.pendingTasks(scan.id);
    if (pending.length === 0) {
      await this.deps.queue.send(SCAN_QUEUES.evaluate, { scanId: scan.id } satisfies EvaluateJob);
      return 0;
    }
    await sendTaskJobs(this.deps.queue, scan.id, pending);
    return pending.length;
  }

  async enumerate(job: TaskJob): Promise<void> {
    const task = await this.pendingTask(job);
    if (task === null) return;
    const pair = this.deps.clients.forAccount(task.accountAlias);
    const batchSize = this.deps.config.scan.auditBatchSize;
    const buffers = new Map<string, AuditTarget[]>();
    let batchIndex = 0;
    let listed = 0;
    const flush = async (region: string): Promise<void> => {
      const targets = buffers.get(region) ?? [];
      if (targets.length === 0) return;
      buffers.delete(region);
      const follow = auditTask(task.taskKey, batchIndex, task.accountAlias, task.resourceKind, targets);
      batchIndex += 1;
      await this.deps.tasks.addTasks(job.scanId, [follow]);
      await sendTaskJobs(this.deps.queue, job.scanId, [follow]);
    };
    const add = async (target: AuditTarget): Promise<void> => {
      listed += 1;
      const buffer = buffers.get(target.region) ?? [];
      buffer.push(target);
      buffers.set(target.region, buffer);
      if (buffer.length >= batchSize) await flush(target.region);
    };

    const errorsByCode: Record<string, number> = {};
    let enumerationComplete = true;
    try {
      for await (const target of this.listTargets(pair, task)) await add(target);
    } catch (error) {
      if (!(error instanceof OssError)) throw error;
      enumerationComplete = false;
      errorsByCode[error.info.code] = 1;
    }
    for (const region of [...buffers.keys()]) await flush(region);
    const completion = await this.deps.tasks.completeTask(job.scanId, task.taskKey, {
      status: 'done',
      result: { listed, observed: 0, errorsByCode, enumerationComplete },
    });
    if (completion.lastTask) await this.sendEvaluate(job.scanId);
  }

  async audit(job: TaskJob): Promise<void> {
    const task = await this.pendingTask(job);
    if (task === null) return;
    const lease = await this.deps.locks.tryRunExclusive('accountLease', task.accountAlias, () =>
      this.auditTask(job.scanId, task),
    );
    if (!lease.acquired) {
      await this.deps.queue.send(SCAN_QUEUES.audit, job, { startAfterSeconds: LEASE_RETRY_SECONDS });
    }
  }

  /**
   * A task whose job failed every retry (a bug, or a database outage longer than the retries)
   * ends as `failed`, so the scan still finishes, as `partial`, instead of waiting forever.
   */
  async abandon(job: TaskJob): Promise<void> {
    const completion = await this.deps.tasks.completeTask(job.scanId, job.taskKey, {
      status: 'failed',
      result: { listed: 0, observed: 0, errorsByCode: { TaskFailed: 1 }, enumerationComplete: false },
    });
    if (completion.lastTask) await this.sendEvaluate(job.scanId);
  }

  async evaluate(job: EvaluateJob): Promise<void> {
    const scan = await this.deps.scans.findById(job.scanId);
    if (scan?.status !== 'running') return;
    const outcomes = await this.deps.tasks.taskResults(job.scanId);
    const scopes = outcomes.flatMap((outcome) =>
      outcome.kind === 'enumerate' && outcome.status === 'done' && outcome.result?.enumerationComplete
        ? [enumerationScope(outcome.accountAlias, outcome.resourceKind, outcome.plan as EnumerateTaskPayload)]
        : [],
    );
    const coverage = scanCoverage(outcomes);
    const status = scanStatus(outcomes, coverage);
    await this.deps.evaluation.evaluateAndFinishScan(job.scanId, {
      evaluate: createResourceEvaluator(this.deps.config.policy),
      vanishedScopes: scopes,
      status,
      coverage,
      evaluatedAt: this.deps.now(),
    });
  }

  private async auditTask(scanId: number, task: ScanTaskRecord): Promise<void> {
    const { targets } = task.payload as AuditTaskPayload;
    const pair = this.deps.clients.forAccount(task.accountAlias);
    const outcomes = await Promise.all(targets.map((target) => this.observe(pair, target)));
    const observed: ObservedResource[] = [];
    const errorsByCode: Record<string, number> = {};
    for (const [index, observation] of outcomes.entries()) {
      const target = targets[index];
      if (target === undefined) continue;
      if (observation === 'missing') {
        errorsByCode.NoSuchBucket = (errorsByCode.NoSuchBucket ?? 0) + 1;
        continue;
      }
      if (observation.errorCode !== null) {
        errorsByCode[observation.errorCode] = (errorsByCode[observation.errorCode] ?? 0) + 1;
      }
      observed.push({
        ref: {
          kind: target.kind,
          resourceKey: target.resourceKey,
          accountAlias: task.accountAlias,
          region: target.region,
          name: target.name,
        },
        observation,
        contentHash: observationHash(observation),
      });
    }
    await this.deps.observations.recordObservations(scanId, this.deps.now(), observed);
    const completion = await this.deps.tasks.completeTask(scanId, task.taskKey, {
      status: 'done',
      result: { listed: targets.length, observed: observed.length, errorsByCode, enumerationComplete: true },
    });
    if (completion.lastTask) await this.sendEvaluate(scanId);
  }

  /** Reads one resource's encryption; `missing` when the resource no longer exists. */
  private async observe(
    pair: AccountClientPair,
    target: AuditTarget,
  ): Promise<EncryptionObservation | 'missing'> {
    if (target.kind === 'bucket') {
      const result = await pair.oss.getBucketEncryption(target.name, target.region);
      return result.outcome === 'bucket_missing' ? 'missing' : classifyBucketEncryption(result);
    }
    const result = await pair.tables.getTableBucketEncryption(target.resourceKey);
    return result.outcome === 'bucket_missing' ? 'missing' : classifyTableBucketEncryption(result);
  }

  private async *listTargets(pair: AccountClientPair, task: ScanTaskRecord): AsyncIterable<AuditTarget> {
    const kind: ResourceKind = task.resourceKind;
    const inScope = inEnumerationScope(task.payload as EnumerateTaskPayload);
    if (kind === 'bucket') {
      for await (const bucket of pair.oss.listBuckets()) {
        if (inScope(bucket.name, bucket.region)) {
          yield {
            kind,
            resourceKey: bucketResourceKey(bucket.name),
            name: bucket.name,
            region: bucket.region,
          };
        }
      }
      return;
    }
    for await (const tableBucket of pair.tables.listTableBuckets(task.region)) {
      if (inScope(tableBucket.name, tableBucket.region)) {
        yield { kind, resourceKey: tableBucket.arn, name: tableBucket.name, region: tableBucket.region };
      }
    }
  }

  private async pendingTask(job: TaskJob): Promise<ScanTaskRecord | null> {
    const task = await this.deps.tasks.findTask(job.scanId, job.taskKey);
    return task?.status === 'pending' ? task : null;
  }

  private async sendEvaluate(scanId: number): Promise<void> {
    // A duplicate evaluate job is harmless: evaluation is serialised per scan and skips a finished scan.
    await this.deps.queue.send(SCAN_QUEUES.evaluate, { scanId } satisfies EvaluateJob);
  }
}

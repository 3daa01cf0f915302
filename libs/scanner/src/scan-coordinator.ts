import { setTimeout as delay } from 'node:timers/promises';

import {
  assessKey,
  bucketResourceKey,
  classifyBucketEncryption,
  classifyKeyDescription,
  classifyTableBucketEncryption,
  createResourceEvaluator,
  KEY_NOT_APPLICABLE,
  describedKeyResourceKey,
  kmsKeyResourceKey,
  observationHash,
  OSS_SERVICE_KEY_ALIAS,
  parseTableBucketArn,
  withKeyFacts,
  type EncryptionObservation,
  type KeyDescriptionInput,
  type ResourceKind,
} from '@app/audit';
import { DEFAULT_CATALOGUE } from '@app/compliance';
import type { AuditConfig } from '@app/config';
import {
  isThrottling,
  kmsKeyRegion,
  OssError,
  type ListingPageReport,
  type OssErrorInfo,
} from '@app/cloud-client';
import type {
  AccountRepository,
  AdvisoryLockRepository,
  EvaluationRepository,
  ExceptionRepository,
  NewScanTask,
  ObservationRepository,
  ObservedResource,
  ScanRecord,
  ScanRepository,
  ScanTaskRecord,
  ScanTaskRepository,
  ScopeError,
} from '@app/persistence';

import type { AccountClientPair, AccountClientRegistry } from './account-client-registry';
import { readExceptionsFile } from './exceptions-file';
import type { JobQueue } from './job-queue';
import { SCAN_QUEUES } from './job-queue';
import { inGroups, merged } from './listing-streams';
import type { ScanEventListener } from './scan-events';
import { accountReaches, discoveryFailureReason, withDiscoveryOutcome } from './account-reach';
import { failureReason, scanCoverage, scanStatus } from './scan-outcome';
import {
  auditTask,
  inEnumerationScope,
  tableListingTask,
  type AuditTarget,
  type AuditTaskPayload,
  type EnumerateTaskPayload,
  type ScanPlan,
  type TablesPlan,
} from './scan-plan';
import { createUnseenJudge } from './scan-scope';
import { sendTaskJobs, type EvaluateJob, type TaskJob } from './scan-starter';

export interface ScanCoordinatorDependencies {
  readonly config: AuditConfig;
  readonly clients: AccountClientRegistry;
  readonly scans: ScanRepository;
  readonly tasks: ScanTaskRepository;
  readonly observations: ObservationRepository;
  readonly evaluation: EvaluationRepository;
  readonly exceptions: ExceptionRepository;
  readonly accounts: AccountRepository;
  readonly locks: AdvisoryLockRepository;
  readonly queue: JobQueue;
  readonly now: () => Date;
  readonly events: ScanEventListener;
}

/** Seconds an audit job waits before it tries again for an account another replica is auditing. */
const LEASE_RETRY_SECONDS = 1;
/**
 * How long one audit job keeps an account's lease while the account has batches pending, at most
 * (and never beyond half of `scan.jobs.expireInSeconds`): long enough that a hand-off, and the
 * pause it costs, is rare within a scan; short enough that a large account's work moves between
 * replicas and no job nears its deadline.
 */
const LEASE_HOLD_SECONDS = 60;
/**
 * An account's reads queued at once, in full batches (`scan.auditBatchSize`): the batch being
 * recorded and those behind it, whose requests keep the account's concurrency busy meanwhile.
 * Counted in reads, not batches: a region's few table buckets make a batch of a dozen, and three
 * such batches in hand let the account run dry while the batch ahead of them is recorded. Bounds
 * what an audit holds.
 */
const READ_AHEAD_BATCHES = 3;
/**
 * How often a lease holder with room for more reads looks for batches queued since it last looked,
 * while it waits for the batch ahead: a table bucket's tables are queued as its listing finds them.
 */
const PENDING_LOOK_MS = 250;
/**
 * Namespaces of a table bucket whose tables are listed at the same time: a table bucket's listing
 * is one round trip per namespace page, and its tables' reads wait for it.
 */
const NAMESPACES_LISTED_AT_ONCE = 4;
/** Failures a task keeps in detail (its counts keep every one). */
const MAX_TASK_ERRORS = 5;
/** Request ids a listing keeps as its proof: the first pages and the last. */
const MAX_PROOF = 3;

/** What DescribeKey gave: the key's observation, and the error behind an `unknown` one. */
interface KeyReading {
  readonly observation: EncryptionObservation;
  readonly error: OssErrorInfo | null;
}

/** What reading one resource gave: an observation (and the error behind an `unknown` one), or gone. */
type Reading =
  | {
      readonly kind: 'observed';
      readonly observation: EncryptionObservation;
      readonly error: OssErrorInfo | null;
    }
  | { readonly kind: 'missing' };

/**
 * The scan's work, as job handlers (the `ScanStarter` records a scan and queues its first jobs):
 * enumerate (list, batch into audit tasks), audit (read encryption and the keys it names,
 * classify, record), evaluate (findings, drift, alerts, status). Every handler is idempotent per
 * task, so a job re-delivered after its replica died changes nothing twice; the task rows, not the
 * queue, say when the scan's last unit of work ended.
 */
export class ScanCoordinator {
  /**
   * Keys being described by this process, per scan: two batches never ask for one key twice. An
   * entry goes once its key is recorded (the database answers from then on), so the map holds the
   * keys in flight, not every key of the scan.
   */
  private readonly keyReads = new Map<string, Promise<KeyReading>>();

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
    const scope = task.payload as EnumerateTaskPayload;
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

    const proof: string[] = [];
    const onPage = (page: ListingPageReport): void => {
      if (page.requestId === null) return;
      if (proof.length < MAX_PROOF) proof.push(page.requestId);
      else proof[MAX_PROOF - 1] = page.requestId;
    };
    const skippedRegions: Record<string, number> = {};
    const errorsByCode: Record<string, number> = {};
    const errors: ScopeError[] = [];
    let enumerationComplete = true;
    try {
      for await (const target of this.listTargets(pair, task, scope, onPage, skippedRegions))
        await add(target);
    } catch (error) {
      if (!(error instanceof OssError)) throw error;
      enumerationComplete = false;
      errorsByCode[error.info.code] = 1;
      const detail = scopeError(error.info);
      errors.push(detail);
      this.deps.events({
        type: 'scope_failed',
        scanId: job.scanId,
        accountAlias: task.accountAlias,
        kind: task.resourceKind,
        scope: scope.tableBucketArn ?? task.region,
        error: detail,
      });
    }
    for (const region of [...buffers.keys()]) await flush(region);
    const completion = await this.deps.tasks.completeTask(job.scanId, task.taskKey, {
      status: 'done',
      result: { listed, observed: 0, errorsByCode, enumerationComplete, proof, errors, skippedRegions },
    });
    if (completion.lastTask) await this.sendEvaluate(job.scanId);
  }

  async audit(job: TaskJob): Promise<void> {
    const task = await this.pendingTask(job);
    if (task === null) return;
    const lease = await this.deps.locks.tryRunExclusive('accountLease', task.accountAlias, () =>
      this.auditAccount(job.scanId, task),
    );
    if (!lease.acquired) {
      await this.deps.queue.send(SCAN_QUEUES.audit, job, { startAfterSeconds: LEASE_RETRY_SECONDS });
    } else if (lease.value !== null) {
      // Sent once the lease is free, so whichever replica fetches it first takes the account on
      // at once; the pending batches' own jobs would wait out their bounce first.
      await this.deps.queue.send(SCAN_QUEUES.audit, {
        scanId: job.scanId,
        taskKey: lease.value.taskKey,
      } satisfies TaskJob);
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
    const plan = planOf(scan);
    const outcomes = await this.deps.tasks.taskResults(job.scanId);
    const coverage = scanCoverage(plan, outcomes);
    const status = withDiscoveryOutcome(scanStatus(outcomes, coverage), plan, outcomes);
    const evaluatedAt = this.deps.now();
    await this.syncExceptionsFile(job.scanId, evaluatedAt);
    const { config } = this.deps;
    const {
      scan: finished,
      counts,
      compliance,
    } = await this.deps.evaluation.evaluateAndFinishScan(job.scanId, {
      evaluate: createResourceEvaluator(config.policy, evaluatedAt),
      compliance: {
        catalogue: DEFAULT_CATALOGUE,
        policy: { approvedKmsKeys: config.policy.approvedKmsKeys },
        expiringWithinDays: config.exceptions.expiringWithinDays,
        alertSeverities: config.policy.exceptionAlertSeverity,
      },
      judgeUnseen: createUnseenJudge(plan, outcomes),
      status,
      coverage,
      evaluatedAt,
      // A failed discovery is said even when the scan is only partial: nothing else would tell why.
      ...(status === 'failed'
        ? { failureReason: discoveryFailureReason(plan) ?? failureReason(coverage, outcomes) }
        : optional('failureReason', discoveryFailureReason(plan))),
    });
    if (finished.status !== 'running' && finished.finishedAt?.getTime() === evaluatedAt.getTime()) {
      await this.deps.accounts.recordReach(job.scanId, evaluatedAt, accountReaches(plan, coverage));
      this.deps.events({ type: 'scan_finished', scan: finished, counts, compliance });
    }
  }

  /**
   * Makes the stored file exceptions what the exceptions file says now, with a change record per
   * edit. A file that does not validate changes nothing (the exceptions last read stay) and is
   * reported: a typo must neither drop accepted risks nor stop the audit.
   */
  private async syncExceptionsFile(scanId: number, at: Date): Promise<void> {
    const path = this.deps.config.exceptions.file;
    if (path === null) return;
    const reading = await readExceptionsFile(path, {
      maxDurationDays: this.deps.config.exceptions.maxDurationDays,
    });
    if (!reading.ok) {
      this.deps.events({ type: 'exceptions_file_rejected', scanId, path, problems: reading.problems });
      return;
    }
    await this.deps.exceptions.syncFile(reading.exceptions, { actor: `file:${path}`, at });
  }

  /**
   * Audits `first` and then, while this worker holds the account's lease (LEASE_HOLD_SECONDS), the
   * account's other pending batches: their own jobs, bounced by the lease, would otherwise wait out
   * LEASE_RETRY_SECONDS with the account idle (they find their task done and return). Reads run up
   * to READ_AHEAD_BATCHES batches' worth ahead of the one being recorded, so the account's limiter
   * never runs dry: a batch's last responses, its keys' descriptions and the storing of its
   * observations all overlap the reads of the batches behind it. Returns the batch left pending
   * when the hold ran out, for the caller to hand on once the lease is free.
   */
  private async auditAccount(scanId: number, first: ScanTaskRecord): Promise<ScanTaskRecord | null> {
    const { auditBatchSize, jobs } = this.deps.config.scan;
    const holdUntil = Date.now() + Math.min(LEASE_HOLD_SECONDS, jobs.expireInSeconds / 2) * 1000;
    const readAhead = READ_AHEAD_BATCHES * auditBatchSize;
    const reading = [{ task: first, batch: settled(this.readBatch(first)) }];
    let readsInHand = targetCount(first);
    for (;;) {
      while (readsInHand < readAhead) {
        const next = await this.deps.tasks.nextPendingAudit(
          scanId,
          first.accountAlias,
          reading.map(({ task }) => task.taskKey),
        );
        if (next === null) break;
        if (Date.now() >= holdUntil) {
          if (reading.length === 0) return next;
          break;
        }
        reading.push({ task: next, batch: settled(this.readBatch(next)) });
        readsInHand += targetCount(next);
      }
      const oldest = reading[0];
      if (oldest === undefined) return null;
      // With room for more reads, look again for batches queued meanwhile (a listing still finding
      // them) rather than leave the account idle until the batch ahead is in.
      const roomForMore = readsInHand < readAhead && Date.now() < holdUntil;
      if (roomForMore && !(await oldest.batch.settledWithin(PENDING_LOOK_MS))) continue;
      reading.shift();
      readsInHand -= targetCount(oldest.task);
      await this.recordBatch(scanId, oldest.task, await oldest.batch.result());
    }
  }

  /** Every resource's encryption in one batch, read through the account's clients. */
  private async readBatch(task: ScanTaskRecord): Promise<BatchReading[]> {
    const payload = task.payload as AuditTaskPayload;
    const pair = this.deps.clients.forAccount(task.accountAlias);
    return Promise.all(
      payload.targets.map(async (target) => ({ target, reading: await this.read(pair, target) })),
    );
  }

  /** Records a batch's readings: each KMS key they name (once per scan), observations, completion. */
  private async recordBatch(
    scanId: number,
    task: ScanTaskRecord,
    all: readonly BatchReading[],
  ): Promise<void> {
    const payload = task.payload as AuditTaskPayload;
    const pair = this.deps.clients.forAccount(task.accountAlias);
    const rereads = await this.deferThrottled(scanId, task, payload, all);
    const kept = all.filter(({ target }) => !rereads.has(target.resourceKey));
    const targets = kept.map(({ target }) => target);
    const readings = kept.map(({ reading }) => reading);

    const errorsByCode: Record<string, number> = {};
    const errors: ScopeError[] = [];
    const missing: string[] = [];
    const named: {
      target: AuditTarget;
      observation: EncryptionObservation;
      keyResourceKey: string | null;
    }[] = [];
    readings.forEach((reading, index) => {
      const target = targets[index];
      if (target === undefined) return;
      if (reading.kind === 'missing') {
        // A configured resource that does not exist is named; a listed one deleted since is just gone.
        if (task.taskKey.includes('/configured/')) {
          missing.push(target.name);
          errorsByCode[missingCode(target.kind)] = (errorsByCode[missingCode(target.kind)] ?? 0) + 1;
        }
        return;
      }
      const { observation, error } = reading;
      if (observation.errorCode !== null && observation.encryptionClass === 'unknown') {
        errorsByCode[observation.errorCode] = (errorsByCode[observation.errorCode] ?? 0) + 1;
        if (errors.length < MAX_TASK_ERRORS && error !== null) errors.push(scopeError(error, target.name));
      }
      named.push({ target, observation, keyResourceKey: keyOf(pair.account, target, observation) });
    });

    const keys = await this.describeKeys(scanId, pair, named);
    const observed: ObservedResource[] = named.map(({ target, observation, keyResourceKey: named }) => {
      const description = named === null ? undefined : keys.descriptions.get(named);
      const keyResourceKey =
        named === null ? null : description === undefined ? named : description.resourceKey;
      const key =
        keyResourceKey === null
          ? KEY_NOT_APPLICABLE
          : assessKey(keyResourceKey, description?.observation ?? null);
      const honest = withKeyFacts(observation, key);
      return {
        ref: {
          kind: target.kind,
          resourceKey: target.resourceKey,
          accountAlias: task.accountAlias,
          region: target.region,
          name: target.name,
          parentKey: target.table?.tableBucketArn ?? null,
        },
        observation: honest,
        contentHash: observationHash(honest),
        accountId: target.accountId ?? pair.account.accountId,
        keyResourceKey,
      };
    });
    await this.deps.observations.recordObservations(scanId, this.deps.now(), [...observed, ...keys.records]);
    for (const cacheKey of keys.cacheKeys) this.keyReads.delete(cacheKey);

    const tablesPlan = tablesPlanOf(pair);
    const listings: NewScanTask[] =
      task.resourceKind === 'table_bucket' && tablesPlan.discover
        ? named.map(({ target }) =>
            tableListingTask(task.accountAlias, target.resourceKey, target.region, tablesPlan),
          )
        : [];
    if (listings.length > 0) {
      await this.deps.tasks.addTasks(scanId, listings);
      await sendTaskJobs(this.deps.queue, scanId, listings);
    }
    const completion = await this.deps.tasks.completeTask(scanId, task.taskKey, {
      status: 'done',
      result: {
        listed: targets.length,
        observed: named.length,
        ...(rereads.size === 0 ? {} : { deferred: rereads.size }),
        errorsByCode,
        enumerationComplete: true,
        errors: [...errors, ...keys.errors].slice(0, MAX_TASK_ERRORS),
        missing,
        keys: keys.byRegion,
      },
    });
    if (completion.lastTask) await this.sendEvaluate(scanId);
  }

  /**
   * Resources still throttled after their requests' own retries get another round later in the
   * scan, in a task of their own queued after a delay (doubling each round), while the config's
   * rounds last: by then the account's rate and retry budget have recovered. Returns the resource
   * keys deferred; the rest of the batch is recorded now. The re-read task is added before this one
   * completes, so the scan never ends without it.
   */
  private async deferThrottled(
    scanId: number,
    task: ScanTaskRecord,
    payload: AuditTaskPayload,
    readings: readonly BatchReading[],
  ): Promise<Set<string>> {
    const { rounds, delaySeconds } = this.deps.config.scan.throttledRereads;
    const round = (payload.reread ?? 0) + 1;
    const throttled = readings
      .filter(
        ({ reading }) =>
          reading.kind === 'observed' &&
          reading.error !== null &&
          isThrottling(reading.error.code, reading.error.httpStatus ?? 0),
      )
      .map(({ target }) => target);
    if (throttled.length === 0 || round > rounds) return new Set();
    const reread = rereadTask(task, throttled, round);
    await this.deps.tasks.addTasks(scanId, [reread]);
    await this.deps.queue.send(SCAN_QUEUES.audit, { scanId, taskKey: reread.taskKey } satisfies TaskJob, {
      startAfterSeconds: delaySeconds * 2 ** (round - 1),
    });
    return new Set(throttled.map((target) => target.resourceKey));
  }

  /**
   * DescribeKey for every key the batch names that this scan has not read yet (in this process or
   * recorded by another batch), in the key's own region. Returns, by the name each key was asked
   * by, what it is and its settled identity (the ARN KMS reports), and the observations of the
   * keys this batch read, to record with the batch.
   */
  private async describeKeys(
    scanId: number,
    pair: AccountClientPair,
    named: readonly {
      target: AuditTarget;
      observation: EncryptionObservation;
      keyResourceKey: string | null;
    }[],
  ): Promise<{
    descriptions: Map<string, { resourceKey: string; observation: EncryptionObservation }>;
    records: ObservedResource[];
    byRegion: Record<string, { described: number; errorsByCode: Record<string, number> }>;
    errors: ScopeError[];
    /** The cache entries this batch read, to drop once its keys are recorded. */
    cacheKeys: string[];
  }> {
    const wanted = new Map<string, { reference: string; region: string }>();
    for (const { target, observation, keyResourceKey } of named) {
      if (keyResourceKey !== null && observation.kmsKeyId !== null && !wanted.has(keyResourceKey)) {
        wanted.set(keyResourceKey, {
          reference: observation.kmsKeyId,
          region: kmsKeyRegion(observation.kmsKeyId, target.region),
        });
      }
    }
    const recorded = await this.deps.observations.observationsInScan(scanId, [...wanted.keys()]);
    const descriptions = new Map(
      [...recorded].map(([resourceKey, observation]) => [resourceKey, { resourceKey, observation }]),
    );
    const records: ObservedResource[] = [];
    const errors: ScopeError[] = [];
    const cacheKeys: string[] = [];
    const byRegion: Record<string, { described: number; errorsByCode: Record<string, number> }> = {};
    await Promise.all(
      [...wanted].map(async ([namedKey, { reference, region }]) => {
        if (descriptions.has(namedKey)) return;
        const cacheKey = `${scanId.toString()}\n${namedKey}`;
        cacheKeys.push(cacheKey);
        // One DescribeKey per key per scan in this process. Whether the key still needs recording is
        // the database's answer above, not the cache's: a batch whose recording failed (a database
        // outage) is retried with the reading it already had, and must record the key then.
        let read = this.keyReads.get(cacheKey);
        if (read === undefined) {
          read = this.describeKey(pair, region, reference);
          this.keyReads.set(cacheKey, read);
        }
        const { observation, error } = await read;
        const resourceKey = describedKeyResourceKey(namedKey, observation);
        descriptions.set(namedKey, { resourceKey, observation });
        if (error !== null && errors.length < MAX_TASK_ERRORS) errors.push(scopeError(error, reference));
        const counts = (byRegion[region] ??= { described: 0, errorsByCode: {} });
        counts.described += 1;
        if (observation.encryptionClass === 'unknown' && observation.errorCode !== null) {
          counts.errorsByCode[observation.errorCode] = (counts.errorsByCode[observation.errorCode] ?? 0) + 1;
        }
        // Two names of one key (an alias and its id) are one resource.
        if (records.some((record) => record.ref.resourceKey === resourceKey)) return;
        records.push({
          ref: {
            kind: 'kms_key',
            resourceKey,
            accountAlias: pair.account.alias,
            region,
            name: observation.keyFacts?.keyId ?? reference,
          },
          observation,
          contentHash: observationHash(observation),
          accountId: pair.account.accountId,
        });
      }),
    );
    return { descriptions, records, byRegion, errors, cacheKeys };
  }

  private async describeKey(pair: AccountClientPair, region: string, reference: string): Promise<KeyReading> {
    const result = await pair.kms.describeKey(region, reference);
    const input: KeyDescriptionInput =
      result.outcome === 'key'
        ? { outcome: 'key', facts: result.metadata, requestId: result.requestId }
        : result.outcome === 'key_not_found'
          ? { outcome: 'key_not_found', code: result.code, requestId: result.requestId }
          : { outcome: 'error', error: result.error };
    const error = result.outcome === 'access_denied' || result.outcome === 'error' ? result.error : null;
    return { observation: classifyKeyDescription(input), error };
  }

  /** Reads one resource's encryption; `missing` when the resource no longer exists. */
  private async read(pair: AccountClientPair, target: AuditTarget): Promise<Reading> {
    switch (target.kind) {
      case 'bucket': {
        const result = await pair.oss.getBucketEncryption(target.name, target.region);
        if (result.outcome === 'bucket_missing') return { kind: 'missing' };
        return {
          kind: 'observed',
          observation: classifyBucketEncryption(result),
          error: result.outcome === 'error' ? result.error : null,
        };
      }
      case 'table_bucket': {
        const result = await pair.tables.getTableBucketEncryption(target.resourceKey);
        if (result.outcome === 'bucket_missing') return { kind: 'missing' };
        return {
          kind: 'observed',
          observation: classifyTableBucketEncryption(result),
          error: result.outcome === 'error' ? result.error : null,
        };
      }
      case 'table': {
        const table = target.table;
        if (table === undefined)
          throw new Error(`Audit target ${target.resourceKey} is a table without its address`);
        const result = await pair.tables.getTableEncryption(
          table.tableBucketArn,
          table.namespace,
          table.name,
        );
        switch (result.outcome) {
          case 'table_missing':
          case 'namespace_missing':
          case 'bucket_missing':
            return { kind: 'missing' };
          case 'error':
            return {
              kind: 'observed',
              observation: classifyTableBucketEncryption(result),
              error: result.error,
            };
          default:
            return { kind: 'observed', observation: classifyTableBucketEncryption(result), error: null };
        }
      }
      case 'kms_key':
        throw new Error('KMS keys are read through the resources that name them, never listed');
    }
  }

  private async *listTargets(
    pair: AccountClientPair,
    task: ScanTaskRecord,
    scope: EnumerateTaskPayload,
    onPage: (page: ListingPageReport) => void,
    skippedRegions: Record<string, number>,
  ): AsyncIterable<AuditTarget> {
    const kind: ResourceKind = task.resourceKind;
    const inScope = inEnumerationScope(scope);
    const regions = scope.regions === 'all' ? null : new Set(scope.regions);
    switch (kind) {
      case 'bucket':
        for await (const bucket of pair.oss.listBuckets({ onPage })) {
          if (inScope(bucket.name, bucket.region)) {
            yield {
              kind,
              resourceKey: bucketResourceKey(bucket.name),
              name: bucket.name,
              region: bucket.region,
            };
          } else if (regions !== null && !regions.has(bucket.region)) {
            skippedRegions[bucket.region] = (skippedRegions[bucket.region] ?? 0) + 1;
          }
        }
        return;
      case 'table_bucket':
        for await (const tableBucket of pair.tables.listTableBuckets(task.region, { onPage })) {
          if (inScope(tableBucket.name, tableBucket.region)) {
            yield {
              kind,
              resourceKey: tableBucket.arn,
              name: tableBucket.name,
              region: tableBucket.region,
              accountId: tableBucket.ownerAccountId,
            };
          }
        }
        return;
      case 'table': {
        const arn = scope.tableBucketArn ?? '';
        const parsed = parseTableBucketArn(arn);
        const accountId = parsed.ok ? parsed.value.accountId : undefined;
        const tablesOf = async function* (namespace: string) {
          for await (const table of pair.tables.listTables(arn, namespace, { onPage }))
            yield { namespace, table };
        };
        const namespaces = pair.tables.listNamespaces(arn, { onPage });
        for await (const group of inGroups(namespaces, NAMESPACES_LISTED_AT_ONCE)) {
          for await (const { namespace, table } of merged(group.map(({ name }) => tablesOf(name)))) {
            const name = `${namespace}/${table.name}`;
            if (!inScope(name, table.region)) continue;
            yield {
              kind,
              resourceKey: table.tableArn ?? `${arn}/table/${name}`,
              name,
              region: table.region,
              ...(accountId === undefined ? {} : { accountId }),
              table: { tableBucketArn: arn, namespace, name: table.name },
            };
          }
        }
        return;
      }
      case 'kms_key':
        return;
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

function optional<Key extends string>(key: Key, value: string | null): Partial<Record<Key, string>> {
  return value === null ? {} : ({ [key]: value } as Record<Key, string>);
}

/** The plan a scan stored at its start (a scan from before plans were stored has an empty one). */
function planOf(scan: ScanRecord): ScanPlan {
  const plan = scan.plan as ScanPlan | null;
  return plan ?? { accounts: [] };
}

function tablesPlanOf(pair: AccountClientPair): TablesPlan {
  return { discover: pair.account.discover.tables, ...pair.account.tables };
}

/**
 * The resource key of the KMS key a resource's encryption names, if it names a customer key (the
 * OSS service key, named explicitly or not, is the service's to look after).
 */
function keyOf(
  account: { readonly alias: string; readonly accountId: string | null },
  target: AuditTarget,
  observation: EncryptionObservation,
): string | null {
  const reference = observation.kmsKeyId;
  if (
    observation.encryptionClass !== 'kms_cmk' ||
    reference === null ||
    reference === OSS_SERVICE_KEY_ALIAS
  ) {
    return null;
  }
  return kmsKeyResourceKey(reference, account, target.region);
}

/** The task that reads a batch's throttled resources again, keyed by its origin so a re-delivery adds it once. */
function rereadTask(task: ScanTaskRecord, targets: readonly AuditTarget[], round: number): NewScanTask {
  const payload: AuditTaskPayload = { targets, reread: round };
  return {
    taskKey: `${task.taskKey}/reread`,
    kind: 'audit',
    accountAlias: task.accountAlias,
    region: task.region,
    resourceKind: task.resourceKind,
    payload,
  };
}

function missingCode(kind: ResourceKind): string {
  return kind === 'bucket' ? 'NoSuchBucket' : 'NotFound';
}

function scopeError(info: OssErrorInfo, resource?: string): ScopeError {
  return {
    code: info.code,
    message: info.message,
    httpStatus: info.httpStatus,
    host: info.host,
    requestId: info.requestId,
    operation: info.operation,
    ...(resource === undefined ? {} : { resource }),
  };
}

/** One resource of a batch and what reading its encryption gave. */
interface BatchReading {
  readonly target: AuditTarget;
  readonly reading: Reading;
}

/**
 * A promise whose rejection is held until `result()` is awaited: a batch read started ahead must
 * not become an unhandled rejection while the batch before it is still being recorded.
 * `settledWithin(ms)` says whether it settles within `ms`, without throwing.
 */
function settled<T>(promise: Promise<T>): {
  result: () => Promise<T>;
  settledWithin: (ms: number) => Promise<boolean>;
} {
  const outcome = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return {
    result: async () => {
      const done = await outcome;
      if (!done.ok) throw done.error;
      return done.value;
    },
    settledWithin: (ms) => Promise.race([outcome.then(() => true), delay(ms, false, { ref: false })]),
  };
}

/** The reads an audit batch asks for. */
function targetCount(task: ScanTaskRecord): number {
  return (task.payload as AuditTaskPayload).targets.length;
}

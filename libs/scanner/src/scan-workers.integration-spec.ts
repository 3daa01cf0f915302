import { generateFleet } from '@app/oss-emulator';
import {
  allFindings,
  fleetResourceKeys,
  scanObservations,
  startScanEnvironment,
  startWorkerEnvironment,
  waitUntil,
  type ProxiedWorker,
  type RecordedFinding,
  type WorkerEnvironment,
} from '@app/testing';
import type { DataSource } from 'typeorm';

/**
 * Worker replicas as real processes (`apps/worker/src/main.ts`, each with its own YAML file and
 * its own counting proxy in front of the emulator), this process playing the API.
 */

/** High enough that the emulator, not the AIMD start rate, bounds a scan. */
const RATE = { initialRps: 2000, maxRps: 4000, concurrency: 8 };
/** Quick polling; a job whose replica died expires after 5 s and is retried a second later. */
const JOBS = {
  pollingIntervalSeconds: 0.5,
  expireInSeconds: 5,
  maintenanceIntervalSeconds: 1,
  retryDelaySeconds: 1,
};
const SCAN = { auditBatchSize: 25, jobs: JOBS };
const SCAN_TIMEOUT_MS = 120_000;

function comparable(findings: readonly RecordedFinding[]): string[] {
  return findings.map((f) => `${f.resourceKey} ${f.rule} ${f.severity} ${f.status}`).sort();
}

async function count(dataSource: DataSource, sql: string, parameters: unknown[] = []): Promise<number> {
  const [row] = await dataSource.query<{ count: string }[]>(sql, parameters);
  return Number(row?.count);
}

describe('two worker processes sharing one scan', () => {
  const fleet = generateFleet({
    accounts: 4,
    regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
    buckets: 600,
    tableBuckets: 12,
    deniedBuckets: 3,
    deniedTableBuckets: 1,
    seed: 11,
  });
  const resources = fleetResourceKeys(fleet).length;
  let env: WorkerEnvironment;
  let workers: ProxiedWorker[];

  beforeAll(async () => {
    env = await startWorkerEnvironment({ fleet, scan: SCAN, rate: RATE });
    // Each audit read takes a little while, so both replicas are busy at once.
    env.emulator.setFaults([
      { match: { operation: 'GetBucketEncryption' }, fault: { kind: 'latency', fixedMs: 10 } },
    ]);
    workers = await Promise.all([env.startWorker('replica-a'), env.startWorker('replica-b')]);
  }, 120_000);
  afterAll(async () => {
    await env.close();
  }, 60_000);

  it('is worked by both, reads each resource exactly once, and equals a single-process scan', async () => {
    const started = await env.startScan();
    const scan = await env.waitForScan(started.id, SCAN_TIMEOUT_MS);

    const reads = workers.map((worker) => worker.proxy.encryptionReads() + worker.proxy.keyReads());
    expect(reads.every((n) => n > 0)).toBe(true);
    expect(reads.reduce((a, b) => a + b, 0)).toBe(resources);

    const single = await startScanEnvironment({ fleet, scan: { auditBatchSize: 25 }, rate: RATE });
    try {
      const alone = await single.runScan();
      expect(scan.status).toBe(alone.status);
      // Request ids differ from one emulator to the other; everything else must be the same.
      const withoutRequestIds = (coverage: typeof scan.coverage) =>
        coverage.map(({ proof: _proof, errors, ...row }) => ({
          ...row,
          errors: (errors ?? []).map(({ requestId: _requestId, ...error }) => error),
        }));
      expect(withoutRequestIds(scan.coverage)).toEqual(withoutRequestIds(alone.coverage));
      expect(scan.summary).toEqual(alone.summary);
      const shared = await scanObservations(env.database.dataSource, scan.id);
      expect(shared.size).toBe(resources);
      expect(shared).toEqual(await scanObservations(single.database.dataSource, alone.id));
      expect(comparable(await allFindings(env.database.dataSource))).toEqual(
        comparable(await allFindings(single.database.dataSource)),
      );
    } finally {
      await single.close();
    }
  }, 240_000);
});

describe('a worker process SIGKILLed in the middle of a scan', () => {
  const fleet = generateFleet({
    accounts: 3,
    regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
    buckets: 900,
    tableBuckets: 6,
    seed: 12,
  });
  const resourceKeys = fleetResourceKeys(fleet);
  let env: WorkerEnvironment;
  let victim: ProxiedWorker;
  let survivor: ProxiedWorker;

  beforeAll(async () => {
    env = await startWorkerEnvironment({ fleet, scan: SCAN, rate: RATE });
    // A batch of 25 at 8 in flight takes about 0.4 s: long enough to be caught in the middle.
    env.emulator.setFaults([
      { match: { operation: 'GetBucketEncryption' }, fault: { kind: 'latency', fixedMs: 100 } },
    ]);
    [victim, survivor] = await Promise.all([env.startWorker('victim'), env.startWorker('survivor')]);
  }, 120_000);
  afterAll(async () => {
    await env.close();
  }, 60_000);

  it('still completes, the survivor finishing the dead replica’s batches, with every resource observed exactly once', async () => {
    const { dataSource } = env.database;
    const started = await env.startScan();
    await waitUntil(
      async () =>
        victim.proxy.inFlight() > 0 &&
        (await count(
          dataSource,
          `SELECT count(*) FROM "scan_tasks" WHERE "scan_id" = $1 AND "kind" = 'audit' AND "status" = 'done'`,
          [started.id],
        )) >= 3,
      { timeoutMs: 60_000, intervalMs: 20, what: 'the victim to be reading while audit tasks are done' },
    );
    const doneBeforeKill = await count(
      dataSource,
      `SELECT count(*) FROM "scan_tasks" WHERE "scan_id" = $1 AND "status" = 'done'`,
      [started.id],
    );
    await victim.process.kill();
    const survivorReadsAtKill = survivor.proxy.encryptionReads();

    const scan = await env.waitForScan(started.id, SCAN_TIMEOUT_MS);

    expect(scan.status).toBe('succeeded');
    const observed = await scanObservations(dataSource, scan.id);
    expect([...observed.keys()].sort()).toEqual([...resourceKeys].sort());
    expect(
      await count(dataSource, `SELECT count(*) FROM "scan_observations" WHERE "scan_id" = $1`, [scan.id]),
    ).toBe(resourceKeys.length);
    // No duplicate change rows either: one per resource for a first scan.
    expect(await count(dataSource, `SELECT count(*) FROM "observation_changes"`)).toBe(resourceKeys.length);
    expect(
      await count(
        dataSource,
        `SELECT count(*) FROM "scan_tasks" WHERE "scan_id" = $1 AND "status" <> 'done'`,
        [scan.id],
      ),
    ).toBe(0);
    // The work left when the victim died was done by the survivor: the batches the victim had in
    // hand stay pending, and its account lease died with its database session, so the survivor
    // takes them on with the account, or runs them when the victim's jobs lapse and are retried,
    // whichever comes first.
    const total = await count(dataSource, `SELECT count(*) FROM "scan_tasks" WHERE "scan_id" = $1`, [
      scan.id,
    ]);
    expect(doneBeforeKill).toBeLessThan(total);
    expect(survivor.proxy.encryptionReads()).toBeGreaterThan(survivorReadsAtKill);
  }, 240_000);
});

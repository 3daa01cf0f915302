import { generateFleet } from '@app/oss-emulator';
import {
  fleetResourceKeys,
  scanObservations,
  startWorkerEnvironment,
  waitUntil,
  type ProxiedWorker,
  type WorkerEnvironment,
} from '@app/testing';
import type { DataSource } from 'typeorm';

/**
 * The default job settings (`scan.jobs` left out of the configuration) bound how long a SIGKILLed
 * replica's jobs wait: the lease the victim last renewed lapses at most `leaseSeconds` (60 s) after
 * its death; any consuming replica reaps lapsed jobs every quarter lease (15 s); the reaped job is
 * retried after its first retry delay, between 1 and 2 times `retryDelaySeconds` (10-20 s, pg-boss's
 * backoff); the survivor polls every second. 60 + 15 + 20 + 1 = 96 s < 120 s.
 */
const RESUME_BOUND_MS = 120_000;
const RATE = { initialRps: 2000, maxRps: 4000, concurrency: 8 };

async function count(dataSource: DataSource, sql: string, parameters: unknown[] = []): Promise<number> {
  const [row] = await dataSource.query<{ count: string }[]>(sql, parameters);
  return Number(row?.count);
}

describe('a worker process SIGKILLed mid-job, with the default job settings', () => {
  const fleet = generateFleet({
    accounts: 3,
    regions: ['cn-hangzhou', 'cn-shanghai'],
    buckets: 600,
    tableBuckets: 6,
    seed: 22,
  });
  const resourceKeys = fleetResourceKeys(fleet);
  let env: WorkerEnvironment;
  let victim: ProxiedWorker;
  let survivor: ProxiedWorker;

  beforeAll(async () => {
    env = await startWorkerEnvironment({ fleet, scan: { auditBatchSize: 25 }, rate: RATE });
    // A batch of 25 at 8 in flight takes about 0.4 s: long enough to be caught in the middle.
    env.emulator.setFaults([
      { match: { operation: 'GetBucketEncryption' }, fault: { kind: 'latency', fixedMs: 100 } },
    ]);
    [victim, survivor] = await Promise.all([env.startWorker('victim'), env.startWorker('survivor')]);
  }, 120_000);
  afterAll(async () => {
    await env.close();
  }, 60_000);

  it('has its jobs taken over by the other replica and the scan finished within 2 minutes of its death (lease 60 s + reaping 15 s + retry delay ≤ 20 s + polling 1 s)', async () => {
    const { dataSource } = env.database;
    const started = await env.startScan();
    await waitUntil(
      async () =>
        victim.proxy.inFlight() > 0 &&
        (await count(
          dataSource,
          `SELECT count(*) FROM "scan_tasks" WHERE "scan_id" = $1 AND "kind" = 'audit' AND "status" = 'done'`,
          [started.id],
        )) >= 2,
      { timeoutMs: 60_000, intervalMs: 20, what: 'the victim to be reading while audit tasks are done' },
    );
    await victim.process.kill();
    const killedAt = Date.now();

    const scan = await env.waitForScan(started.id, RESUME_BOUND_MS);
    const resumedWithinMs = Date.now() - killedAt;

    expect(resumedWithinMs).toBeLessThan(RESUME_BOUND_MS);
    expect(survivor.process.alive()).toBe(true);
    expect(scan.status).toBe('succeeded');
    const observed = await scanObservations(dataSource, scan.id);
    expect([...observed.keys()].sort()).toEqual([...resourceKeys].sort());
    expect(
      await count(dataSource, `SELECT count(*) FROM "scan_observations" WHERE "scan_id" = $1`, [scan.id]),
    ).toBe(resourceKeys.length);
    // The survivor finished the victim's work: its tasks were done after the kill, whether their jobs
    // were reaped and run again or the survivor took the account's lease (gone with the victim's
    // connection) and audited its pending batches.
    expect(
      await count(
        dataSource,
        `SELECT count(*) FROM "scan_tasks" WHERE "scan_id" = $1 AND "status" = 'done' AND "updated_at" > $2`,
        [scan.id, new Date(killedAt)],
      ),
    ).toBeGreaterThan(0);
    process.stdout.write(`scan finished ${(resumedWithinMs / 1000).toFixed(1)} s after the SIGKILL\n`);
  }, 240_000);
});

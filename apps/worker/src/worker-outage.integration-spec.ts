import { setTimeout as delay } from 'node:timers/promises';

import { generateFleet } from '@app/oss-emulator';
import {
  fleetResourceKeys,
  logMessage,
  scanObservations,
  startWorkerEnvironment,
  waitUntil,
  type ProxiedWorker,
  type WorkerEnvironment,
} from '@app/testing';
import type { DataSource } from 'typeorm';

/**
 * Two worker processes reach PostgreSQL through a TCP proxy this test cuts for 40 s in the middle
 * of a scan (docs/operations.md, database outage). Job settings are the defaults but for quick polling,
 * a 1 s retry delay and one audit job at a time per replica: the lease (60 s) outlasts the outage, so no
 * job is handed out twice; and an audit job keeps its account while the account has batches, so with
 * the default four a replica could take all three accounts and leave the other only listings to do.
 */
const OUTAGE_MS = 40_000;
const RATE = { initialRps: 2000, maxRps: 4000, concurrency: 8 };
const SCAN = {
  auditBatchSize: 25,
  jobs: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, auditConcurrency: 1 },
};

async function count(dataSource: DataSource, sql: string, parameters: unknown[] = []): Promise<number> {
  const [row] = await dataSource.query<{ count: string }[]>(sql, parameters);
  return Number(row?.count);
}

async function metricsPort(worker: ProxiedWorker): Promise<number> {
  const line = await worker.process.waitForLog(
    (entry) => logMessage(entry) === 'metrics server listening',
    30_000,
  );
  return Number(line.port);
}

async function gauge(port: number, name: string): Promise<number | null> {
  const text = await (await fetch(`http://127.0.0.1:${port.toString()}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

describe('worker processes through a 40 s database outage', () => {
  const fleet = generateFleet({
    accounts: 3,
    regions: ['cn-hangzhou', 'cn-shanghai'],
    buckets: 600,
    tableBuckets: 6,
    seed: 21,
  });
  const resourceKeys = fleetResourceKeys(fleet);
  let env: WorkerEnvironment;
  let workers: ProxiedWorker[];

  beforeAll(async () => {
    env = await startWorkerEnvironment({ fleet, scan: SCAN, rate: RATE, databaseProxy: true });
    // A batch of 25 at 8 in flight takes about 0.4 s: the cut finds jobs in flight.
    env.emulator.setFaults([
      { match: { operation: 'GetBucketEncryption' }, fault: { kind: 'latency', fixedMs: 100 } },
    ]);
    workers = await Promise.all([env.startWorker('replica-a'), env.startWorker('replica-b')]);
  }, 120_000);
  afterAll(async () => {
    await env.close();
  }, 60_000);

  it('stay alive, report the database down, and finish the scan with every resource observed once', async () => {
    const { dataSource } = env.database;
    const proxy = env.databaseProxy!;
    const ports = await Promise.all(workers.map(metricsPort));
    const started = await env.startScan();
    await waitUntil(
      async () =>
        workers.every((worker) => worker.proxy.inFlight() > 0) &&
        (await count(
          dataSource,
          `SELECT count(*) FROM "scan_tasks" WHERE "scan_id" = $1 AND "kind" = 'audit' AND "status" = 'done'`,
          [started.id],
        )) >= 2,
      { timeoutMs: 60_000, intervalMs: 20, what: 'both replicas to be reading while audit tasks are done' },
    );

    await proxy.disable();
    await delay(OUTAGE_MS / 2);
    const upDuringOutage = await Promise.all(ports.map((port) => gauge(port, 'seed_worker_database_up')));
    await delay(OUTAGE_MS / 2);
    expect(workers.map((worker) => worker.process.alive())).toEqual([true, true]);
    expect(upDuringOutage).toEqual([0, 0]);
    expect(
      (await count(dataSource, `SELECT count(*) FROM "scans" WHERE "id" = $1 AND "status" = 'running'`, [
        started.id,
      ])) > 0,
    ).toBe(true);
    await proxy.enable();

    const scan = await env.waitForScan(started.id, 90_000);

    expect(workers.map((worker) => worker.process.alive())).toEqual([true, true]);
    expect(await Promise.all(ports.map((port) => gauge(port, 'seed_worker_database_up')))).toEqual([1, 1]);
    // The safety net caught nothing: every failure path handled its own errors.
    expect(
      await Promise.all(ports.map((port) => gauge(port, 'seed_worker_unhandled_rejections_total'))),
    ).toEqual([0, 0]);
    expect(scan.status).toBe('succeeded');
    const observed = await scanObservations(dataSource, scan.id);
    expect([...observed.keys()].sort()).toEqual([...resourceKeys].sort());
    expect(
      await count(dataSource, `SELECT count(*) FROM "scan_observations" WHERE "scan_id" = $1`, [scan.id]),
    ).toBe(resourceKeys.length);
    expect(await count(dataSource, `SELECT count(*) FROM "observation_changes"`)).toBe(resourceKeys.length);
    // The outage was noticed and logged, not silently absorbed.
    const errorLines = workers.flatMap((worker) =>
      worker.process.logs().filter((line) => line.level === 50 && typeof line.kind === 'string'),
    );
    expect(errorLines.length).toBeGreaterThan(0);
  }, 240_000);
});

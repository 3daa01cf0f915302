import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { parseAuditConfig } from '@app/config';
import { generateFleet, startEmulator, type EmulatorHandle } from '@app/oss-emulator';
import { ScanRuntime } from '@app/scanner';
import {
  createTestDatabase,
  fleetAuditConfig,
  startCountingProxy,
  waitUntil,
  type CountingProxy,
  type TestDatabase,
  fleetResourceKeys,
} from '@app/testing';
import type { DataSource } from 'typeorm';
import { stringify } from 'yaml';

/**
 * What `docker stop` / a Kubernetes rollout does to a worker replica: SIGTERM in the middle of a
 * scan. The replica must stop fetching, let the jobs it holds finish, and exit 0; the scan then
 * completes on another replica (a ScanRuntime in this process) with every resource read once.
 */

const REPOSITORY_ROOT = join(__dirname, '..', '..', '..', '..');
const WORKER_MAIN = join(REPOSITORY_ROOT, 'apps', 'worker', 'src', 'main.ts');

const fleet = generateFleet({
  accounts: 2,
  regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
  buckets: 300,
  tableBuckets: 3,
  seed: 31,
});
const BUCKETS = 300;
/** Buckets, table buckets and the KMS keys they name. */
const RESOURCES = fleetResourceKeys(fleet).length;
/** Fast enough that the emulator's latency, not the pace, bounds the scan. */
const RATE = { initialRps: 2000, maxRps: 4000, concurrency: 8 };
/**
 * Quick polling. A job the stopping replica abandoned would be failed and retried, and its
 * buckets read twice: every bucket read exactly once says the drain finished them.
 */
const SCAN = { auditBatchSize: 20, jobs: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1 } };

let database: TestDatabase;
let emulator: EmulatorHandle;
/** Between the worker and the emulator: tells what the worker has in flight. */
let proxy: CountingProxy;
let runtime: ScanRuntime;
let directory: string;
let worker: ChildProcess | undefined;
/** The worker's stdout: JSON log lines (not a terminal). */
const logs: string[] = [];

async function count(dataSource: DataSource, sql: string, parameters: unknown[] = []): Promise<number> {
  const [row] = await dataSource.query<{ count: string }[]>(sql, parameters);
  return Number(row?.count);
}

beforeAll(async () => {
  database = await createTestDatabase();
  emulator = await startEmulator({ fleet });
  // Each read takes a while, so the replica always holds audit jobs in flight.
  emulator.setFaults([
    { match: { operation: 'GetBucketEncryption' }, fault: { kind: 'latency', fixedMs: 150 } },
  ]);
  proxy = await startCountingProxy(emulator.url);
  const options = { databaseUrl: database.url, rate: RATE, scan: SCAN };
  const { document, env } = fleetAuditConfig(fleet, { ...options, emulatorUrl: proxy.url });
  const direct = fleetAuditConfig(fleet, { ...options, emulatorUrl: emulator.url });
  runtime = new ScanRuntime({
    config: parseAuditConfig(direct.document, { env: direct.env }),
    dataSource: database.dataSource,
  });
  directory = mkdtempSync(join(tmpdir(), 'seed-shutdown-'));
  const configPath = join(directory, 'audit.config.yaml');
  writeFileSync(configPath, stringify(document));
  worker = spawn(process.execPath, ['-r', '@swc-node/register', WORKER_MAIN], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, AUDIT_CONFIG: configPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = worker;
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => logs.push(line));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  await waitUntil(
    () => {
      if (child.exitCode !== null) throw new Error(`The worker exited: ${stderr}`);
      return logs.some((line) => line.includes('consuming scan jobs'));
    },
    { timeoutMs: 60_000, what: 'the worker to consume scan jobs' },
  );
}, 90_000);

afterAll(async () => {
  if (worker !== undefined && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await runtime.close(5_000);
  await proxy.close();
  await emulator.close();
  await database.drop();
  rmSync(directory, { recursive: true, force: true });
}, 60_000);

describe('a worker replica sent SIGTERM in the middle of a scan', () => {
  it('drains its jobs, exits 0, and leaves a scan another replica completes with every resource read once', async () => {
    const { dataSource } = database;
    const { scan: started } = await runtime.startScan('api');
    const doneTasks = () =>
      count(dataSource, `SELECT count(*) FROM "scan_tasks" WHERE "scan_id" = $1 AND "status" = 'done'`, [
        started.id,
      ]);
    await waitUntil(() => proxy.encryptionReads() >= 2 * SCAN.auditBatchSize && proxy.inFlight() > 0, {
      timeoutMs: 60_000,
      intervalMs: 5,
      what: 'the worker to be in the middle of auditing buckets',
    });
    const doneAtSignal = await doneTasks();

    const exited = once(worker!, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    worker!.kill('SIGTERM');
    const [code, signal] = await exited;

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // It said so, at info (30), in JSON lines with ISO timestamps.
    const lines = logs.map((line) => JSON.parse(line) as { level: number; msg?: string; time: string });
    expect(
      lines
        .filter(
          (line) =>
            line.msg === 'SIGTERM received: taking no new jobs, letting those in flight finish' ||
            line.msg === 'scan jobs drained',
        )
        .map((line) => [line.level, line.msg]),
    ).toEqual([
      [30, 'SIGTERM received: taking no new jobs, letting those in flight finish'],
      [30, 'scan jobs drained'],
    ]);
    expect(lines.every((line) => new Date(line.time).toISOString() === line.time)).toBe(true);
    // What it was doing when the signal came was finished (its requests answered, its tasks
    // recorded), not left for its jobs to expire...
    expect(proxy.inFlight()).toBe(0);
    expect(await doneTasks()).toBeGreaterThan(doneAtSignal);
    expect(
      await count(
        dataSource,
        `SELECT count(*) FROM pgboss.job WHERE "name" LIKE 'scan-%' AND "state" = 'active'`,
      ),
    ).toBe(0);
    // ...and it took no more: work is left for the others.
    expect(
      await count(
        dataSource,
        `SELECT count(*) FROM "scan_tasks" WHERE "scan_id" = $1 AND "status" = 'pending'`,
        [started.id],
      ),
    ).toBeGreaterThan(0);

    await runtime.startConsuming();
    const scan = await runtime.waitForScan(started.id);

    expect(scan.status).toBe('succeeded');
    expect(
      await count(dataSource, `SELECT count(*) FROM "scan_observations" WHERE "scan_id" = $1`, [scan.id]),
    ).toBe(RESOURCES);
    expect(await count(dataSource, `SELECT count(*) FROM "observation_changes"`)).toBe(RESOURCES);
    // Every bucket and key read once in all: nothing the stopped replica read was read again.
    expect(emulator.requestCount('GetBucketEncryption')).toBe(BUCKETS);
    expect(emulator.requestCount('DescribeKey')).toBe(
      fleetResourceKeys(fleet).filter((key) => key.startsWith('kms:') || key.startsWith('acs:kms:')).length,
    );
  }, 180_000);
});

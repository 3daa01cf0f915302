import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import autocannon from 'autocannon';

import {
  createResourceEvaluator,
  DEFAULT_FINDING_POLICY,
  type EncryptionClass,
  observationHash,
  type ResourceRef,
} from '@app/audit';
import { parseAuditConfig } from '@app/config';
import { seededRandom } from '@app/oss-emulator';
import {
  ApiKeyRepository,
  createDataSource,
  EvaluationRepository,
  ObservationRepository,
  type ObservedResource,
  runMigrations,
  ScanRepository,
} from '@app/persistence';

import { createApiApplication, ApiKeyService } from '@apps/api';
import { choosePostgresServer } from '@app/testing';

import { createBenchDatabase } from './harness/postgres';
import { syntheticObservation, syntheticRef, type SyntheticFleet } from './harness/synthetic-resources';

/**
 * The findings API under load, against the trivial health route of the same process.
 *
 * Data: 100,000 resources (4 accounts, 4 regions, buckets and table buckets, every encryption
 * class in realistic proportions) and 30 nightly scans of history, written through the worker's
 * own write path (ObservationRepository + EvaluationRepository with the scanner's evaluator). The
 * first scan observes the whole fleet; each later night about 0.5% of the fleet changes encryption
 * and the scan of that night observes those resources (observing the unchanged rest again would
 * add a per-scan record and move `last_seen`, which no findings query reads, at two minutes a
 * night). So findings open and resolve, drift and the change log accumulate as in production.
 *
 * Load: the API runs alone in a child process (its own event loop, as in production); autocannon
 * in this process drives `GET /healthz` and `GET /v1/findings?status=open&limit=100` (with an API
 * key) in alternating rounds, CONNECTIONS connections for ROUND_SECONDS each; the median round of
 * each route is reported (requests/s, p50, p99) with the ratio of the findings rate to the health
 * rate. Aim: findings at least half the rate of the trivial route. Logging at `warn` (no per-request
 * log line) for both.
 *
 * Run: node -r @swc-node/register apps/bench/src/api.bench.ts
 * Writes bench-results/api.json.
 */

const RESOURCES = 100_000;
const SCANS = 30;
/** Share of the fleet whose encryption changes each night. */
const NIGHTLY_CHANGE = 0.005;
/** One resource in 20 is a table bucket. */
const FLEET: SyntheticFleet = {
  accounts: [
    { alias: 'prod', id: '1000000000000001' },
    { alias: 'staging', id: '1000000000000002' },
    { alias: 'data', id: '1000000000000003' },
    { alias: 'logs', id: '1000000000000004' },
  ],
  regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen'],
  tableBucketEvery: 20,
};
/** Share of each class in the fleet; the rest of the weights' sum is `kms_cmk`. */
const CLASS_WEIGHTS: readonly [EncryptionClass, number][] = [
  ['kms_cmk', 45],
  ['kms_default', 15],
  ['oss_aes256', 22],
  ['oss_sm4', 5],
  ['none', 10],
  ['unknown', 3],
];
const RECORD_BATCH = 5_000;
const CONNECTIONS = 32;
const ROUND_SECONDS = 10;
const ROUNDS = 3;
const FINDINGS_PATH = '/v1/findings?status=open&limit=100';

interface RouteRound {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
}

function pickClass(draw: number): EncryptionClass {
  const total = CLASS_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = draw * total;
  for (const [encryptionClass, weight] of CLASS_WEIGHTS) {
    if (threshold < weight) return encryptionClass;
    threshold -= weight;
  }
  return 'kms_cmk';
}

function observedAs(ref: ResourceRef, encryptionClass: EncryptionClass, night: number): ObservedResource {
  const observation = syntheticObservation(ref, encryptionClass, `req-${night.toString()}-${ref.name}`);
  return { ref, observation, contentHash: observationHash(observation) };
}

/** 30 nights of scans over 100,000 resources through the write path; returns a reader key's token. */
async function loadHistory(databaseUrl: string): Promise<{ token: string; loadSeconds: number }> {
  const started = Date.now();
  const dataSource = await createDataSource({ url: databaseUrl, poolSize: 4 }).initialize();
  try {
    await runMigrations(dataSource);
    const scans = new ScanRepository(dataSource);
    const observations = new ObservationRepository(dataSource);
    const evaluation = new EvaluationRepository(dataSource);
    const evaluate = createResourceEvaluator(DEFAULT_FINDING_POLICY);
    // Deterministic, so every run loads the same data.
    const draw = seededRandom(7);
    const refs = Array.from({ length: RESOURCES }, (_, index) => syntheticRef(FLEET, index));
    const classes = refs.map(() => pickClass(draw()));
    const firstNight = Date.UTC(2026, 0, 1, 2);
    for (let night = 0; night < SCANS; night += 1) {
      const observed = new Set<number>();
      if (night === 0) {
        refs.forEach((_, index) => observed.add(index));
      } else {
        for (let change = 0; change < RESOURCES * NIGHTLY_CHANGE; change += 1) {
          const index = Math.floor(draw() * RESOURCES);
          classes[index] = pickClass(draw());
          observed.add(index);
        }
      }
      const at = new Date(firstNight + night * 86_400_000);
      const { scan } = await scans.startScan({ trigger: 'schedule', scheduleSlot: at, startedAt: at });
      const items = [...observed].sort((a, b) => a - b);
      for (let start = 0; start < items.length; start += RECORD_BATCH) {
        const batch = items
          .slice(start, start + RECORD_BATCH)
          .map((index) =>
            observedAs(refs[index] ?? syntheticRef(FLEET, index), classes[index] ?? 'none', night),
          );
        await observations.recordObservations(scan.id, at, batch);
      }
      await evaluation.evaluateAndFinishScan(scan.id, {
        evaluate,
        judgeUnseen: () => 'unproved',
        status: 'succeeded',
        coverage: [],
        evaluatedAt: new Date(at.getTime() + 20 * 60_000),
      });
      console.log(
        `night ${(night + 1).toString()}/${SCANS.toString()} loaded (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
    await dataSource.query('VACUUM ANALYZE');
    const { token } = await new ApiKeyService(new ApiKeyRepository(dataSource)).create('bench', 'reader');
    return { token, loadSeconds: (Date.now() - started) / 1000 };
  } finally {
    await dataSource.destroy();
  }
}

/** Child process: the API alone on its event loop, on the bench database. */
async function serve(databaseUrl: string): Promise<void> {
  const config = parseAuditConfig(
    {
      accounts: [{ alias: 'bench', credentials: { type: 'default_chain' }, regions: ['cn-hangzhou'] }],
      schedule: { enabled: false },
      api: { rateLimitPerMinute: 1_000_000 },
      logging: { level: 'warn' },
    },
    { env: { DATABASE_URL: databaseUrl }, source: 'api bench' },
  );
  const app = await createApiApplication({
    config: { config },
    scanStarter: {
      useFactory: () => ({ startScan: () => Promise.reject(new Error('The benchmark starts no scans')) }),
    },
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.send?.({ port: address.port });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

function round(url: string, headers: Record<string, string>): Promise<RouteRound> {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, connections: CONNECTIONS, duration: ROUND_SECONDS }, (error, result) => {
      if (error !== null && error !== undefined) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      resolve({
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        errors: result.errors,
        non2xx: result.non2xx,
      });
    });
  });
}

function median(rounds: readonly RouteRound[]): RouteRound {
  const sorted = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('No rounds were run');
  return middle;
}

async function main(): Promise<void> {
  const server = await choosePostgresServer();
  const database = await createBenchDatabase(server.url, 'api');
  const databaseUrl = database.url;
  try {
    const { token, loadSeconds } = await loadHistory(databaseUrl);
    const child = fork(__filename, ['serve', databaseUrl], { execArgv: ['-r', '@swc-node/register'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.once('message', (message) => {
          resolve((message as { port: number }).port);
        });
        child.once('exit', (code) => {
          reject(new Error(`The API process exited with ${String(code)}`));
        });
      });
      const base = `http://127.0.0.1:${port.toString()}`;
      const authorization = { authorization: `Bearer ${token}` };
      // Warm-up: JIT, connection pool, Postgres buffers.
      await round(`${base}/healthz`, {});
      await round(`${base}${FINDINGS_PATH}`, authorization);
      const health: RouteRound[] = [];
      const findings: RouteRound[] = [];
      for (let index = 0; index < ROUNDS; index += 1) {
        const order = index % 2 === 0 ? (['health', 'findings'] as const) : (['findings', 'health'] as const);
        for (const route of order) {
          const result =
            route === 'health'
              ? await round(`${base}/healthz`, {})
              : await round(`${base}${FINDINGS_PATH}`, authorization);
          (route === 'health' ? health : findings).push(result);
          console.log(`round ${(index + 1).toString()} ${route}: ${JSON.stringify(result)}`);
        }
      }
      const healthMedian = median(health);
      const findingsMedian = median(findings);
      const failures = [...health, ...findings].reduce(
        (sum, result) => sum + result.errors + result.non2xx,
        0,
      );
      const result = {
        benchmark: 'GET /v1/findings?status=open&limit=100 vs GET /healthz, same process',
        resources: RESOURCES,
        scans: SCANS,
        loadSeconds,
        connections: CONNECTIONS,
        roundSeconds: ROUND_SECONDS,
        health: healthMedian,
        findings: findingsMedian,
        ratio: Number((findingsMedian.requestsPerSecond / healthMedian.requestsPerSecond).toFixed(3)),
        failures,
        rounds: { health, findings },
      };
      mkdirSync(join(process.cwd(), 'bench-results'), { recursive: true });
      writeFileSync(join(process.cwd(), 'bench-results', 'api.json'), `${JSON.stringify(result, null, 2)}\n`);
      console.log(
        `health ${healthMedian.requestsPerSecond.toFixed(0)} req/s (p50 ${healthMedian.p50Ms.toString()} ms, p99 ${healthMedian.p99Ms.toString()} ms); ` +
          `findings ${findingsMedian.requestsPerSecond.toFixed(0)} req/s (p50 ${findingsMedian.p50Ms.toString()} ms, p99 ${findingsMedian.p99Ms.toString()} ms); ` +
          `ratio ${result.ratio.toString()} (aim >= 0.5)`,
      );
      if (failures > 0) process.exitCode = 1;
    } finally {
      // The API must let go of the database before it is dropped.
      const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve();
      if (child.connected) child.disconnect();
      await exited;
    }
  } finally {
    await database.drop();
    await server.stop();
  }
}

if (require.main === module) {
  const [mode, databaseUrl] = process.argv.slice(2);
  const run = mode === 'serve' && databaseUrl !== undefined ? serve(databaseUrl) : main();
  run.catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

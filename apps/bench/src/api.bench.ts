import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import autocannon from 'autocannon';

import { parseAuditConfig } from '@app/config';
import { createApiApplication } from '@apps/api';
import { choosePostgresServer } from '@app/testing';
import { loadFleetHistory } from './harness/fleet-history';
import { createBenchDatabase } from './harness/postgres';

/**
 * The findings API under load, against the trivial health route of the same process.
 *
 * Data: 100,000 resources (4 accounts, 4 regions, buckets and table buckets, every encryption
 * class in realistic proportions) and 30 nightly scans of history, written through the worker's
 * own write path by `loadFleetHistory`; each night after the first about 0.5% of the fleet changes
 * encryption, so findings open and resolve, drift and the change log accumulate as in production.
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
    const { token, loadSeconds } = await loadFleetHistory(databaseUrl, {
      resources: RESOURCES,
      scans: SCANS,
      nightlyChange: NIGHTLY_CHANGE,
      keyName: 'bench',
    });
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

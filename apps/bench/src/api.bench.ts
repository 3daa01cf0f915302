import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';

import autocannon from 'autocannon';

import { parseAuditConfig } from '@app/config';
import { createApiApplication } from '@apps/api';
import { choosePostgresServer } from '@app/testing';
import { startBareFindingsServer } from './harness/bare-findings-server';
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
 * Baseline: the same findings query served by bare `node:http` + `pg` (no framework, no key, no
 * validation, no logging; `startBareFindingsServer`): the same statement and the same JSON, which
 * the run checks byte for byte before it loads either.
 *
 * Load: the API and the baseline each run alone in a child process (their own event loop, as in
 * production); autocannon in this process drives `GET /healthz` (API), `GET /v1/findings?status=open&limit=100`
 * (API, with an API key) and the same path on the baseline in rotating rounds, CONNECTIONS connections
 * for ROUND_SECONDS each; the median round of each is reported (requests/s, p50, p99) with the
 * ratio of the API's findings rate to the baseline's (aim >= 0.7) and each one's p99/p50 (aim <= 3).
 * Each round also reports what the serving process spent per request: CPU time and, within it,
 * garbage collection (both read by the child itself), figures a shared machine disturbs less than
 * throughput.
 * The API logs at `info`, as in production: one line per findings request (to /dev/null here).
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
  /** CPU time of the serving process per request answered, garbage collection included. */
  readonly cpuMsPerRequest: number;
  /** Garbage collection pauses of the serving process per request answered. */
  readonly gcMsPerRequest: number;
}

/** What a server child has spent so far. */
interface ProcessUsage {
  readonly cpuMs: number;
  readonly gcMs: number;
}

/** Child side: answers `usage` messages with the process's CPU and garbage collection time so far. */
function answerUsage(): void {
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (message: unknown) => {
    if (message !== 'usage') return;
    const cpu = process.cpuUsage();
    process.send?.({ cpuMs: (cpu.user + cpu.system) / 1000, gcMs } satisfies ProcessUsage);
  });
}

/** Parent side: the usage so far of a server child. */
function usageOf(child: ChildProcess): Promise<ProcessUsage> {
  return new Promise((resolve) => {
    child.once('message', (message) => {
      resolve(message as ProcessUsage);
    });
    child.send('usage');
  });
}

/** Child process: the API alone on its event loop, on the bench database, logging as in production. */
async function serve(databaseUrl: string): Promise<void> {
  const config = parseAuditConfig(
    {
      accounts: [{ alias: 'bench', credentials: { type: 'default_chain' }, regions: ['cn-hangzhou'] }],
      schedule: { enabled: false },
      api: { rateLimitPerMinute: 1_000_000 },
      logging: { level: 'info' },
    },
    { env: { DATABASE_URL: databaseUrl }, source: 'api bench' },
  );
  const app = await createApiApplication({
    config: { config },
    scanStarter: {
      useFactory: () => ({ startScan: () => Promise.reject(new Error('The benchmark starts no scans')) }),
    },
    logDestination: createWriteStream('/dev/null'),
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  answerUsage();
  process.send?.({ port: address.port });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

/** Child process: the bare baseline alone on its event loop. */
async function serveBare(databaseUrl: string): Promise<void> {
  const server = await startBareFindingsServer(databaseUrl);
  answerUsage();
  process.send?.({ port: server.port });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

/** Forks this file in `mode`; resolves with the child and the port it listens on. */
async function forkServer(
  mode: 'serve' | 'bare',
  databaseUrl: string,
): Promise<{ child: ChildProcess; base: string }> {
  const child = fork(__filename, [mode, databaseUrl], { execArgv: ['-r', '@swc-node/register'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => {
      resolve((message as { port: number }).port);
    });
    child.once('exit', (code) => {
      reject(new Error(`The ${mode} process exited with ${String(code)}`));
    });
  });
  return { child, base: `http://127.0.0.1:${port.toString()}` };
}

/** Disconnects a server child and waits for it to exit (it must let go of the database first). */
async function stopServer(child: ChildProcess): Promise<void> {
  const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve();
  if (child.connected) child.disconnect();
  await exited;
}

/** The body of one GET, refusing anything but a 200. */
async function body(url: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status.toString()}: ${text}`);
  return text;
}

/** One round of load on `target`, with what its serving process spent per request. */
async function round(target: {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly server: ChildProcess;
}): Promise<RouteRound> {
  const before = await usageOf(target.server);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      { url: target.url, headers: target.headers, connections: CONNECTIONS, duration: ROUND_SECONDS },
      (error, outcome) => {
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve(outcome);
      },
    );
  });
  const after = await usageOf(target.server);
  const answered = Math.max(result.requests.total, 1);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    cpuMsPerRequest: Number(((after.cpuMs - before.cpuMs) / answered).toFixed(3)),
    gcMsPerRequest: Number(((after.gcMs - before.gcMs) / answered).toFixed(3)),
  };
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
    const api = await forkServer('serve', databaseUrl);
    const bare = await forkServer('bare', databaseUrl).catch(async (error: unknown) => {
      await stopServer(api.child);
      throw error;
    });
    try {
      const authorization = { authorization: `Bearer ${token}` };
      const targets = {
        health: { url: `${api.base}/healthz`, headers: {}, server: api.child },
        findings: { url: `${api.base}${FINDINGS_PATH}`, headers: authorization, server: api.child },
        bare: { url: `${bare.base}${FINDINGS_PATH}`, headers: {}, server: bare.child },
      } as const;
      const apiBody = await body(targets.findings.url, targets.findings.headers);
      if (apiBody !== (await body(targets.bare.url, targets.bare.headers))) {
        throw new Error('The bare baseline does not answer the JSON the API answers');
      }
      const names = Object.keys(targets) as (keyof typeof targets)[];
      // Warm-up: JIT, connection pools, Postgres buffers.
      for (const name of names) await round(targets[name]);
      const rounds: Record<keyof typeof targets, RouteRound[]> = { health: [], findings: [], bare: [] };
      for (let index = 0; index < ROUNDS; index += 1) {
        // Rotated, so no route always runs right after the same other one.
        const order = names.map(
          (_, offset) => names[(index + offset) % names.length] as keyof typeof targets,
        );
        for (const name of order) {
          const result = await round(targets[name]);
          rounds[name].push(result);
          console.log(`round ${(index + 1).toString()} ${name}: ${JSON.stringify(result)}`);
        }
      }
      const health = median(rounds.health);
      const findings = median(rounds.findings);
      const bareFindings = median(rounds.bare);
      const failures = Object.values(rounds)
        .flat()
        .reduce((sum, result) => sum + result.errors + result.non2xx, 0);
      const tail = (route: RouteRound) => Number((route.p99Ms / Math.max(route.p50Ms, 1)).toFixed(2));
      const result = {
        benchmark:
          'GET /v1/findings?status=open&limit=100: the API vs bare node:http + pg (same SQL, same JSON)',
        resources: RESOURCES,
        scans: SCANS,
        loadSeconds,
        connections: CONNECTIONS,
        roundSeconds: ROUND_SECONDS,
        responseBytes: Buffer.byteLength(apiBody),
        findings,
        bare: bareFindings,
        health,
        ratioToBare: Number((findings.requestsPerSecond / bareFindings.requestsPerSecond).toFixed(3)),
        ratioToHealth: Number((findings.requestsPerSecond / health.requestsPerSecond).toFixed(3)),
        findingsP99ToP50: tail(findings),
        bareP99ToP50: tail(bareFindings),
        failures,
        rounds,
      };
      mkdirSync(join(process.cwd(), 'bench-results'), { recursive: true });
      writeFileSync(join(process.cwd(), 'bench-results', 'api.json'), `${JSON.stringify(result, null, 2)}\n`);
      const line = (name: string, route: RouteRound) =>
        `${name} ${route.requestsPerSecond.toFixed(0)} req/s (p50 ${route.p50Ms.toString()} ms, p99 ${route.p99Ms.toString()} ms, ` +
        `CPU ${route.cpuMsPerRequest.toString()} ms/request of which GC ${route.gcMsPerRequest.toString()})`;
      console.log(
        `${line('API findings', findings)}; ${line('bare findings', bareFindings)}; ${line('API /healthz', health)}\n` +
          `API/bare ${result.ratioToBare.toString()} (aim >= 0.7); API findings/healthz ${result.ratioToHealth.toString()}; ` +
          `p99/p50 API ${result.findingsP99ToP50.toString()}, bare ${result.bareP99ToP50.toString()} (aim <= 3)`,
      );
      if (failures > 0) process.exitCode = 1;
    } finally {
      await Promise.all([stopServer(api.child), stopServer(bare.child)]);
    }
  } finally {
    await database.drop();
    await server.stop();
  }
}

if (require.main === module) {
  const [mode, databaseUrl] = process.argv.slice(2);
  const run =
    databaseUrl === undefined
      ? main()
      : mode === 'serve'
        ? serve(databaseUrl)
        : mode === 'bare'
          ? serveBare(databaseUrl)
          : main();
  run.catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { readCommandLine } from '@app/entrypoint';

import { loadFleetFile, SAMPLE_FLEET_FILE, startEmulator, type EmulatorHandle } from '@app/oss-emulator';
import {
  choosePostgresServer,
  fleetAuditConfig,
  logMessage,
  runOnServer,
  waitUntil,
  type PostgresServer,
} from '@app/testing';
import { stringify } from 'yaml';

import { DistProcess } from './dist-process';
import { assembleRuntimePayload, describePayload } from './runtime-payload';

/**
 * `npm run smoke:dist` (which builds first, itself): the compiled build starts and serves, as the image
 * runs it. In `.tmp/runtime/` (production dependencies only, and `dist/`), against a fresh
 * database on the machine's PostgreSQL (or an embedded one) and the emulator serving its sample
 * fleet, it runs the compiled migrate, api-key, API, worker and scan entry points with `node`, and
 * checks: migrations applied; /healthz, /readyz; a scan started through the API completes on the
 * worker; /v1/summary with the key the CLI created (and 401 without); the API's and the worker's
 * /metrics; an alert digest delivered to a loopback webhook; the scan CLI; a clean SIGTERM stop.
 * Exits 1 naming the step that failed, with the last output lines of each process.
 */

const ROOT = resolve(__dirname, '..', '..');
const ENTRY = {
  migrate: 'dist/libs/persistence/src/migrate.cli.js',
  apiKey: 'dist/apps/api/src/api-key.cli.js',
  api: 'dist/apps/api/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
  scan: 'dist/apps/worker/src/scan.cli.js',
} as const;
const START_TIMEOUT_MS = 30_000;
const SCAN_TIMEOUT_MS = 60_000;
const CLI_TIMEOUT_MS = 60_000;
/** The worker drains for up to 30 s; the API only finishes the requests in flight. */
const WORKER_STOP_TIMEOUT_MS = 45_000;
const API_STOP_TIMEOUT_MS = 15_000;

class SmokeFailure extends Error {}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new SmokeFailure(message);
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const result = await run();
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    throw new SmokeFailure(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

async function httpGet(url: string, token?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  });
  return { status: response.status, body: await response.text() };
}

/** Answers 200 when GET `url` does, or undefined (not yet) while `process` runs; throws once it exited. */
async function answers(url: string, process: DistProcess): Promise<string | undefined> {
  if (process.hasExited) throw new Error(`${process.name} exited while starting`);
  const response = await httpGet(url).catch(() => null);
  return response?.status === 200 ? response.body : undefined;
}

/** A loopback webhook receiver that keeps the signature header of every POST. */
interface Receiver {
  readonly url: string;
  readonly signatures: string[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const signatures: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') signatures.push(String(req.headers['x-signature'] ?? ''));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port.toString()}/seed`,
    signatures,
    close: () =>
      new Promise((done) => {
        server.close(() => {
          done();
        });
        server.closeAllConnections();
      }),
  };
}

interface Resources {
  server?: PostgresServer;
  database?: string;
  emulator?: EmulatorHandle;
  receiver?: Receiver;
  configDir?: string;
  processes: DistProcess[];
}

async function smoke(held: Resources): Promise<void> {
  const payload = await step('runtime payload: npm ci --omit=dev + dist/ in .tmp/runtime', () =>
    Promise.resolve(assembleRuntimePayload(ROOT)),
  );
  console.log(`     ${payload.installed ? 'installed' : 'dependencies reused: lock file unchanged'}`);
  console.log(`     ${describePayload(payload)}`);
  const cwd = payload.dir;

  const databaseUrl = await step('database: a fresh one', async () => {
    held.server = await choosePostgresServer();
    const name = `seed_smoke_${process.pid.toString()}_${randomBytes(4).toString('hex')}`;
    await runOnServer(held.server.url, `CREATE DATABASE "${name}"`);
    held.database = name;
    const url = new URL(held.server.url);
    url.pathname = `/${name}`;
    console.log(`     on the ${held.server.kind} server, database ${name}`);
    return url.toString();
  });

  const fleet = loadFleetFile(SAMPLE_FLEET_FILE);
  const emulator = await step('emulator: the sample fleet', async () => {
    held.emulator = await startEmulator({ fleet, port: 0, host: '127.0.0.1' });
    return held.emulator;
  });
  const receiver = await step('webhook receiver', async () => (held.receiver = await startReceiver()));

  const apiPort = await freePort();
  const metricsPort = await freePort();
  const api = `http://127.0.0.1:${apiPort.toString()}`;
  const workerMetrics = `http://127.0.0.1:${metricsPort.toString()}/metrics`;
  const { document, env } = fleetAuditConfig(fleet, {
    emulatorUrl: emulator.url,
    databaseUrl,
    extra: {
      api: { port: apiPort },
      worker: { metricsPort },
      alerts: {
        channels: [
          {
            type: 'webhook',
            name: 'smoke',
            urlEnv: 'SEED_SMOKE_WEBHOOK_URL',
            secretEnv: 'SEED_SMOKE_WEBHOOK_SECRET',
            allowInsecureHttp: true,
          },
        ],
      },
    },
    extraEnv: {
      SEED_SMOKE_WEBHOOK_URL: receiver.url,
      SEED_SMOKE_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
    },
  });
  held.configDir = mkdtempSync(join(tmpdir(), 'seed-smoke-'));
  const configPath = join(held.configDir, 'audit.config.yaml');
  writeFileSync(configPath, stringify(document));
  const processEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    // As the image runs them.
    NODE_OPTIONS: '--enable-source-maps',
    AUDIT_CONFIG: configPath,
    ...env,
  };
  const start = (name: string, script: string, args: readonly string[] = []): DistProcess => {
    const started = new DistProcess({ name, script, args, cwd, env: processEnv });
    held.processes.push(started);
    return started;
  };

  await step(`migrate: node ${ENTRY.migrate}`, async () => {
    const migrate = start('migrate', ENTRY.migrate);
    const exit = await migrate.finish(CLI_TIMEOUT_MS);
    check(exit.code === 0, `exit code ${String(exit.code)}`);
    const applied = migrate.stdout().filter((line) => line.startsWith('Applied '));
    check(applied.length > 0, 'no migration applied to a fresh database');
    console.log(`     ${applied.length.toString()} migrations applied`);
  });

  const token = await step(`api-key: node ${ENTRY.apiKey} create --role admin`, async () => {
    const cli = start('api-key', ENTRY.apiKey, ['create', '--name', 'smoke', '--role', 'admin']);
    const exit = await cli.finish(CLI_TIMEOUT_MS);
    check(exit.code === 0, `exit code ${String(exit.code)}`);
    const created = cli.stdout().find((line) => /^seed_\S+$/.test(line));
    check(created !== undefined, 'no token printed');
    return created;
  });

  const apiProcess = start('api', ENTRY.api);
  await step(`api: node ${ENTRY.api} answers /healthz and /readyz`, async () => {
    await waitUntil(() => answers(`${api}/healthz`, apiProcess), {
      timeoutMs: START_TIMEOUT_MS,
      what: 'GET /healthz',
    });
    const ready = await httpGet(`${api}/readyz`);
    check(ready.status === 200, `/readyz answered ${ready.status.toString()}: ${ready.body}`);
  });

  const workerProcess = start('worker', ENTRY.worker);
  await step(`worker: node ${ENTRY.worker} consumes jobs and serves /metrics`, async () => {
    await waitUntil(
      () => {
        if (workerProcess.hasExited) throw new Error('worker exited while starting');
        return workerProcess.stdout().some((line) => {
          try {
            return logMessage(JSON.parse(line) as Record<string, unknown>) === 'consuming scan jobs';
          } catch {
            return false;
          }
        });
      },
      { timeoutMs: START_TIMEOUT_MS, what: 'the worker to consume scan jobs' },
    );
    const metrics = await waitUntil(() => answers(workerMetrics, workerProcess), {
      timeoutMs: START_TIMEOUT_MS,
      what: 'the worker /metrics',
    });
    for (const name of ['seed_process_cpu_user_seconds_total', 'seed_alert_delivery_attempts_total']) {
      check(metrics.includes(name), `the worker's /metrics has no ${name}`);
    }
  });

  await step('scan: POST /v1/scans, run by the worker to its end', async () => {
    const response = await fetch(`${api}/v1/scans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5000),
    });
    check(response.status === 201, `POST /v1/scans answered ${response.status.toString()}`);
    const { id } = (await response.json()) as { id: number };
    const scan = await waitUntil(
      async () => {
        const detail = await httpGet(`${api}/v1/scans/${id.toString()}`, token);
        const body = JSON.parse(detail.body) as { status: string; totals: { observed: number } };
        return body.status === 'running' ? undefined : body;
      },
      { timeoutMs: SCAN_TIMEOUT_MS, intervalMs: 250, what: `scan ${id.toString()} to finish` },
    );
    // The sample fleet denies the auditor a few resources on purpose: partial is its normal end.
    check(['succeeded', 'partial'].includes(scan.status), `scan ended ${scan.status}`);
    check(scan.totals.observed > 0, 'the scan observed no resource');
    console.log(
      `     scan ${id.toString()}: ${scan.status}, ${scan.totals.observed.toString()} resources observed`,
    );
  });

  await step('API: /v1/summary with the key (401 without), /metrics', async () => {
    check((await httpGet(`${api}/v1/summary`)).status === 401, '/v1/summary answered without a key');
    const summary = await httpGet(`${api}/v1/summary`, token);
    check(summary.status === 200, `/v1/summary answered ${summary.status.toString()}`);
    const { resources } = JSON.parse(summary.body) as { resources: { total: number } };
    check(resources.total > 0, '/v1/summary counts no resource after a scan');
    const metrics = await httpGet(`${api}/metrics`);
    check(metrics.status === 200, `/metrics answered ${metrics.status.toString()}`);
    check(metrics.body.includes('seed_metrics_database_up 1'), 'the API /metrics: database not up');
    check(
      /^seed_open_findings\{severity="high"\} \d+/m.test(metrics.body),
      'the API /metrics: no open findings',
    );
  });

  await step('alerts: the worker delivers the digest to the webhook', async () => {
    await waitUntil(() => receiver.signatures.length > 0, {
      timeoutMs: SCAN_TIMEOUT_MS,
      what: 'an alert delivery at the webhook',
    });
    check(
      receiver.signatures.every((signature) => /^sha256=[0-9a-f]{64}$/.test(signature)),
      'unsigned delivery',
    );
    const metrics = await httpGet(workerMetrics);
    check(
      /^seed_alert_delivery_attempts_total\{channel="smoke",outcome="delivered"\} [1-9]/m.test(metrics.body),
      'the worker /metrics counts no delivered attempt',
    );
  });

  await step(`scan CLI: node ${ENTRY.scan}`, async () => {
    const cli = start('scan', ENTRY.scan);
    const exit = await cli.finish(CLI_TIMEOUT_MS);
    // 0 succeeded, 1 partial or failed (the sample fleet's denials: partial), 2 could not run.
    check(exit.code === 0 || exit.code === 1, `exit code ${String(exit.code)}`);
    check(
      cli.stdout().some((line) => /\b(succeeded|partial)\b/i.test(line)),
      'no summary printed',
    );
  });

  await step('stop: SIGTERM, both exit 0', async () => {
    const [worker, apiExit] = await Promise.all([
      workerProcess.stop(WORKER_STOP_TIMEOUT_MS),
      apiProcess.stop(API_STOP_TIMEOUT_MS),
    ]);
    check(worker.code === 0, `the worker exited ${String(worker.code ?? worker.signal)}`);
    check(apiExit.code === 0, `the API exited ${String(apiExit.code ?? apiExit.signal)}`);
  });
}

async function release(held: Resources): Promise<void> {
  await Promise.all(held.processes.map((child) => child.kill()));
  await held.receiver?.close();
  await held.emulator?.close();
  if (held.server !== undefined && held.database !== undefined) {
    await runOnServer(held.server.url, `DROP DATABASE IF EXISTS "${held.database}" WITH (FORCE)`);
  }
  await held.server?.stop();
  if (held.configDir !== undefined) rmSync(held.configDir, { recursive: true, force: true });
}

const SMOKE_COMMAND = {
  help: `Usage: npm run smoke:dist

Builds dist/ (npm run build), then runs the compiled build as the image runs it, in .tmp/runtime/ (production dependencies and dist/),
against a fresh database and the emulator's sample fleet: migrate, api-key create, the API, the
worker and a scan, each checked; prints each step, and on a failure the processes' last output.

Options:
  -h, --help  this help`,
  options: {},
} as const;

async function main(): Promise<number> {
  const command = readCommandLine(SMOKE_COMMAND);
  if (!command.run) return command.exitCode;
  // The build first, here rather than chained in package.json, so `--help` builds nothing.
  const build = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', join(ROOT, 'scripts', 'build', 'build.cli.ts')],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) return 1;
  const started = Date.now();
  const held: Resources = { processes: [] };
  let code = 0;
  try {
    await smoke(held);
    console.log(`smoke:dist passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    code = 1;
    console.error(`smoke:dist FAILED at ${error instanceof Error ? error.message : String(error)}`);
    for (const child of held.processes) console.error(child.tail());
  }
  try {
    await release(held);
  } catch (error) {
    console.error(`smoke:dist cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  }
  return code;
}

void main().then((code) => process.exit(code));

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { chromium, type Browser } from 'playwright-core';

import { parseAuditConfig } from '@app/config';
import { choosePostgresServer } from '@app/testing';
import { createApiApplication } from '@apps/api';

import { loadFleetHistory } from './harness/fleet-history';
import { createBenchDatabase } from './harness/postgres';
import { serveFromChild, startServerProcess } from './harness/server-process';

/**
 * The web console's overview, first render in Chromium, against fetching the same API calls.
 *
 * Data: 100,000 resources in 4 accounts x 4 regions and 30 nightly scans (`loadFleetHistory`, as
 * the api suite loads it), so `/v1/summary` aggregates the whole fleet and the trend has 30 points.
 *
 * Measure (each round in a fresh browser context: no cache, nothing loaded): the time from the
 * navigation to `/console/` (already signed in: the key is in the tab's sessionStorage, as after a
 * reload) to the moment the overview's data is on screen (the page's `seed:overview-rendered`
 * mark): HTML, script and style, `GET /v1/me`, then `GET /v1/summary?scans=30` and
 * `GET /v1/scans?limit=1`, and the render.
 * Baseline (same context, right after): the same three calls made by `fetch` from the page, in the
 * same order, their JSON read, nothing rendered. The ratio render / baseline says what the console
 * adds on top of the API it waits for; the render is also split (Resource Timing) into start-up
 * (until the first API call), the API calls, and the paint after the last answer. ROUNDS rounds, medians reported; the API runs alone in a
 * child process, Chromium (Debian's) headless.
 *
 * Run: npm run bench -- console (or npm run bench:console). Writes bench-results/console.json.
 */

const RESOURCES = 100_000;
const SCANS = 30;
const NIGHTLY_CHANGE = 0.005;
const ROUNDS = 9;
const CHROMIUM = process.env.SEED_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const BUILD = join(process.cwd(), 'dist', 'console');

/** Child process: the API (with the console's build) alone on its event loop. */
function serve(databaseUrl: string): Promise<void> {
  return serveFromChild(async () => {
    const config = parseAuditConfig(
      {
        accounts: [{ alias: 'bench', credentials: { type: 'default_chain' }, regions: ['cn-hangzhou'] }],
        schedule: { enabled: false },
        api: { rateLimitPerMinute: 1_000_000 },
        logging: { level: 'warn' },
      },
      { env: { DATABASE_URL: databaseUrl }, source: 'console bench' },
    );
    const app = await createApiApplication({
      config: { config },
      consoleDirectory: BUILD,
      scanStarter: {
        useFactory: () => ({ startScan: () => Promise.reject(new Error('The benchmark starts no scans')) }),
      },
    });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    return { url: `http://127.0.0.1:${port.toString()}`, requests: () => 0, close: () => app.close() };
  });
}

interface Round {
  /** Navigation to the overview's data on screen. */
  readonly renderMs: number;
  /** The same API calls by fetch, nothing rendered. */
  readonly fetchMs: number;
  /** Of `renderMs`: until the page's first API call (HTML, script, style, start-up). */
  readonly startupMs: number;
  /** Of `renderMs`: from the first API call to the last answer. */
  readonly apiMs: number;
  /** Of `renderMs`: from the last answer to the data on screen. */
  readonly paintMs: number;
}

/** Resource Timing of the cold load, read in the page. */
interface LoadTimings {
  readonly rendered: number;
  readonly firstCall: number;
  readonly lastAnswer: number;
}

/** One round: a cold render of the overview, then the same calls by fetch in the same tab. */
async function round(browser: Browser, url: string, token: string): Promise<Round> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    // Signed in as after a reload: the key already in this tab's sessionStorage.
    await context.addInitScript(`sessionStorage.setItem('seed.console.apiKey', ${JSON.stringify(token)})`);
    const page = await context.newPage();
    await page.goto(`${url}/console/`);
    await page.locator('[data-ready="overview"]').waitFor({ timeout: 120_000 });
    const timings = await page.evaluate<LoadTimings>(`(() => {
      const calls = performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/v1/'));
      return {
        rendered: performance.getEntriesByName('seed:overview-rendered')[0].startTime,
        firstCall: Math.min(...calls.map((entry) => entry.startTime)),
        lastAnswer: Math.max(...calls.map((entry) => entry.responseEnd)),
      };
    })()`);
    const fetchMs = await page.evaluate<number>(`(async () => {
      const headers = { Authorization: 'Bearer ' + sessionStorage.getItem('seed.console.apiKey') };
      const started = performance.now();
      await (await fetch('/v1/me', { headers })).json();
      await Promise.all(['/v1/summary?scans=30', '/v1/scans?limit=1'].map(async (path) => (await fetch(path, { headers })).json()));
      return performance.now() - started;
    })()`);
    return {
      renderMs: timings.rendered,
      fetchMs,
      startupMs: timings.firstCall,
      apiMs: timings.lastAnswer - timings.firstCall,
      paintMs: timings.rendered - timings.lastAnswer,
    };
  } finally {
    await context.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Bytes of the build's script and style, as sent (gzip) and on disk. */
function bundleSizes(): { files: number; bytes: number; gzipBytes: number } {
  const assets = join(BUILD, 'assets');
  const files = readdirSync(assets).filter((file) => /\.(js|css)$/.test(file));
  const contents = files.map((file) => readFileSync(join(assets, file)));
  return {
    files: files.length,
    bytes: contents.reduce((sum, body) => sum + body.length, 0),
    gzipBytes: contents.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0),
  };
}

async function main(): Promise<void> {
  const build = spawnSync('npm', ['run', 'console:build'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run console:build failed');
  const server = await choosePostgresServer();
  const database = await createBenchDatabase(server.url, 'console');
  try {
    const { token, loadSeconds } = await loadFleetHistory(database.url, {
      resources: RESOURCES,
      scans: SCANS,
      nightlyChange: NIGHTLY_CHANGE,
      keyName: 'console bench',
    });
    const api = await startServerProcess('api', __filename, ['serve', database.url]);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      // Warm-up: Chromium's own start, the API's JIT and pool, PostgreSQL's buffers.
      await round(browser, api.url, token);
      const rounds: Round[] = [];
      for (let index = 0; index < ROUNDS; index += 1) {
        const result = await round(browser, api.url, token);
        rounds.push(result);
        console.log(
          `round ${(index + 1).toString()}: render ${result.renderMs.toFixed(0)} ms (start-up ${result.startupMs.toFixed(0)}, API ${result.apiMs.toFixed(0)}, paint ${result.paintMs.toFixed(0)}), fetch ${result.fetchMs.toFixed(0)} ms`,
        );
      }
      const renderMs = median(rounds.map((result) => result.renderMs));
      const fetchMs = median(rounds.map((result) => result.fetchMs));
      const part = (key: 'startupMs' | 'apiMs' | 'paintMs') =>
        Number(median(rounds.map((result) => result[key])).toFixed(1));
      const result = {
        benchmark:
          'overview first render in Chromium (navigation to data on screen) vs fetching the same API calls',
        resources: RESOURCES,
        scans: SCANS,
        loadSeconds,
        rounds: ROUNDS,
        renderMs: Number(renderMs.toFixed(1)),
        fetchMs: Number(fetchMs.toFixed(1)),
        overheadMs: Number((renderMs - fetchMs).toFixed(1)),
        ratio: Number((renderMs / fetchMs).toFixed(3)),
        renderBreakdown: { startupMs: part('startupMs'), apiMs: part('apiMs'), paintMs: part('paintMs') },
        bundle: bundleSizes(),
        chromium: browser.version(),
        perRound: rounds,
      };
      mkdirSync(join(process.cwd(), 'bench-results'), { recursive: true });
      writeFileSync(
        join(process.cwd(), 'bench-results', 'console.json'),
        `${JSON.stringify(result, null, 2)}\n`,
      );
      console.log(
        `overview rendered in ${result.renderMs.toString()} ms; the same API calls alone ${result.fetchMs.toString()} ms; ratio ${result.ratio.toString()} (+${result.overheadMs.toString()} ms); script+style ${result.bundle.gzipBytes.toString()} bytes gzipped`,
      );
    } finally {
      await browser.close();
      api.stop();
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

import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import { parseAuditConfig } from '@app/config';
import { boundHeapGrowth, SCAN_HEAP_GROWING_PERCENT } from '@app/entrypoint';
import { type FleetSpec, generateFleet, type GenerateFleetOptions } from '@app/oss-emulator';
import { createDataSource, runMigrations } from '@app/persistence';
import { ScanRuntime } from '@app/scanner';
import { choosePostgresServer, fleetAuditConfig, fleetResourceKeys } from '@app/testing';

import { startEmulatorProcess } from './harness/emulator-process';
import { BENCH_SCAN_SETTINGS as SETTINGS, round } from './harness/scan-settings';
import { createBenchDatabase } from './harness/postgres';

/**
 * A scanning process's memory must be bounded by its batch sizes, not by the fleet: one whole scan
 * (enumerate, fetch, persist, evaluate: the `ScanRuntime` as scan.bench.ts runs it) of
 * SMALL_FLEET resources, then of LARGE_FLEET, each in a fresh child process on a fresh migrated
 * database, the emulator in a process of its own. A process's `maxRSS` is its peak since it
 * started, so each child's is the peak of its one scan.
 *
 * Baseline: the same child's RSS right after start-up, modules loaded, before any work (the idle
 * process); the peak minus that is what the scan itself added. Reported: both peaks, their ratio
 * large / small (the goal is <= 1.5), the ratio of what the scans added, heap in use at the end
 * of each scan, and each scan's resources/s.
 *
 * Both children bound their heap's growth as the worker and the scan command do
 * (`boundHeapGrowth`). A third child scans LARGE_FLEET again with V8's own growth, for comparison:
 * its peak says what the bound saves, and its time over the bounded one what the bound costs.
 *
 * The scanning child is given its accounts the way production gives them (a configuration: keys
 * and regions), never the generated fleet itself: 100,000 generated bucket specs take about 50 MB
 * of RSS that no real scanner holds, and would grow the peak with the fleet for a reason of the
 * benchmark's own.
 *
 * Run: node -r @swc-node/register apps/bench/src/memory.bench.ts
 * Writes bench-results/memory.json.
 */

const SMALL_FLEET = 1_000;
const LARGE_FLEET = 100_000;
/** Both scans together; beyond this the running child is stopped and the run fails. */
const RUN_DEADLINE_MS = 10 * 60_000;
const MB = 1024 * 1024;

/**
 * What the parent tells a scanning child, as its first IPC message: the configured fleet of 100,000
 * resources (keys, tables) is larger than one command-line argument may be (E2BIG).
 */
interface ScanRequest {
  readonly serverUrl: string;
  readonly fleet: GenerateFleetOptions;
  readonly configuredFleet: FleetSpec;
  readonly observable: number;
  /** As the worker does (`boundHeapGrowth`); false for V8's own growth, the comparison. */
  readonly boundHeapGrowth: boolean;
}

/** What a scanning child reports back. */
interface ScanMemory {
  readonly resources: number;
  /** Every resource a full scan observes: buckets, table buckets, their tables and the KMS keys they name. */
  readonly observable: number;
  readonly status: string;
  readonly observed: number;
  readonly seconds: number;
  readonly resourcesPerSecond: number;
  readonly idleRssMb: number;
  readonly peakRssMb: number;
  readonly peakAboveIdleMb: number;
  readonly heapUsedAtEndMb: number;
}

/** As scan.bench.ts: 4 accounts, three regions, 1% table buckets. */
function fleetOf(resources: number): GenerateFleetOptions {
  const tableBuckets = Math.round(resources / 100);
  return {
    accounts: 4,
    regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
    buckets: resources - tableBuckets,
    tableBuckets,
    seed: 3,
  };
}

/**
 * What the scanner's configuration needs of a fleet: its accounts with their keys, and one resource
 * per region (`fleetAuditConfig` takes an account's regions from its resources).
 */
function configuredFleet(fleet: FleetSpec): FleetSpec {
  return {
    accounts: fleet.accounts.map((account) => ({
      ...account,
      buckets: onePerRegion(account.buckets),
      tableBuckets: onePerRegion(account.tableBuckets),
    })),
  };
}

function onePerRegion<T extends { readonly region: string }>(resources: readonly T[]): T[] {
  return [...new Map(resources.map((resource) => [resource.region, resource])).values()];
}

function megabytes(bytes: number): number {
  return round(bytes / MB, 1);
}

/** Child side: one scan, everything it started released before it reports. */
async function scanInThisProcess(request: ScanRequest): Promise<ScanMemory> {
  // As the worker and the scan command do at their start.
  if (request.boundHeapGrowth) boundHeapGrowth();
  const idleRssBytes = process.memoryUsage().rss;
  const releases: (() => Promise<void>)[] = [];
  try {
    const emulator = await startEmulatorProcess(request.fleet);
    releases.push(() => {
      emulator.stop();
      return Promise.resolve();
    });
    const database = await createBenchDatabase(request.serverUrl, 'memory');
    releases.push(database.drop);
    const dataSource = await createDataSource({ url: database.url, poolSize: 12 }).initialize();
    releases.push(() => dataSource.destroy());
    await runMigrations(dataSource);
    const { document, env } = fleetAuditConfig(request.configuredFleet, {
      emulatorUrl: emulator.url,
      databaseUrl: database.url,
      rate: SETTINGS.rate,
      scan: SETTINGS.scan,
    });
    const runtime = new ScanRuntime({
      config: parseAuditConfig(document, { env, source: 'memory benchmark' }),
      dataSource,
      onJobError: (error) => {
        console.error(`job engine: ${error.message}`);
      },
    });
    releases.push(async () => {
      await runtime.close(5_000);
    });

    const started = performance.now();
    const scan = await runtime.runScan('cli', 100);
    const seconds = (performance.now() - started) / 1000;
    const heapUsedBytes = process.memoryUsage().heapUsed;
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    const observed = scan.coverage.reduce((sum, row) => sum + row.observed, 0);
    return {
      resources: request.fleet.buckets + request.fleet.tableBuckets,
      observable: request.observable,
      status: scan.status,
      observed,
      seconds: round(seconds, 2),
      resourcesPerSecond: Math.round(observed / seconds),
      idleRssMb: megabytes(idleRssBytes),
      peakRssMb: megabytes(peakRssBytes),
      peakAboveIdleMb: megabytes(peakRssBytes - idleRssBytes),
      heapUsedAtEndMb: megabytes(heapUsedBytes),
    };
  } finally {
    for (const release of releases.reverse()) await release();
  }
}

/** Child side: waits for its request, scans, reports to the parent, exits. */
async function runChild(): Promise<void> {
  const [request] = (await once(process, 'message')) as [ScanRequest];
  await scanInThisProcess(request).then(
    (result) => {
      process.send?.(result, (error: Error | null) => {
        process.exit(error === null ? 0 : 1);
      });
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** Parent side: one scan in a fresh child process; settles once the child has exited. */
function scanInChild(
  serverUrl: string,
  resources: number,
  deadline: AbortSignal,
  heap: 'bounded' | 'V8 default' = 'bounded',
): Promise<ScanMemory> {
  const fleet = fleetOf(resources);
  const generated = generateFleet(fleet);
  const request: ScanRequest = {
    serverUrl,
    fleet,
    configuredFleet: configuredFleet(generated),
    observable: fleetResourceKeys(generated).length,
    boundHeapGrowth: heap === 'bounded',
  };
  const child = fork(__filename, ['--scan'], {
    execArgv: ['-r', '@swc-node/register'],
    signal: deadline,
  });
  child.send(request);
  return new Promise((resolve, reject) => {
    let result: ScanMemory | undefined;
    child.once('message', (message: ScanMemory) => {
      result = message;
    });
    // A child that could not start, or the deadline's abort (whose 'exit' then settles nothing more).
    child.once('error', reject);
    child.once('exit', (code) => {
      if (deadline.aborted) {
        reject(new Error(`still running after ${(RUN_DEADLINE_MS / 60_000).toString()} min, stopped`));
      } else if (result === undefined) {
        reject(
          new Error(`the ${resources.toString()}-resource scan exited with ${String(code)} before reporting`),
        );
      } else {
        resolve(result);
      }
    });
  });
}

function describeScan(scan: ScanMemory): string {
  return (
    `${scan.resources.toString().padStart(7)} resources: ${scan.status}, ${scan.observed.toString()} of ` +
    `${scan.observable.toString()} observed in ${scan.seconds.toFixed(1)} s (${scan.resourcesPerSecond.toString()} resources/s); RSS idle ` +
    `${scan.idleRssMb.toString()} MB, peak ${scan.peakRssMb.toString()} MB (+${scan.peakAboveIdleMb.toString()}); ` +
    `heap at the end ${scan.heapUsedAtEndMb.toString()} MB`
  );
}

async function main(): Promise<void> {
  const deadline = AbortSignal.timeout(RUN_DEADLINE_MS);
  const loadAtStart = loadavg()[0] ?? 0;
  const server = await choosePostgresServer();
  console.log(
    `memory: one scan of ${SMALL_FLEET.toString()} then ${LARGE_FLEET.toString()} resources, each in a fresh ` +
      `process; Postgres: ${server.kind}`,
  );
  try {
    const small = await scanInChild(server.url, SMALL_FLEET, deadline);
    console.log(describeScan(small));
    const large = await scanInChild(server.url, LARGE_FLEET, deadline);
    console.log(describeScan(large));
    const largeUnbounded = await scanInChild(server.url, LARGE_FLEET, deadline, 'V8 default');
    console.log(`${describeScan(largeUnbounded)} (V8's own heap growth, for comparison)`);

    const report = {
      benchmark: `peak RSS of a scanning process, ${SMALL_FLEET.toString()} vs ${LARGE_FLEET.toString()} resources`,
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      // The machine is shared: its 1-minute load when the run started and ended says how much.
      loadAverage: { start: round(loadAtStart, 2), end: round(loadavg()[0] ?? 0, 2) },
      postgres: server.kind,
      settings: SETTINGS,
      heapGrowingPercent: SCAN_HEAP_GROWING_PERCENT,
      small,
      large,
      largeWithV8DefaultGrowth: largeUnbounded,
      // The headline: at most 1.5 when memory is bounded by batch sizes, not by the fleet.
      peakRssRatio: round(large.peakRssMb / small.peakRssMb, 2),
      peakAboveIdleRatio: round(large.peakAboveIdleMb / small.peakAboveIdleMb, 2),
      peakRssRatioWithV8DefaultGrowth: round(largeUnbounded.peakRssMb / small.peakRssMb, 2),
      // What the bound costs: the large scan's time with it over its time without.
      secondsRatioBoundedToDefault: round(large.seconds / largeUnbounded.seconds, 2),
    };
    const output = join(process.cwd(), 'bench-results');
    mkdirSync(output, { recursive: true });
    writeFileSync(join(output, 'memory.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `peak RSS ${LARGE_FLEET.toString()} / ${SMALL_FLEET.toString()} = ${report.peakRssRatio.toString()} ` +
        `(goal <= 1.5; heap growth bounded at ${SCAN_HEAP_GROWING_PERCENT.toString()}% as the worker runs); above idle: ` +
        `${report.peakAboveIdleRatio.toString()}; with V8's own growth ${report.peakRssRatioWithV8DefaultGrowth.toString()}; ` +
        `scan time bounded / V8's own ${report.secondsRatioBoundedToDefault.toString()}; machine load ` +
        `${report.loadAverage.start.toString()} -> ${report.loadAverage.end.toString()}; wrote ${join(output, 'memory.json')}`,
    );
    const incomplete = [small, large, largeUnbounded].filter(
      (scan) => scan.status !== 'succeeded' || scan.observed !== scan.observable,
    );
    if (incomplete.length > 0) {
      throw new Error(
        `Scans that did not succeed or missed resources: ${incomplete.map((scan) => describeScan(scan)).join('; ')}`,
      );
    }
  } finally {
    await server.stop();
  }
}

if (process.argv.includes('--scan')) {
  void runChild();
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

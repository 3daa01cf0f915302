import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import { parseAuditConfig, type AuditConfig } from '@app/config';
import { generateFleet, type GenerateFleetOptions } from '@app/oss-emulator';
import { createDataSource, runMigrations, type ScanRecord } from '@app/persistence';
import { ScanRuntime } from '@app/scanner';
import { choosePostgresServer, fleetAuditConfig } from '@app/testing';
import type { DataSource } from 'typeorm';

import { startEmulatorProcess, type EmulatorProcess } from './harness/emulator-process';
import { usageBetween } from './harness/server-process';
import { BENCH_SCAN_SETTINGS as SETTINGS, round } from './harness/scan-settings';
import { createBenchDatabase } from './harness/postgres';

/**
 * The whole scan, end to end, on one process: enumerate (ListBuckets, ListTableBuckets), read
 * every resource's encryption, persist (resources, change log, per-scan record), evaluate
 * (findings, drift, alert outbox) and finish, for 10,000 buckets + 200 table buckets on the
 * emulator running alone in a child process, against a PostgreSQL database created for the run.
 *
 * - `latency 0 ms`: a first scan on an empty database, bounded by the emulator, Postgres and this
 *   process sharing the machine;
 * - `latency 50 ms` (emulator latency fault on every request): a first scan on another empty
 *   database; its baseline is the ideal time, resources × latency / effective concurrency, where
 *   the effective concurrency is min(accounts, auditConcurrency) × min(rate.concurrency,
 *   auditBatchSize), capped by globalConcurrency (one audit job per account at a time, across
 *   replicas);
 * - a second, unchanged scan on the first database: how much the history grows per resource
 *   (pg_total_relation_size of the change log's partitions, drift_events, alert_outbox and
 *   scan_observations before and after; target < 100 bytes per resource), with the tables every
 *   scan rewrites in place (resources, findings: last seen) reported beside it; then VACUUM, as
 *   autovacuum would between nightly scans, and a third unchanged scan: the steady state.
 *
 * The rate limits are opened (initial = max = 5,000 req/s per account) so the emulator, not the
 * AIMD start rate, bounds the scan. Peak RSS is this process's `maxRSS` when a run ends (a peak so
 * far, runs go in the order listed). Each run also reports the emulator's CPU time per request and
 * so its headroom: what one emulator core could answer over what the scanner sent.
 *
 * Run: node -r @swc-node/register apps/bench/src/scan.bench.ts
 * Writes bench-results/scan.json and bench-results/scan.md.
 */

const FLEET: GenerateFleetOptions = {
  accounts: 4,
  regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
  buckets: 10_000,
  tableBuckets: 200,
  seed: 3,
};
const RESOURCES = FLEET.buckets + FLEET.tableBuckets;
const LATENCY_MS = 50;
const EFFECTIVE_CONCURRENCY = Math.min(
  Math.min(FLEET.accounts, SETTINGS.scan.jobs.auditConcurrency) *
    Math.min(SETTINGS.rate.concurrency, SETTINGS.scan.auditBatchSize),
  SETTINGS.scan.globalConcurrency,
);
/** The whole run stops (and fails) beyond this. */
const RUN_DEADLINE_MS = 10 * 60_000;
/**
 * Append-only history and the per-scan record: their growth per unchanged scan is the target
 * (observation_changes counts its monthly partitions).
 */
const HISTORY_TABLES = ['observation_changes', 'drift_events', 'alert_outbox', 'scan_observations'];
/** Current state, rewritten in place by every scan (last seen): reported beside the target. */
const CURRENT_STATE_TABLES = ['resources', 'findings'];

interface ScanRun {
  readonly name: string;
  readonly latencyMs: number;
  readonly status: string;
  readonly seconds: number;
  readonly resourcesPerSecond: number;
  readonly observed: number;
  readonly peakRssMb: number;
  readonly emulator: EmulatorLoad;
}

/**
 * How hard the scan worked the emulator: the requests it sent per second, the emulator's CPU
 * time per request, hence what one emulator core could answer, and the headroom: that capacity
 * over what the scanner sent (above 1, the emulator is not what bounds the scan).
 */
interface EmulatorLoad {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly cpuMs: number;
  readonly coresBusy: number;
  readonly capacityPerCore: number;
  readonly headroom: number;
}

/** A fresh migrated database on `serverUrl`, dropped by `drop()`. */
async function migratedDatabase(
  serverUrl: string,
): Promise<{ url: string; dataSource: DataSource; drop: () => Promise<void> }> {
  const database = await createBenchDatabase(serverUrl, 'scan');
  const dataSource = await createDataSource({ url: database.url, poolSize: 12 }).initialize();
  await runMigrations(dataSource);
  return {
    url: database.url,
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

function auditConfig(emulatorUrl: string, databaseUrl: string): AuditConfig {
  const { document, env } = fleetAuditConfig(generateFleet(FLEET), {
    emulatorUrl,
    databaseUrl,
    rate: SETTINGS.rate,
    scan: SETTINGS.scan,
  });
  return parseAuditConfig(document, { env, source: 'scan benchmark' });
}

async function timedScan(
  runtime: ScanRuntime,
  emulator: EmulatorProcess,
  name: string,
  latencyMs: number,
): Promise<ScanRun> {
  const usageBefore = await emulator.usage();
  const started = performance.now();
  const scan: ScanRecord = await runtime.runScan('cli', 100);
  const seconds = (performance.now() - started) / 1000;
  const usage = usageBetween(usageBefore, await emulator.usage());
  const observed = scan.coverage.reduce((sum, row) => sum + row.observed, 0);
  const requestsPerSecond = usage.requests / seconds;
  const capacityPerCore = usage.requests / (usage.cpuMs / 1000);
  return {
    name,
    latencyMs,
    status: scan.status,
    seconds: round(seconds, 2),
    resourcesPerSecond: Math.round(observed / seconds),
    observed,
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    emulator: {
      requests: usage.requests,
      requestsPerSecond: Math.round(requestsPerSecond),
      cpuMs: Math.round(usage.cpuMs),
      coresBusy: round(usage.cpuMs / 1000 / seconds, 3),
      capacityPerCore: Math.round(capacityPerCore),
      headroom: round(capacityPerCore / requestsPerSecond, 2),
    },
  };
}

/** Bytes on disk (heap, indexes, TOAST) of each table, partitions included. */
async function tableBytes(dataSource: DataSource): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const table of [...HISTORY_TABLES, ...CURRENT_STATE_TABLES]) {
    // A partitioned table has no storage of its own: its partitions hold the rows.
    const [row] = await dataSource.query<{ bytes: string }[]>(
      `SELECT CASE WHEN c."relkind" = 'p'
         THEN (SELECT sum(pg_total_relation_size(t."relid")) FROM pg_partition_tree(c."oid") t)
         ELSE pg_total_relation_size(c."oid") END AS "bytes"
       FROM pg_class c WHERE c."oid" = $1::regclass`,
      [table],
    );
    sizes[table] = Number(row?.bytes ?? 0);
  }
  const [database] = await dataSource.query<{ bytes: string }[]>(
    `SELECT pg_database_size(current_database()) AS "bytes"`,
  );
  sizes.database = Number(database?.bytes ?? 0);
  return sizes;
}

async function scanOnFreshDatabase<T>(
  serverUrl: string,
  emulator: EmulatorProcess,
  work: (runtime: ScanRuntime, dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const database = await migratedDatabase(serverUrl);
  const runtime = new ScanRuntime({
    config: auditConfig(emulator.url, database.url),
    dataSource: database.dataSource,
    onJobError: (error) => {
      console.error(`job engine: ${error.message}`);
    },
  });
  try {
    return await work(runtime, database.dataSource);
  } finally {
    await runtime.close(5_000);
    await database.drop();
  }
}

/** One unchanged scan and how much each table grew during it. */
interface GrowthRun {
  readonly run: ScanRun;
  readonly growthBytes: Record<string, number>;
  /** History (append-only) tables + scan_observations: the target's measure. */
  readonly historyBytes: number;
  readonly historyBytesPerResource: number;
  /** Tables rewritten in place (resources, findings): dead row versions that VACUUM makes reusable. */
  readonly currentStateBytesPerResource: number;
}

async function unchangedScan(
  runtime: ScanRuntime,
  emulator: EmulatorProcess,
  dataSource: DataSource,
  name: string,
): Promise<GrowthRun> {
  const before = await tableBytes(dataSource);
  const run = await timedScan(runtime, emulator, name, 0);
  const after = await tableBytes(dataSource);
  const growthBytes = Object.fromEntries(
    Object.keys(after).map((table) => [table, (after[table] ?? 0) - (before[table] ?? 0)]),
  );
  const sum = (tables: readonly string[]) =>
    tables.reduce((total, table) => total + (growthBytes[table] ?? 0), 0);
  const historyBytes = sum(HISTORY_TABLES);
  return {
    run,
    growthBytes,
    historyBytes,
    historyBytesPerResource: round(historyBytes / RESOURCES, 1),
    currentStateBytesPerResource: round(sum(CURRENT_STATE_TABLES) / RESOURCES, 1),
  };
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(
      `scan benchmark: still running after ${(RUN_DEADLINE_MS / 60_000).toString()} min, giving up`,
    );
    process.exit(1);
  }, RUN_DEADLINE_MS);
  deadline.unref();

  const loadBefore = loadavg()[0] ?? 0;
  const server = await choosePostgresServer();
  const emulator = await startEmulatorProcess(FLEET);
  console.log(
    `scan: ${FLEET.buckets.toString()} buckets + ${FLEET.tableBuckets.toString()} table buckets, ` +
      `${FLEET.accounts.toString()} accounts; emulator in a child process; Postgres: ${server.kind}`,
  );
  try {
    await emulator.setLatency(0);
    const { first, second, third } = await scanOnFreshDatabase(
      server.url,
      emulator,
      async (runtime, dataSource) => {
        const firstRun = await timedScan(runtime, emulator, 'first scan, latency 0 ms', 0);
        console.log(describeRun(firstRun));
        const secondRun = await unchangedScan(
          runtime,
          emulator,
          dataSource,
          'second scan (unchanged), latency 0 ms',
        );
        console.log(describeRun(secondRun.run));
        console.log(describeGrowth(secondRun));
        // What autovacuum does between two nightly scans.
        await dataSource.query('VACUUM');
        const thirdRun = await unchangedScan(
          runtime,
          emulator,
          dataSource,
          'third scan (unchanged, after VACUUM)',
        );
        console.log(describeRun(thirdRun.run));
        console.log(describeGrowth(thirdRun));
        return { first: firstRun, second: secondRun, third: thirdRun };
      },
    );

    await emulator.setLatency(LATENCY_MS);
    const latency = await scanOnFreshDatabase(server.url, emulator, (runtime) =>
      timedScan(runtime, emulator, `first scan, latency ${LATENCY_MS.toString()} ms`, LATENCY_MS),
    );
    await emulator.setLatency(0);
    const idealSeconds = round((RESOURCES * LATENCY_MS) / 1000 / EFFECTIVE_CONCURRENCY, 2);
    const ratio = round(latency.seconds / idealSeconds, 2);
    console.log(describeRun(latency));
    console.log(
      `ideal at ${LATENCY_MS.toString()} ms: ${RESOURCES.toString()} x ${LATENCY_MS.toString()} ms / ${EFFECTIVE_CONCURRENCY.toString()} in flight ` +
        `= ${idealSeconds.toString()} s; measured / ideal = ${ratio.toString()}`,
    );

    const report: Report = {
      benchmark: 'scan end to end (enumerate, fetch, persist, evaluate) on the emulator',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      // The machine is shared: its 1-minute load when the run started and ended says how much.
      loadAverage: { start: round(loadBefore, 2), end: round(loadavg()[0] ?? 0, 2) },
      postgres: server.kind,
      fleet: { ...FLEET, resources: RESOURCES },
      settings: { ...SETTINGS, effectiveConcurrency: EFFECTIVE_CONCURRENCY },
      latency0: first,
      latency50: { ...latency, idealSeconds, ratioToIdeal: ratio },
      unchangedScan: { ...second, targetBytesPerResource: 100 },
      unchangedScanAfterVacuum: third,
    };
    const output = join(process.cwd(), 'bench-results');
    mkdirSync(output, { recursive: true });
    writeFileSync(join(output, 'scan.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(output, 'scan.md'), markdown(report));
    console.log(`wrote ${join(output, 'scan.json')} and scan.md`);
    const runs = [first, second.run, third.run, latency];
    if (!runs.every((run) => run.status === 'succeeded' && run.observed === RESOURCES)) {
      throw new Error('A scan did not observe every resource; see the report');
    }
  } finally {
    emulator.stop();
    await server.stop();
  }
}

function describeRun(run: ScanRun): string {
  return (
    `${run.name.padEnd(40)} ${run.status} in ${run.seconds.toFixed(2)} s, ${run.resourcesPerSecond.toString()} resources/s, ` +
    `${run.observed.toString()} observed, peak RSS ${run.peakRssMb.toString()} MB\n` +
    `  emulator: ${run.emulator.requestsPerSecond.toString()} req/s sent, ${(run.emulator.coresBusy * 100).toFixed(1)} % of a core busy, ` +
    `${run.emulator.capacityPerCore.toString()} req/s per core => headroom ${run.emulator.headroom.toString()}x what the scanner sent`
  );
}

function describeGrowth(growth: GrowthRun): string {
  return (
    `  growth: history + scan_observations ${growth.historyBytes.toString()} bytes = ` +
    `${growth.historyBytesPerResource.toString()} bytes/resource (target < 100); resources + findings ` +
    `${growth.currentStateBytesPerResource.toString()} bytes/resource; whole database ${(growth.growthBytes.database ?? 0).toString()} bytes`
  );
}

interface Report {
  readonly benchmark: string;
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cpus: number;
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly postgres: string;
  readonly fleet: GenerateFleetOptions & { resources: number };
  readonly settings: typeof SETTINGS & { effectiveConcurrency: number };
  readonly latency0: ScanRun;
  readonly latency50: ScanRun & { idealSeconds: number; ratioToIdeal: number };
  readonly unchangedScan: GrowthRun & { targetBytesPerResource: number };
  readonly unchangedScanAfterVacuum: GrowthRun;
}

function markdown(report: Report): string {
  const row = (run: ScanRun) =>
    `| ${run.name} | ${run.status} | ${run.seconds.toString()} | ${run.resourcesPerSecond.toString()} | ${run.peakRssMb.toString()} | ` +
    `${run.emulator.requestsPerSecond.toString()} | ${run.emulator.capacityPerCore.toString()} | ${run.emulator.headroom.toString()}x |`;
  const second = report.unchangedScan;
  const third = report.unchangedScanAfterVacuum;
  return [
    `# Scan benchmark (${report.date}, Node ${report.node}, ${report.cpus.toString()} cores, Postgres ${report.postgres})`,
    '',
    `Machine load (1 min) ${report.loadAverage.start.toString()} at the start, ${report.loadAverage.end.toString()} at the end: ` +
      'the machine is shared, compare ratios rather than absolute times.',
    '',
    `${report.fleet.buckets.toString()} buckets + ${report.fleet.tableBuckets.toString()} table buckets in ` +
      `${report.fleet.accounts.toString()} accounts, ${report.fleet.regions.length.toString()} regions; ` +
      'the emulator alone in a child process; one scanning process (enumerate, fetch, persist, evaluate).',
    '',
    `Settings: auditBatchSize ${report.settings.scan.auditBatchSize.toString()}, globalConcurrency ` +
      `${report.settings.scan.globalConcurrency.toString()}, auditConcurrency ${report.settings.scan.jobs.auditConcurrency.toString()}, ` +
      `enumerateConcurrency ${report.settings.scan.jobs.enumerateConcurrency.toString()}, job polling ` +
      `${report.settings.scan.jobs.pollingIntervalSeconds.toString()} s, per-account rate ` +
      `${report.settings.rate.initialRps.toString()} req/s (initial = max) with ${report.settings.rate.concurrency.toString()} ` +
      `in flight: effective concurrency ${report.settings.effectiveConcurrency.toString()}.`,
    '',
    '| run | status | seconds | resources/s | peak RSS (MB) | requests/s sent | emulator capacity (req/s per core) | emulator headroom |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row(report.latency0),
    row(second.run),
    row(third.run),
    row(report.latency50),
    '',
    `Latency ${report.latency50.latencyMs.toString()} ms: ideal ${report.latency50.idealSeconds.toString()} s ` +
      `(resources × latency / effective concurrency); measured / ideal = ${report.latency50.ratioToIdeal.toString()}.`,
    '',
    `Growth of the second, unchanged scan in ${HISTORY_TABLES.join(', ')}: **${second.historyBytesPerResource.toString()} ` +
      `bytes per resource** (target < 100); after VACUUM, the third: ${third.historyBytesPerResource.toString()}. ` +
      `Tables rewritten in place (${CURRENT_STATE_TABLES.join(', ')}): ${second.currentStateBytesPerResource.toString()} ` +
      `then ${third.currentStateBytesPerResource.toString()} bytes per resource (dead row versions VACUUM makes reusable).`,
    '',
    '| table | second scan (bytes) | third scan, after VACUUM (bytes) |',
    '| --- | --- | --- |',
    ...Object.keys(second.growthBytes).map(
      (table) =>
        `| ${table} | ${(second.growthBytes[table] ?? 0).toString()} | ${(third.growthBytes[table] ?? 0).toString()} |`,
    ),
    '',
    "Peak RSS is the scanning process's maxRSS when the run ended (runs in the order listed). " +
      "Emulator capacity is the requests it answered per second of its own CPU time during the run; headroom is that over the rate the scanner sent: above 1, the emulator was not the scan's bound.",
    '',
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

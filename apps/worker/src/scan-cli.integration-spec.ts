import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateFleet, startEmulator, type EmulatorHandle, type FleetSpec } from '@app/oss-emulator';
import {
  createTestDatabase,
  fleetAuditConfig,
  runEntryPoint,
  withHealthyKeys,
  type EntryPointRun,
  type TestDatabase,
} from '@app/testing';
import { stringify } from 'yaml';

/**
 * `npm run scan` as an operator runs it, against the emulator and a migrated database: its exit
 * code says what the scan proved (0 succeeded, 1 partial, 3 failed, 2 could not run), and what it
 * prints names every scope it covered and every problem with what proves it.
 */
describe('npm run scan', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'seed-scan-cli-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  /** One account over cn-hangzhou and cn-beijing: buckets in cn-hangzhou only, no table bucket. */
  function smallFleet(deniedBuckets = 0): FleetSpec {
    return withHealthyKeys(
      generateFleet({
        accounts: 1,
        regions: ['cn-hangzhou'],
        buckets: 4,
        tableBuckets: 0,
        deniedBuckets,
        seed: 5,
      }),
    );
  }

  async function scanWith(
    fleet: FleetSpec,
    shape: (document: Record<string, unknown>, emulator: EmulatorHandle) => Record<string, unknown>,
    prepare: (emulator: EmulatorHandle) => void = () => undefined,
  ): Promise<{ run: EntryPointRun; scans: number }> {
    const database: TestDatabase = await createTestDatabase();
    const emulator = await startEmulator({ fleet });
    try {
      prepare(emulator);
      const { document, env } = fleetAuditConfig(fleet, {
        emulatorUrl: emulator.url,
        databaseUrl: database.url,
      });
      const configPath = join(directory, `config-${Date.now().toString()}.yaml`);
      writeFileSync(configPath, stringify(shape(document, emulator)));
      const run = await runEntryPoint({
        script: 'apps/worker/src/scan.cli.ts',
        env: { ...env, AUDIT_CONFIG: configPath },
        timeoutMs: 90_000,
      });
      const [{ count }] = await database.dataSource.query<[{ count: string }]>(
        `SELECT count(*) AS "count" FROM "scans"`,
      );
      return { run, scans: Number(count) };
    } finally {
      await emulator.close();
      await database.drop();
    }
  }

  function withAccount(
    document: Record<string, unknown>,
    change: (account: Record<string, unknown>) => Record<string, unknown>,
  ): Record<string, unknown> {
    const accounts = document.accounts as Record<string, unknown>[];
    return { ...document, accounts: accounts.map(change) };
  }

  it('exits 0 for a scan that proved every scope, and shows the empty ones with the request that proved them', async () => {
    const { run } = await scanWith(smallFleet(), (document) =>
      withAccount(document, (account) => ({ ...account, regions: ['cn-hangzhou', 'cn-beijing'] })),
    );
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^Scan 1 \(cli\): SUCCEEDED in [\d.]+ s$/m);
    expect(run.stdout).toMatch(/^ {4}account-1 \/ bucket \/ cn-hangzhou: 4 of 4$/m);
    expect(run.stdout).toMatch(
      /^ {4}account-1 \/ table_bucket \/ cn-beijing: 0 of 0, proved empty by request [0-9A-F]{24}$/m,
    );
    expect(run.stdout).not.toContain('problems');
  }, 120_000);

  it('exits 1 for a partial scan and prints each problem with its code, status, host and request id', async () => {
    const { run } = await scanWith(smallFleet(1), (document) => document);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Scan 1 \(cli\): PARTIAL in /m);
    expect(run.stdout).toMatch(
      /^ {4}account-1 \/ bucket \/ cn-hangzhou: GetBucketEncryption fleet-\S+, AccessDenied \(HTTP 403\), .+, at oss-cn-hangzhou\.aliyuncs\.com, request [0-9A-F]{24}$/m,
    );
  }, 120_000);

  it('names a configured bucket that does not exist and ends partial, never succeeded', async () => {
    const fleet = smallFleet();
    const real = fleet.accounts[0]!.buckets[0]!;
    const { run } = await scanWith(fleet, (document) =>
      withAccount(document, (account) => ({
        ...account,
        discover: { buckets: false, tableBuckets: false },
        buckets: [
          { name: real.name, region: real.region },
          { name: 'seed-no-such-bucket', region: 'cn-hangzhou' },
        ],
      })),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Scan 1 \(cli\): PARTIAL in /m);
    expect(run.stdout).toMatch(
      /^ {4}account-1 \/ bucket \/ cn-hangzhou: seed-no-such-bucket is configured but does not exist$/m,
    );
    expect(run.stdout).not.toContain(`${real.name} is configured but does not exist`);
  }, 120_000);

  it('exits 3 for a scan that could read nothing, with the reason', async () => {
    const { run } = await scanWith(smallFleet(), (document, emulator) =>
      // Every endpoint unreachable: the emulator's port, closed once the configuration is written.
      withAccount(document, (account) => ({
        ...account,
        endpoints: {
          ...(account.endpoints as Record<string, unknown>),
          oss: `http://127.0.0.1:${(emulator.port + 1).toString()}`,
          tables: `http://127.0.0.1:${(emulator.port + 1).toString()}`,
        },
      })),
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^Scan 1 \(cli\): FAILED in /m);
    expect(run.stdout).toMatch(
      /^ {2}failure: Nothing could be listed or read\. account-1\/bucket\/cn-hangzhou: ListBuckets, ECONNREFUSED, /m,
    );
    expect(run.stdout).toMatch(/NOT PROVED: listing incomplete/);
  }, 120_000);

  it('exits 2 on a region typo, naming the key path and the nearest region, before any scan starts', async () => {
    const { run, scans } = await scanWith(smallFleet(), (document) =>
      withAccount(document, (account) => ({ ...account, regions: ['cn-hangzou'] })),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '  - accounts[0].regions[0]: "cn-hangzou" is not an OSS region; did you mean "cn-hangzhou"?',
    );
    expect(scans).toBe(0);
  }, 120_000);

  it('never reads a region it cannot reach as empty, even one let through extraRegions', async () => {
    const { run } = await scanWith(
      smallFleet(),
      (document) => ({
        ...withAccount(document, (account) => ({ ...account, regions: ['cn-hangzhou', 'cn-hangzou'] })),
        extraRegions: ['cn-hangzou'],
      }),
      // What a name that does not resolve gives a client: no answer at all.
      (emulator) => {
        emulator.setFaults([{ match: { region: 'cn-hangzou' }, fault: { kind: 'reset' } }]);
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^ {4}account-1 \/ table_bucket \/ cn-hangzou: 0 of 0 \(NOT PROVED: listing incomplete\)/m,
    );
    expect(run.stdout).toMatch(/^ {4}account-1 \/ table_bucket \/ cn-hangzou: ListTableBuckets, /m);
  }, 120_000);
});

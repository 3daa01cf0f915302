import { generateFleet } from '@app/oss-emulator';
import {
  expectedFindings,
  fleetResourceKeys,
  openFindingRules,
  startScanEnvironment,
  type ScanEnvironment,
} from '@app/testing';

import { ScanStarterRuntime } from './scan-runtime';

/** Fast enough that a fleet of a thousand scans in seconds on the emulator. */
const FAST = { rate: { initialRps: 2000, maxRps: 4000, concurrency: 32 }, scan: { auditBatchSize: 100 } };

describe('a scan of a generated fleet', () => {
  const fleet = generateFleet({
    accounts: 2,
    regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
    buckets: 1000,
    tableBuckets: 20,
    deniedBuckets: 7,
    deniedTableBuckets: 1,
    seed: 7,
  });
  let env: ScanEnvironment;

  beforeAll(async () => {
    env = await startScanEnvironment({ fleet, ...FAST });
  }, 60_000);
  afterAll(async () => {
    await env.close();
  });

  it('observes every resource, marks denied ones unverifiable, and opens exactly the ground-truth findings', async () => {
    const scan = await env.runScan();

    const observed = await env.database.dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM scan_observations WHERE scan_id = $1`,
      [scan.id],
    );
    expect(Number(observed[0]?.count)).toBe(fleetResourceKeys(fleet).length);
    expect(await openFindingRules(env.database.dataSource)).toEqual(expectedFindings(fleet));
    // Denied resources make the scan partial, never clean.
    expect(scan.status).toBe('partial');
    const storage = scan.coverage.filter((row) => row.kind === 'bucket' || row.kind === 'table_bucket');
    const errors = storage.flatMap((row) => Object.entries(row.errorsByCode));
    expect(errors.reduce((sum, [, count]) => sum + count, 0)).toBe(8);
    expect(new Set(errors.map(([code]) => code))).toEqual(new Set(['AccessDenied', 'ForbiddenException']));
    expect(storage.every((row) => row.enumerationComplete && row.observed === row.listed)).toBe(true);
  }, 120_000);
});

describe('a scan whose configuration changes while it runs', () => {
  const fleet = generateFleet({
    accounts: 1,
    regions: ['cn-hangzhou', 'cn-shanghai'],
    buckets: 24,
    tableBuckets: 0,
    seed: 5,
  });
  let env: ScanEnvironment;

  beforeAll(async () => {
    env = await startScanEnvironment({ fleet, ...FAST });
  }, 60_000);
  afterAll(async () => {
    await env.close();
  });

  it('lists and judges the scope it was started with, not the live configuration of the workers', async () => {
    const planned = {
      ...env.config,
      accounts: env.config.accounts.map((account) => ({
        ...account,
        regions: ['cn-hangzhou'],
        include: ['fleet-00*'],
      })),
    };
    const starter = new ScanStarterRuntime({ config: planned, dataSource: env.database.dataSource });
    await starter.connect();
    try {
      const { scan } = await starter.startScan('api');
      await env.runtime.startConsuming();
      const finished = await env.runtime.waitForScan(scan.id);

      const seen = await env.database.dataSource.query<{ name: string; region: string }[]>(
        `SELECT r.name, r.region FROM scan_observations so JOIN resources r ON r.id = so.resource_id
         WHERE so.scan_id = $1 AND r.kind = 'bucket'`,
        [finished.id],
      );
      const expected = fleet.accounts
        .flatMap((account) => account.buckets)
        .filter((bucket) => bucket.region === 'cn-hangzhou' && bucket.name.startsWith('fleet-00'));
      expect(expected.length).toBeGreaterThan(0);
      expect(seen.map((row) => row.name).sort()).toEqual(expected.map((bucket) => bucket.name).sort());
      expect(finished.status).toBe('succeeded');
    } finally {
      await starter.close();
    }
  }, 60_000);
});

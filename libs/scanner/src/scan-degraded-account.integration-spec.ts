import { bucketResourceKey } from '@app/audit';
import { generateFleet } from '@app/oss-emulator';
import { ScanTaskRepository } from '@app/persistence';
import {
  allFindings,
  scanObservations,
  startScanEnvironment,
  type RecordedFinding,
  type ScanEnvironment,
} from '@app/testing';

/**
 * An account the service throttles (503 MetaOperationQpsLimitExceeded on every call, after the
 * client's retries) must not look clean, and must not lose its findings: what a scan could not
 * see proves nothing. The floor of the adaptive rate stays high so the test does not crawl.
 */
const RATE = { initialRps: 2000, maxRps: 4000, minRps: 500, concurrency: 32 };

describe('a scan in which one account is throttled', () => {
  const fleet = generateFleet({
    accounts: 2,
    regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
    buckets: 80,
    tableBuckets: 6,
    seed: 31,
  });
  const healthy = fleet.accounts[0]!;
  const throttled = fleet.accounts[1]!;
  const bucketsByRegion = (regionOf: string) =>
    throttled.buckets.filter((bucket) => bucket.region === regionOf).length;
  let env: ScanEnvironment;

  beforeAll(async () => {
    env = await startScanEnvironment({
      fleet,
      rate: RATE,
      // Re-reads of throttled resources after 1, 2 and 4 s (10, 20, 40 s by default).
      scan: { auditBatchSize: 20, throttledRereads: { rounds: 3, delaySeconds: 1 } },
    });
  }, 60_000);
  afterAll(async () => {
    await env.close();
  });
  afterEach(() => {
    env.emulator.clearFaults();
  });

  /** Open findings of the throttled account (`account-2`): their resource keys and ids. */
  async function openOfThrottledAccount(): Promise<RecordedFinding[]> {
    const keys = new Set(
      (
        await env.database.dataSource.query<{ resource_key: string }[]>(
          `SELECT "resource_key" FROM "resources" WHERE "account_alias" = 'account-2'`,
        )
      ).map((row) => row.resource_key),
    );
    return (await allFindings(env.database.dataSource)).filter(
      (finding) => finding.status === 'open' && keys.has(finding.resourceKey),
    );
  }

  it('reads through 44% throttling: every resource observed once its re-reads have had time', async () => {
    expect((await env.runScan()).status).toBe('succeeded');
    const unlucky = throttled.buckets[0]!;
    env.emulator.setFaults([
      // One bucket throttled through every attempt of its first read (5 for a throttle): whatever
      // the dice do to the others, a later round must read it.
      {
        match: { accountId: throttled.id, bucket: unlucky.name, operation: 'GetBucketEncryption' },
        fault: { kind: 'error', code: 'MetaOperationQpsLimitExceeded' },
        times: 5,
      },
      {
        match: { accountId: throttled.id, operation: 'GetBucketEncryption' },
        fault: { kind: 'error', code: 'MetaOperationQpsLimitExceeded' },
        probability: 0.44,
      },
    ]);
    const scan = await env.runScan();
    expect(scan.status).toBe('succeeded');
    const bucketRows = scan.coverage.filter(
      (row) => row.accountAlias === 'account-2' && row.kind === 'bucket',
    );
    expect(bucketRows.reduce((sum, row) => sum + row.observed, 0)).toBe(throttled.buckets.length);
    expect(bucketRows.every((row) => Object.keys(row.errorsByCode).length === 0)).toBe(true);
    const opened = (await allFindings(env.database.dataSource)).filter((f) => f.openedScanId === scan.id);
    expect(opened.filter((finding) => finding.rule === 'unverifiable')).toEqual([]);
    // Some reads were still throttled after their own retries, and a later round read them.
    const tasks = await new ScanTaskRepository(env.database.dataSource).taskResults(scan.id);
    const rereads = tasks.filter((task) => task.taskKey.endsWith('/reread'));
    expect(rereads.length).toBeGreaterThan(0);
    const observed = await scanObservations(env.database.dataSource, scan.id);
    expect(observed.get(bucketResourceKey(unlucky.name))).toMatchObject({ errorCode: null });
    expect(observed.get(bucketResourceKey(unlucky.name))?.encryptionClass).not.toBe('unknown');
    expect(tasks.reduce((sum, task) => sum + (task.result?.deferred ?? 0), 0)).toBeGreaterThan(0);
    // The throttling was real: the emulator answered many reads with 503s.
    expect(env.emulator.requestCount('GetBucketEncryption')).toBeGreaterThan(
      2 * fleet.accounts.flatMap((a) => a.buckets).length + 10,
    );
  }, 120_000);

  it('is partial when encryption reads are throttled, says so per region, and resolves nothing', async () => {
    expect((await env.runScan()).status).toBe('succeeded');
    const openBefore = await openOfThrottledAccount();
    expect(openBefore.length).toBeGreaterThan(0);

    env.emulator.setFaults([
      {
        match: { accountId: throttled.id, operation: 'GetBucketEncryption' },
        fault: { kind: 'error', code: 'MetaOperationQpsLimitExceeded' },
        probability: 1,
      },
    ]);
    const scan = await env.runScan();

    expect(scan.status).toBe('partial');
    const bucketRows = scan.coverage.filter(
      (row) => row.accountAlias === 'account-2' && row.kind === 'bucket',
    );
    expect(bucketRows.map((row) => [row.region, row.errorsByCode]).sort()).toEqual(
      [...new Set(throttled.buckets.map((bucket) => bucket.region))]
        .map((region) => [region, { MetaOperationQpsLimitExceeded: bucketsByRegion(region) }])
        .sort(),
    );
    const others = scan.coverage.filter((row) => !bucketRows.includes(row));
    expect(others.every((row) => Object.keys(row.errorsByCode).length === 0)).toBe(true);

    const findings = await allFindings(env.database.dataSource);
    expect(findings.filter((finding) => finding.resolvedScanId === scan.id)).toEqual([]);
    const openNow = new Set(findings.filter((f) => f.status === 'open').map((f) => f.id));
    expect(openBefore.filter((finding) => !openNow.has(finding.id))).toEqual([]);
    // What it could not read it reports as unverifiable, on the throttled account's buckets only.
    const opened = findings.filter((finding) => finding.openedScanId === scan.id);
    expect(new Set(opened.map((finding) => finding.rule))).toEqual(new Set(['unverifiable']));
    expect(opened.map((finding) => finding.resourceKey).sort()).toEqual(
      throttled.buckets.map((bucket) => `oss:${bucket.name}`).sort(),
    );
  }, 120_000);

  it('is partial when listing is throttled, marks none of its resources deleted, and resolves nothing', async () => {
    expect((await env.runScan()).status).toBe('succeeded');
    const openBefore = await openOfThrottledAccount();
    expect(openBefore.length).toBeGreaterThan(0);

    // Every call of the account: ListBuckets, and ListTableBuckets (as ServiceUnavailableException).
    env.emulator.setFaults([
      {
        match: { accountId: throttled.id },
        fault: { kind: 'error', code: 'MetaOperationQpsLimitExceeded' },
        probability: 1,
      },
    ]);
    const scan = await env.runScan();

    expect(scan.status).toBe('partial');
    const listings = scan.coverage.filter((row) => row.accountAlias === 'account-2');
    expect(listings.length).toBeGreaterThan(0);
    expect(listings.every((row) => !row.enumerationComplete && row.observed === 0)).toBe(true);
    expect(
      listings
        .map((row) => Object.keys(row.errorsByCode))
        .flat()
        .sort(),
    ).toEqual(
      [
        'MetaOperationQpsLimitExceeded',
        ...new Array<string>(new Set(throttled.tableBuckets.map((t) => t.region)).size).fill(
          'ServiceUnavailableException',
        ),
      ].sort(),
    );
    const healthyRows = scan.coverage.filter(
      (row) => row.accountAlias === 'account-1' && (row.kind === 'bucket' || row.kind === 'table_bucket'),
    );
    expect(healthyRows.reduce((sum, row) => sum + row.observed, 0)).toBe(
      healthy.buckets.length + healthy.tableBuckets.length,
    );

    const deleted = await env.database.dataSource.query<{ resource_key: string }[]>(
      `SELECT "resource_key" FROM "resources" WHERE "deleted_at" IS NOT NULL`,
    );
    expect(deleted).toEqual([]);
    const findings = await allFindings(env.database.dataSource);
    expect(findings.filter((finding) => finding.resolvedScanId === scan.id)).toEqual([]);
    const openNow = new Set(findings.filter((f) => f.status === 'open').map((f) => f.id));
    expect(openBefore.filter((finding) => !openNow.has(finding.id))).toEqual([]);
  }, 120_000);
});

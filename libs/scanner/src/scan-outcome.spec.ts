import type { ScanTaskOutcome, ScopeError } from '@app/persistence';

import { failureReason, scanCoverage, scanStatus } from './scan-outcome';
import type { AccountPlan, ScanPlan } from './scan-plan';

const at = new Date('2026-11-21T02:00:00Z');

function account(overrides: Partial<AccountPlan> = {}): AccountPlan {
  return {
    alias: 'prod',
    accountId: null,
    include: [],
    exclude: [],
    bucketRegions: ['cn-hangzhou', 'cn-shanghai'],
    tableBucketRegions: [],
    tables: { discover: true, include: [], exclude: [] },
    configured: [],
    ...overrides,
  };
}

const plan = (...accounts: AccountPlan[]): ScanPlan => ({ accounts });

function task(
  overrides: Partial<ScanTaskOutcome> & Pick<ScanTaskOutcome, 'taskKey' | 'kind'>,
): ScanTaskOutcome {
  return {
    scanId: 1,
    accountAlias: 'prod',
    region: 'cn-hangzhou',
    resourceKind: 'bucket',
    status: 'done',
    result: { listed: 0, observed: 0, errorsByCode: {}, enumerationComplete: true },
    updatedAt: at,
    plan: null,
    ...overrides,
  };
}

const DENIED: ScopeError = {
  code: 'AccessDenied',
  message: 'You have no right to access this.',
  httpStatus: 403,
  host: 'oss-cn-hangzhou.aliyuncs.com',
  requestId: 'REQ-403',
  operation: 'ListBuckets',
};

const listing = task({
  taskKey: 'enumerate/prod/bucket/*',
  kind: 'enumerate',
  region: '*',
  plan: { regions: ['cn-hangzhou', 'cn-shanghai'], include: [], exclude: [] },
  result: { listed: 5, observed: 0, errorsByCode: {}, enumerationComplete: true, proof: ['REQ-LIST-1'] },
});
const batch = (region: string, listed: number, observed: number, errorsByCode: Record<string, number> = {}) =>
  task({
    taskKey: `audit/${region}`,
    kind: 'audit',
    region,
    result: { listed, observed, errorsByCode, enumerationComplete: true },
  });

describe('scanCoverage', () => {
  it('sums audit batches per (account, kind, region), each region proved by the listing request id', () => {
    const coverage = scanCoverage(plan(account()), [
      listing,
      batch('cn-hangzhou', 3, 3),
      batch('cn-shanghai', 2, 2),
    ]);
    expect(
      coverage.map(({ region, listed, observed, enumerationComplete, proof }) => ({
        region,
        listed,
        observed,
        enumerationComplete,
        proof,
      })),
    ).toEqual([
      { region: 'cn-hangzhou', listed: 3, observed: 3, enumerationComplete: true, proof: ['REQ-LIST-1'] },
      { region: 'cn-shanghai', listed: 2, observed: 2, enumerationComplete: true, proof: ['REQ-LIST-1'] },
    ]);
  });

  it('gives every planned region a row even when it holds nothing, proved by the listing that found nothing', () => {
    const coverage = scanCoverage(plan(account({ bucketRegions: ['cn-hangzhou', 'cn-beijing'] })), [
      { ...listing, plan: { regions: ['cn-hangzhou', 'cn-beijing'], include: [], exclude: [] } },
      batch('cn-hangzhou', 1, 1),
    ]);
    expect(coverage.find((row) => row.region === 'cn-beijing')).toMatchObject({
      listed: 0,
      observed: 0,
      enumerationComplete: true,
      proof: ['REQ-LIST-1'],
    });
  });

  it('gives a table-bucket region its row when its listing found nothing, and an `all` listing with nothing a `*` row', () => {
    const coverage = scanCoverage(
      plan(account({ bucketRegions: 'all', tableBucketRegions: ['cn-shanghai'] })),
      [
        { ...listing, plan: { regions: 'all', include: [], exclude: [] } },
        task({
          taskKey: 'enumerate/prod/table_bucket/cn-shanghai',
          kind: 'enumerate',
          region: 'cn-shanghai',
          resourceKind: 'table_bucket',
          result: { listed: 0, observed: 0, errorsByCode: {}, enumerationComplete: true, proof: ['REQ-TB'] },
        }),
      ],
    );
    expect(coverage.map(({ kind, region, proof }) => [kind, region, proof])).toEqual([
      ['bucket', '*', ['REQ-LIST-1']],
      ['table_bucket', 'cn-shanghai', ['REQ-TB']],
    ]);
  });

  it('marks every region of a listing that failed not proved, and keeps the failure with what proves it', () => {
    const failedListing = task({
      ...listing,
      result: {
        listed: 0,
        observed: 0,
        errorsByCode: { AccessDenied: 1 },
        enumerationComplete: false,
        errors: [DENIED],
      },
    });
    const coverage = scanCoverage(plan(account()), [failedListing]);
    expect(coverage.every((row) => !row.enumerationComplete)).toBe(true);
    expect(coverage[0]?.errors).toEqual([DENIED]);
    expect(coverage[0]?.errorsByCode).toEqual({ AccessDenied: 1 });
  });

  it('names the configured resources that do not exist', () => {
    const coverage = scanCoverage(plan(account({ bucketRegions: null })), [
      task({
        taskKey: 'audit/enumerate/prod/bucket/configured/0',
        kind: 'audit',
        result: {
          listed: 2,
          observed: 1,
          errorsByCode: { NoSuchBucket: 1 },
          enumerationComplete: true,
          missing: ['ghost'],
        },
      }),
    ]);
    expect(coverage).toMatchObject([
      { region: 'cn-hangzhou', missing: ['ghost'], errorsByCode: { NoSuchBucket: 1 } },
    ]);
  });
});

describe('scanStatus', () => {
  it('is succeeded when every listing finished and everything listed was observed without errors', () => {
    const outcomes = [listing, batch('cn-hangzhou', 3, 3)];
    expect(scanStatus(outcomes, scanCoverage(plan(account()), outcomes))).toBe('succeeded');
  });

  it('is partial when some resource could not be observed', () => {
    const outcomes = [listing, batch('cn-hangzhou', 3, 3, { QpsLimitExceeded: 1 })];
    expect(scanStatus(outcomes, scanCoverage(plan(account()), outcomes))).toBe('partial');
  });

  it('is partial when a configured resource does not exist', () => {
    const outcomes = [
      listing,
      task({
        taskKey: 'audit/x',
        kind: 'audit',
        result: {
          listed: 1,
          observed: 0,
          errorsByCode: { NoSuchBucket: 1 },
          enumerationComplete: true,
          missing: ['ghost'],
        },
      }),
    ];
    expect(scanStatus(outcomes, scanCoverage(plan(account()), outcomes))).toBe('partial');
  });

  it('is partial when a task failed every retry', () => {
    const outcomes = [
      listing,
      batch('cn-hangzhou', 3, 3),
      task({ taskKey: 'audit/x', kind: 'audit', status: 'failed', result: null }),
    ];
    expect(scanStatus(outcomes, scanCoverage(plan(account()), outcomes))).toBe('partial');
  });

  it('is partial when a planned table-bucket region could not be listed, though it found nothing either way', () => {
    const outcomes = [
      listing,
      batch('cn-hangzhou', 1, 1),
      task({
        taskKey: 'enumerate/prod/table_bucket/cn-hangzou',
        kind: 'enumerate',
        region: 'cn-hangzou',
        resourceKind: 'table_bucket',
        result: { listed: 0, observed: 0, errorsByCode: { ENOTFOUND: 1 }, enumerationComplete: false },
      }),
    ];
    const coverage = scanCoverage(plan(account({ tableBucketRegions: ['cn-hangzou'] })), outcomes);
    expect(scanStatus(outcomes, coverage)).toBe('partial');
  });

  it('is failed when no listing and no audit got anywhere', () => {
    const outcomes = [
      task({
        ...listing,
        result: {
          listed: 0,
          observed: 0,
          errorsByCode: { InvalidAccessKeyId: 1 },
          enumerationComplete: false,
        },
      }),
    ];
    expect(scanStatus(outcomes, scanCoverage(plan(account()), outcomes))).toBe('failed');
  });

  it('is succeeded for a scan with nothing to do', () => {
    expect(scanStatus([], [])).toBe('succeeded');
  });
});

describe('failureReason', () => {
  it('says what failed where, with the status, host and request id', () => {
    const failedListing = task({
      ...listing,
      result: {
        listed: 0,
        observed: 0,
        errorsByCode: { AccessDenied: 1 },
        enumerationComplete: false,
        errors: [DENIED],
      },
    });
    const reason = failureReason(scanCoverage(plan(account()), [failedListing]), [failedListing]);
    expect(reason).toContain('prod/bucket/cn-hangzhou: ListBuckets, AccessDenied (HTTP 403)');
    expect(reason).toContain('at oss-cn-hangzhou.aliyuncs.com');
    expect(reason).toContain('request REQ-403');
  });
});

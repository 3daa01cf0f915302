import type { ScanTaskOutcome } from '@app/persistence';

import { scanCoverage, scanStatus } from './scan-outcome';

const at = new Date('2026-11-21T02:00:00Z');

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

const listing = task({ taskKey: 'enumerate/prod/bucket/*', kind: 'enumerate', region: '*' });
const batch = (region: string, listed: number, observed: number, errorsByCode: Record<string, number> = {}) =>
  task({
    taskKey: `audit/${region}`,
    kind: 'audit',
    region,
    result: { listed, observed, errorsByCode, enumerationComplete: true },
  });

describe('scanCoverage', () => {
  it('sums audit batches per (account, kind, region) under an account-wide listing', () => {
    const coverage = scanCoverage([listing, batch('cn-hangzhou', 3, 3), batch('cn-shanghai', 2, 2)]);
    expect(coverage).toEqual([
      {
        accountAlias: 'prod',
        kind: 'bucket',
        region: 'cn-hangzhou',
        listed: 3,
        observed: 3,
        errorsByCode: {},
        enumerationComplete: true,
      },
      {
        accountAlias: 'prod',
        kind: 'bucket',
        region: 'cn-shanghai',
        listed: 2,
        observed: 2,
        errorsByCode: {},
        enumerationComplete: true,
      },
    ]);
  });

  it('marks every region of an account incomplete when its listing stopped early, and says why', () => {
    const failedListing = task({
      ...listing,
      result: { listed: 1, observed: 0, errorsByCode: { AccessDenied: 1 }, enumerationComplete: false },
    });
    const coverage = scanCoverage([failedListing, batch('cn-hangzhou', 1, 1)]);
    expect(coverage.every((row) => !row.enumerationComplete)).toBe(true);
    expect(coverage.find((row) => row.region === '*')?.errorsByCode).toEqual({ AccessDenied: 1 });
  });
});

describe('scanStatus', () => {
  it('is succeeded when every listing finished and everything listed was observed without errors', () => {
    const outcomes = [listing, batch('cn-hangzhou', 3, 3)];
    expect(scanStatus(outcomes, scanCoverage(outcomes))).toBe('succeeded');
  });

  it('is partial when some resource could not be observed', () => {
    const outcomes = [listing, batch('cn-hangzhou', 3, 3, { QpsLimitExceeded: 1 })];
    expect(scanStatus(outcomes, scanCoverage(outcomes))).toBe('partial');
  });

  it('is partial when a task failed every retry', () => {
    const outcomes = [
      listing,
      batch('cn-hangzhou', 3, 3),
      task({ taskKey: 'audit/x', kind: 'audit', status: 'failed', result: null }),
    ];
    expect(scanStatus(outcomes, scanCoverage(outcomes))).toBe('partial');
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
    expect(scanStatus(outcomes, scanCoverage(outcomes))).toBe('failed');
  });

  it('is succeeded for a scan with nothing to do', () => {
    expect(scanStatus([], [])).toBe('succeeded');
  });
});

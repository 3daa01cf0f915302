import type { ScanCoverage, ScanRecord } from '@app/persistence';

import { deniedCount, formatVerdict, unexpectedScanProblems } from './scan-verdict';

function coverage(overrides: Partial<ScanCoverage> = {}): ScanCoverage {
  return {
    accountAlias: 'account-1',
    region: 'cn-hangzhou',
    kind: 'bucket',
    listed: 10,
    observed: 10,
    errorsByCode: {},
    enumerationComplete: true,
    ...overrides,
  };
}

function scan(status: ScanRecord['status'], rows: ScanCoverage[]): ScanRecord {
  return {
    id: 4,
    trigger: 'cli',
    scheduleSlot: null,
    status,
    startedAt: new Date('2025-04-17T10:00:00.000Z'),
    finishedAt: new Date('2025-04-17T10:00:05.000Z'),
    coverage: rows,
    summary: null,
    failureReason: null,
    plan: null,
  };
}

describe('unexpectedScanProblems', () => {
  it('accepts a partial scan whose only errors are the deliberate denials', () => {
    const partial = scan('partial', [
      coverage({ errorsByCode: { AccessDenied: 1 } }),
      coverage({ kind: 'table_bucket', errorsByCode: { ForbiddenException: 1 } }),
      coverage({ kind: 'table', enumerationComplete: false, errorsByCode: { ForbiddenException: 1 } }),
    ]);
    expect(unexpectedScanProblems(partial)).toEqual([]);
  });

  it('accepts the tables of the denied table bucket going unlisted, and nothing else cutting a table listing short', () => {
    const partial = scan('partial', [
      coverage({
        kind: 'table',
        listed: 0,
        observed: 0,
        enumerationComplete: false,
        errorsByCode: { ForbiddenException: 1 },
      }),
      coverage({
        kind: 'table',
        region: 'cn-beijing',
        listed: 0,
        observed: 0,
        enumerationComplete: false,
        errorsByCode: { InternalError: 1 },
      }),
    ]);
    expect(unexpectedScanProblems(partial)).toEqual([
      'scan 4 account-1/table/cn-beijing: listing incomplete',
      'scan 4 account-1/table/cn-beijing: InternalError x1',
    ]);
  });

  it('names a failed scan, a cut-short listing, unobserved resources and other errors', () => {
    const broken = scan('failed', [
      coverage({ enumerationComplete: false }),
      coverage({ region: 'cn-beijing', observed: 8, errorsByCode: { RequestTimeout: 2 } }),
    ]);
    expect(unexpectedScanProblems(broken)).toEqual([
      'scan 4 ended failed',
      'scan 4 account-1/bucket/cn-hangzhou: listing incomplete',
      'scan 4 account-1/bucket/cn-beijing: 8 of 10 observed',
      'scan 4 account-1/bucket/cn-beijing: RequestTimeout x2',
    ]);
  });
});

describe('deniedCount', () => {
  it('sums the denials over every scope', () => {
    const partial = scan('partial', [
      coverage({ errorsByCode: { AccessDenied: 2, InternalError: 1 } }),
      coverage({ kind: 'table_bucket', errorsByCode: { ForbiddenException: 1 } }),
      coverage({ kind: 'table', enumerationComplete: false, errorsByCode: { ForbiddenException: 1 } }),
    ]);
    // The table listing the denied table bucket cut short is that same table bucket, not another resource.
    expect(deniedCount(partial)).toBe(3);
  });
});

describe('formatVerdict', () => {
  it('explains a partial scan by the resources that deny the auditor', () => {
    const partial = scan('partial', [coverage({ errorsByCode: { AccessDenied: 2 } })]);
    expect(formatVerdict(partial)).toMatch(
      /^Both scans are PARTIAL, as they should be: 2 resources deny the auditor/,
    );
  });

  it('states a succeeded scan plainly', () => {
    expect(formatVerdict(scan('succeeded', [coverage()]))).toBe('The scans succeeded.');
  });
});

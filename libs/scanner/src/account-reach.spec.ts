import type { ScanCoverage, ScanTaskOutcome, ScopeError } from '@app/persistence';

import { accountReaches, discoveryFailureReason, withDiscoveryOutcome } from './account-reach';
import type { AccountPlan, ScanPlan } from './scan-plan';

const DENIED: ScopeError = {
  operation: 'AssumeRole',
  code: 'NoPermission',
  message: 'You are not authorized to do this action.',
  httpStatus: 403,
  host: 'oss-cn-hangzhou.aliyuncs.com',
  requestId: 'REQ-1',
};

function account(alias: string): AccountPlan {
  return {
    alias,
    accountId: alias,
    include: [],
    exclude: [],
    bucketRegions: ['cn-hangzhou'],
    tableBucketRegions: [],
    tables: { discover: false, include: [], exclude: [] },
    configured: [],
  };
}

function row(alias: string, overrides: Partial<ScanCoverage> = {}): ScanCoverage {
  return {
    accountAlias: alias,
    region: 'cn-hangzhou',
    kind: 'bucket',
    listed: 4,
    observed: 4,
    errorsByCode: {},
    enumerationComplete: true,
    proof: ['REQ-LIST'],
    ...overrides,
  };
}

const ONE_TASK = [{ kind: 'enumerate' }] as unknown as ScanTaskOutcome[];
const failedDiscovery: ScanPlan = {
  accounts: [account('1')],
  organization: {
    listed: 0,
    planned: 1,
    proof: [],
    error: { ...DENIED, operation: 'ListAccounts', code: 'ServiceUnavailable', httpStatus: 503 },
  },
};

describe('what a scan reached of each account', () => {
  it('reached an account whose listing completed, and kept the first error of one it could not reach', () => {
    const plan: ScanPlan = { accounts: [account('1'), account('2')] };
    const coverage = [
      row('1'),
      row('2', {
        listed: 0,
        observed: 0,
        enumerationComplete: false,
        proof: [],
        errors: [DENIED],
        errorsByCode: { NoPermission: 1 },
      }),
    ];
    expect(accountReaches(plan, coverage)).toEqual([
      {
        alias: '1',
        reached: true,
        error: null,
        coverage: { scopes: 1, complete: 1, listed: 4, observed: 4 },
      },
      {
        alias: '2',
        reached: false,
        error: DENIED,
        coverage: { scopes: 1, complete: 0, listed: 0, observed: 0 },
      },
    ]);
  });
});

describe('a scan whose discovery failed', () => {
  it('is never succeeded, and failed when it had nothing else to do', () => {
    expect(withDiscoveryOutcome('succeeded', failedDiscovery, ONE_TASK)).toBe('partial');
    expect(withDiscoveryOutcome('partial', failedDiscovery, ONE_TASK)).toBe('partial');
    expect(withDiscoveryOutcome('succeeded', failedDiscovery, [])).toBe('failed');
  });

  it('keeps the status of a scan whose discovery succeeded', () => {
    expect(withDiscoveryOutcome('succeeded', { accounts: [] }, ONE_TASK)).toBe('succeeded');
    expect(discoveryFailureReason({ accounts: [] })).toBeNull();
  });

  it('says why in one line, with what proves it', () => {
    expect(discoveryFailureReason(failedDiscovery)).toBe(
      'Organisation discovery failed: ListAccounts ServiceUnavailable (HTTP 503), You are not authorized to do this action., request REQ-1',
    );
  });
});

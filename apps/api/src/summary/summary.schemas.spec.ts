import type { PostureCounts, ScanTrendPoint } from '@app/persistence';

import { presentSummary } from './summary.schemas';

const POSTURE: PostureCounts = {
  resources: [
    { accountAlias: 'prod', region: 'cn-hangzhou', kind: 'bucket', encryptionClass: 'kms_cmk', count: 5 },
    {
      accountAlias: 'prod',
      region: 'cn-hangzhou',
      kind: 'table_bucket',
      encryptionClass: 'oss_aes256',
      count: 2,
    },
    { accountAlias: 'dev', region: 'cn-beijing', kind: 'bucket', encryptionClass: 'none', count: 1 },
  ],
  openFindings: [
    { accountAlias: 'prod', region: 'cn-hangzhou', severity: 'medium', rule: 'non_kms', count: 2 },
    { accountAlias: 'dev', region: 'cn-beijing', severity: 'high', rule: 'unencrypted', count: 1 },
  ],
  suppressedFindings: 2,
  stale: { resources: 1, openFindings: 1, since: new Date('2026-03-04T02:03:00Z') },
};

const TREND: ScanTrendPoint[] = [
  {
    scanId: 7,
    trigger: 'schedule',
    status: 'partial',
    startedAt: new Date('2026-03-05T02:00:00Z'),
    finishedAt: new Date('2026-03-05T02:10:00Z'),
    coverage: [
      {
        accountAlias: 'prod',
        region: 'cn-hangzhou',
        kind: 'bucket',
        listed: 6,
        observed: 5,
        errorsByCode: { AccessDenied: 1 },
        enumerationComplete: true,
      },
    ],
    summary: {
      resourcesByClass: { kms_cmk: 5 },
      findingsOpened: 2,
      findingsResolved: 0,
      driftEvents: 1,
      alertsQueued: 1,
      resourcesDisappeared: 0,
    },
    openFindings: 3,
    suppressedFindings: 1,
  },
];

describe('presentSummary', () => {
  const summary = presentSummary(POSTURE, TREND);

  it('totals resources per class (every class listed) and per kind', () => {
    expect(summary.resources).toEqual({
      total: 8,
      byClass: { kms_cmk: 5, kms_default: 0, oss_aes256: 2, oss_sm4: 0, none: 1, unknown: 0 },
      byKind: { bucket: 6, table_bucket: 2, table: 0, kms_key: 0 },
    });
  });

  it('says how much of it the latest scan could not re-prove, and since when', () => {
    expect(summary.stale).toEqual({ resources: 1, openFindings: 1, since: '2026-03-04T02:03:00.000Z' });
  });

  it('totals open findings per severity and rule', () => {
    expect(summary.openFindings.total).toBe(3);
    expect(summary.openFindings.bySeverity).toEqual({ info: 0, low: 0, medium: 2, high: 1, critical: 0 });
    expect(summary.openFindings.byRule.non_kms).toBe(2);
  });

  it('counts suppressed findings apart from the open ones, now and per scan of the trend', () => {
    expect(summary.suppressedFindings).toBe(2);
    expect(summary.trend.map((point) => [point.openFindings, point.suppressedFindings])).toEqual([[3, 1]]);
  });

  it('breaks both down per account and region, sorted', () => {
    expect(
      summary.byAccountRegion.map((entry) => [
        entry.accountAlias,
        entry.region,
        entry.resources,
        entry.openFindings,
      ]),
    ).toEqual([
      ['dev', 'cn-beijing', 1, 1],
      ['prod', 'cn-hangzhou', 7, 2],
    ]);
  });

  it('turns each scan of the trend into coverage totals and counts', () => {
    expect(summary.trend).toEqual([
      {
        scanId: 7,
        trigger: 'schedule',
        status: 'partial',
        startedAt: '2026-03-05T02:00:00.000Z',
        finishedAt: '2026-03-05T02:10:00.000Z',
        listed: 6,
        observed: 5,
        errors: 1,
        resourcesByClass: { kms_cmk: 5, kms_default: 0, oss_aes256: 0, oss_sm4: 0, none: 0, unknown: 0 },
        findingsOpened: 2,
        findingsResolved: 0,
        driftEvents: 1,
        openFindings: 3,
        suppressedFindings: 1,
      },
    ]);
  });
});

import type { ScanRecord } from '@app/persistence';

import { scanEventLine } from './scan-event-log';

const STARTED = new Date('2026-12-03T02:00:00.000Z');

function finishedScan(overrides: Partial<ScanRecord> = {}): ScanRecord {
  return {
    id: 12,
    trigger: 'schedule',
    scheduleSlot: STARTED,
    status: 'partial',
    startedAt: STARTED,
    finishedAt: new Date(STARTED.getTime() + 42_500),
    coverage: [
      {
        accountAlias: 'prod',
        region: 'cn-hangzhou',
        kind: 'bucket',
        listed: 10,
        observed: 9,
        errorsByCode: { AccessDenied: 1 },
        enumerationComplete: true,
      },
      {
        accountAlias: 'prod',
        region: 'cn-hangzou',
        kind: 'table_bucket',
        listed: 0,
        observed: 0,
        errorsByCode: { ENOTFOUND: 1 },
        enumerationComplete: false,
      },
    ],
    summary: null,
    failureReason: null,
    plan: null,
    ...overrides,
  };
}

const COUNTS = { evaluated: 9, opened: 3, kept: 4, resolved: 1, drift: 2, alerts: 1 };

describe('scanEventLine', () => {
  it('logs the start with the trigger and the scopes planned', () => {
    expect(scanEventLine({ type: 'scan_started', scanId: 12, trigger: 'api', scopes: 7 })).toEqual({
      level: 'info',
      fields: { scanId: 12, trigger: 'api', scopes: 7 },
      message: 'scan 12 started (api): 7 listing scope(s)',
    });
  });

  it('logs a scope that could not be listed as a warning, with the error that proves it', () => {
    const line = scanEventLine({
      type: 'scope_failed',
      scanId: 12,
      accountAlias: 'prod',
      kind: 'table_bucket',
      scope: 'cn-hangzou',
      error: {
        operation: 'ListTableBuckets',
        code: 'ENOTFOUND',
        message: 'getaddrinfo ENOTFOUND cn-hangzou.oss-tables.aliyuncs.com',
        httpStatus: null,
        host: 'cn-hangzou.oss-tables.aliyuncs.com',
        requestId: null,
      },
    });
    expect(line.level).toBe('warn');
    expect(line.fields).toEqual({
      scanId: 12,
      account: 'prod',
      kind: 'table_bucket',
      scope: 'cn-hangzou',
      code: 'ENOTFOUND',
      httpStatus: null,
      host: 'cn-hangzou.oss-tables.aliyuncs.com',
      requestId: null,
    });
    expect(line.message).toBe(
      'scan 12: prod/table_bucket/cn-hangzou could not be listed: ListTableBuckets, ENOTFOUND, ' +
        'getaddrinfo ENOTFOUND cn-hangzou.oss-tables.aliyuncs.com, at cn-hangzou.oss-tables.aliyuncs.com',
    );
  });

  it('logs the end with status, duration, coverage and finding counts', () => {
    const line = scanEventLine({
      type: 'scan_finished',
      scan: finishedScan(),
      counts: COUNTS,
      compliance: null,
    });
    expect(line).toEqual({
      level: 'info',
      fields: {
        scanId: 12,
        status: 'partial',
        durationSeconds: 42.5,
        listed: 10,
        observed: 9,
        scopes: 2,
        scopesNotProved: 1,
        findingsOpened: 3,
        findingsResolved: 1,
        drift: 2,
        alerts: 1,
      },
      message:
        'scan 12 partial in 42.5 s: 9 of 10 resources observed, 1 of 2 scopes not proved, 3 findings opened, 1 resolved',
    });
  });

  it('logs the compliance outcome: controls judged, suppressed and reopened findings, stale and expiring exceptions, their alerts', () => {
    const line = scanEventLine({
      type: 'scan_finished',
      scan: finishedScan(),
      counts: COUNTS,
      compliance: {
        controlResults: 40,
        findingsSuppressed: 2,
        findingsReopened: 1,
        staleExceptionIds: ['file:old-logs'],
        expiring: [],
        exceptionAlerts: 1,
      },
    });
    expect(line.fields).toMatchObject({
      controlResults: 40,
      findingsSuppressed: 2,
      findingsReopened: 1,
      staleExceptions: ['file:old-logs'],
      expiringExceptions: [],
      exceptionAlerts: 1,
    });
  });

  it('warns that a rejected exceptions file changed nothing, naming every problem', () => {
    const line = scanEventLine({
      type: 'exceptions_file_rejected',
      scanId: 12,
      path: 'exceptions.yaml',
      problems: ['exceptions.yaml: exceptions[0].expiresAt: is required'],
    });
    expect(line.level).toBe('warn');
    expect(line.message).toContain('exceptions[0].expiresAt: is required');
  });

  it('says why a failed scan failed', () => {
    const failed = finishedScan({ status: 'failed', failureReason: 'Nothing could be listed or read' });
    const line = scanEventLine({ type: 'scan_finished', scan: failed, counts: COUNTS, compliance: null });
    expect(line.fields).toMatchObject({ status: 'failed', failureReason: 'Nothing could be listed or read' });
    expect(line.message).toMatch(/^scan 12 failed in 42\.5 s: .*; Nothing could be listed or read$/);
  });
});

import type { ScanTaskOutcome } from '@app/persistence';

import { formatProgressLine, formatProgressLog, scanProgress } from './scan-progress';

const AT = new Date('2025-04-17T10:00:00.000Z');
let taskNumber = 0;

function task(
  kind: 'enumerate' | 'audit',
  status: 'pending' | 'done' | 'failed',
  listed = 0,
  observed = 0,
): ScanTaskOutcome {
  return {
    scanId: 1,
    taskKey: `${kind}-${(taskNumber += 1).toString()}`,
    kind,
    accountAlias: 'account-1',
    region: 'cn-hangzhou',
    resourceKind: 'bucket',
    status,
    result: status === 'pending' ? null : { listed, observed, errorsByCode: {}, enumerationComplete: true },
    updatedAt: AT,
    plan: null,
  };
}

describe('scanProgress', () => {
  it('counts finished listings and audits (failed ones included) and what they found and read', () => {
    const progress = scanProgress([
      task('enumerate', 'done', 70),
      task('enumerate', 'failed', 0),
      task('enumerate', 'pending'),
      task('audit', 'done', 25, 25),
      task('audit', 'done', 20, 19),
      task('audit', 'pending'),
    ]);
    expect(progress).toEqual({
      enumerationsDone: 2,
      enumerations: 3,
      listed: 70,
      auditsDone: 2,
      audits: 3,
      audited: 45,
    });
  });

  it('is all zeros before the scan has tasks', () => {
    expect(scanProgress([])).toEqual({
      enumerationsDone: 0,
      enumerations: 0,
      listed: 0,
      auditsDone: 0,
      audits: 0,
      audited: 0,
    });
  });
});

describe('progress lines', () => {
  const progress = {
    enumerationsDone: 9,
    enumerations: 12,
    listed: 150,
    auditsDone: 4,
    audits: 7,
    audited: 100,
  };

  it('reads as a sentence on a terminal', () => {
    expect(formatProgressLine(2, progress)).toBe(
      'scan 2: listing 9/12 (150 found) | auditing 4/7 batches (100/150 resources)',
    );
  });

  it('is key=value pairs in logs', () => {
    expect(formatProgressLog(2, progress)).toBe(
      'scan_progress scan=2 enumerate=9/12 listed=150 audit=4/7 audited=100',
    );
  });
});

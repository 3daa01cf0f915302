import { createTestDatabase, type TestDatabase } from '@app/testing';

import { ScanTaskRepository } from './scan-task.repository';
import { ScanRepository } from './scan.repository';
import type { NewScanTask, ScanTaskResult } from './scan.types';
import { bucketRef, night } from './testing/observations';

const RESULT: ScanTaskResult = { listed: 2, observed: 2, errorsByCode: {}, enumerationComplete: true };

function auditTask(index: number): NewScanTask {
  return {
    taskKey: `audit:prod:cn-hangzhou:bucket:${index}`,
    kind: 'audit',
    accountAlias: 'prod',
    region: 'cn-hangzhou',
    resourceKind: 'bucket',
    payload: [bucketRef(`b-${index}`)],
  };
}

describe('ScanTaskRepository', () => {
  let db: TestDatabase;
  let tasks: ScanTaskRepository;
  let scanId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    tasks = new ScanTaskRepository(db.dataSource);
  });

  beforeEach(async () => {
    await db.truncate();
    scanId = (await new ScanRepository(db.dataSource).startScan({ trigger: 'api', startedAt: night(1) })).scan
      .id;
  });

  afterAll(async () => {
    await db.drop();
  });

  it('adds tasks once: keys the scan already has are ignored', async () => {
    expect(await tasks.addTasks(scanId, [auditTask(1), auditTask(2)])).toBe(2);
    expect(await tasks.addTasks(scanId, [auditTask(2), auditTask(3), auditTask(3)])).toBe(1);
    const pending = await tasks.pendingTasks(scanId);
    expect(pending.map((task) => task.taskKey)).toEqual([1, 2, 3].map((index) => auditTask(index).taskKey));
    expect(pending[0]).toMatchObject({ status: 'pending', payload: [bucketRef('b-1')], result: null });
  });

  it("hands the lease holder the account's next pending batch, never a deferred re-read or another account's", async () => {
    const other: NewScanTask = {
      ...auditTask(9),
      taskKey: 'audit:dev:cn-hangzhou:bucket:9',
      accountAlias: 'dev',
    };
    const reread: NewScanTask = {
      ...auditTask(0),
      taskKey: `${auditTask(0).taskKey}/reread`,
      payload: { targets: [bucketRef('b-0')], reread: 1 },
    };
    await tasks.addTasks(scanId, [reread, auditTask(2), auditTask(3), other]);

    expect((await tasks.nextPendingAudit(scanId, 'prod'))?.taskKey).toBe(auditTask(2).taskKey);
    // The one in hand is still pending while its successor's reads start.
    expect((await tasks.nextPendingAudit(scanId, 'prod', [auditTask(2).taskKey]))?.taskKey).toBe(
      auditTask(3).taskKey,
    );
    await tasks.completeTask(scanId, auditTask(2).taskKey, { status: 'done', result: RESULT });
    expect((await tasks.nextPendingAudit(scanId, 'prod'))?.taskKey).toBe(auditTask(3).taskKey);
    await tasks.completeTask(scanId, auditTask(3).taskKey, { status: 'done', result: RESULT });
    expect(await tasks.nextPendingAudit(scanId, 'prod')).toBeNull();
    expect((await tasks.nextPendingAudit(scanId, 'dev'))?.taskKey).toBe(other.taskKey);
  });

  it("hands out the account's table buckets before its buckets, and none of the batches already in hand", async () => {
    const tableBuckets: NewScanTask = {
      ...auditTask(7),
      taskKey: 'audit:prod:cn-hangzhou:table_bucket:7',
      resourceKind: 'table_bucket',
    };
    await tasks.addTasks(scanId, [auditTask(1), auditTask(2), auditTask(3), tableBuckets]);

    expect((await tasks.nextPendingAudit(scanId, 'prod'))?.taskKey).toBe(tableBuckets.taskKey);
    const inHand = [tableBuckets.taskKey, auditTask(1).taskKey, auditTask(2).taskKey];
    expect((await tasks.nextPendingAudit(scanId, 'prod', inHand))?.taskKey).toBe(auditTask(3).taskKey);
    expect(await tasks.nextPendingAudit(scanId, 'prod', [...inHand, auditTask(3).taskKey])).toBeNull();
  });

  it('lets exactly one of many concurrent completions see the last task finish', async () => {
    const all = Array.from({ length: 10 }, (_, index) => auditTask(index));
    await tasks.addTasks(scanId, all);

    const outcomes = await Promise.all(
      all.map((task) => tasks.completeTask(scanId, task.taskKey, { status: 'done', result: RESULT })),
    );

    expect(outcomes.filter((outcome) => outcome.lastTask)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.remaining === 0)).toHaveLength(1);
    expect(outcomes.map((outcome) => outcome.remaining).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('changes nothing when a finished task is completed again (a re-delivered job)', async () => {
    await tasks.addTasks(scanId, [auditTask(1)]);
    const first = await tasks.completeTask(scanId, auditTask(1).taskKey, { status: 'done', result: RESULT });
    const again = await tasks.completeTask(scanId, auditTask(1).taskKey, {
      status: 'failed',
      result: { ...RESULT, observed: 0 },
    });

    expect(first).toEqual({ remaining: 0, applied: true, lastTask: true });
    expect(again).toEqual({ remaining: 0, applied: false, lastTask: false });
    expect(await tasks.taskResults(scanId)).toEqual([
      expect.objectContaining({ taskKey: auditTask(1).taskKey, status: 'done', result: RESULT }),
    ]);
  });

  it('adds follow-up tasks in the same transaction, so the scan is not finished by the enumeration', async () => {
    const enumerate: NewScanTask = {
      taskKey: 'enumerate:prod:cn-hangzhou:bucket',
      kind: 'enumerate',
      accountAlias: 'prod',
      region: 'cn-hangzhou',
      resourceKind: 'bucket',
    };
    await tasks.addTasks(scanId, [enumerate]);

    const outcome = await tasks.completeTask(scanId, enumerate.taskKey, {
      status: 'done',
      result: RESULT,
      followUpTasks: [auditTask(1), auditTask(2)],
    });

    expect(outcome).toEqual({ remaining: 2, applied: true, lastTask: false });
    expect((await tasks.pendingTasks(scanId)).map((task) => task.kind)).toEqual(['audit', 'audit']);
  });

  it('refuses to complete a task the scan does not have', async () => {
    await expect(
      tasks.completeTask(scanId, 'nope', { status: 'done', result: RESULT }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

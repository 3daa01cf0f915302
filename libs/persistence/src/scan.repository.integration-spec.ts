import { createTestDatabase, type TestDatabase } from '@app/testing';

import { PersistenceError } from './persistence-error';
import { ScanRepository } from './scan.repository';
import type { ScanSummary } from './scan.types';
import { night } from './testing/observations';

const SUMMARY: ScanSummary = {
  resourcesByClass: { kms_cmk: 3, none: 1 },
  findingsOpened: 1,
  findingsResolved: 0,
  driftEvents: 0,
  alertsQueued: 1,
  resourcesDisappeared: 0,
};

describe('ScanRepository', () => {
  let db: TestDatabase;
  let scans: ScanRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    scans = new ScanRepository(db.dataSource);
  });

  beforeEach(async () => {
    await db.truncate();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('starts exactly one scan when ten callers race without a slot', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => scans.startScan({ trigger: 'api', startedAt: night(1) })),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.scan.id)).size).toBe(1);
    const [{ count }] = await db.dataSource.query<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM scans`,
    );
    expect(count).toBe(1);
  });

  it('starts exactly one scan per cron slot when ten replicas race', async () => {
    const slot = night(2);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        scans.startScan({ trigger: 'schedule', scheduleSlot: slot, startedAt: slot }),
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.scan.id)).size).toBe(1);
  });

  it("returns the slot's finished scan instead of starting a second one for the same slot", async () => {
    const slot = night(3);
    const first = await scans.startScan({ trigger: 'schedule', scheduleSlot: slot, startedAt: slot });
    await scans.finishScan(first.scan.id, {
      status: 'succeeded',
      coverage: [],
      summary: SUMMARY,
      finishedAt: night(4),
    });

    const again = await scans.startScan({ trigger: 'schedule', scheduleSlot: slot, startedAt: night(4) });

    expect(again).toMatchObject({ created: false, scan: { id: first.scan.id, status: 'succeeded' } });
  });

  it('returns the running scan to a caller that asks for another', async () => {
    const running = await scans.startScan({ trigger: 'cli', startedAt: night(5) });
    const second = await scans.startScan({
      trigger: 'schedule',
      scheduleSlot: night(6),
      startedAt: night(6),
    });
    expect(second).toEqual({ created: false, scan: running.scan });
  });

  it('creates the history partitions of the start month and the next when it starts a scan', async () => {
    await scans.startScan({ trigger: 'api', startedAt: new Date('2031-12-15T00:00:00Z') });
    const rows = await db.dataSource.query<{ relname: string }[]>(
      `SELECT relname FROM pg_class WHERE relname IN ('observation_changes_p203112', 'observation_changes_p203201')`,
    );
    expect(rows.map((row) => row.relname).sort()).toEqual([
      'observation_changes_p203112',
      'observation_changes_p203201',
    ]);
  });

  it('rejects a scheduled scan without a slot', async () => {
    await expect(scans.startScan({ trigger: 'schedule' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('finishes a running scan once; a second finish changes nothing', async () => {
    const { scan } = await scans.startScan({ trigger: 'api', startedAt: night(7) });
    const coverage = [
      {
        accountAlias: 'prod',
        region: 'cn-hangzhou',
        kind: 'bucket' as const,
        listed: 4,
        observed: 3,
        errorsByCode: { AccessDenied: 1 },
        enumerationComplete: true,
      },
    ];

    const first = await scans.finishScan(scan.id, {
      status: 'partial',
      coverage,
      summary: SUMMARY,
      failureReason: '1 bucket denied',
      finishedAt: night(8),
    });
    const second = await scans.finishScan(scan.id, { status: 'failed', coverage: [], summary: SUMMARY });

    expect(first).toEqual({
      finished: true,
      scan: {
        ...scan,
        status: 'partial',
        finishedAt: night(8),
        coverage,
        summary: SUMMARY,
        failureReason: '1 bucket denied',
      },
    });
    expect(second).toEqual({ finished: false, scan: first.scan });
    expect(await scans.findRunning()).toBeNull();
    expect(await scans.findById(scan.id)).toEqual(first.scan);
  });

  it('refuses to finish a scan that does not exist', async () => {
    await expect(
      scans.finishScan(999, { status: 'failed', coverage: [], summary: SUMMARY }),
    ).rejects.toMatchObject({ code: 'SCAN_NOT_FOUND' });
  });

  it('lists scans newest first, page by page', async () => {
    const ids: number[] = [];
    for (let day = 10; day < 15; day += 1) {
      const { scan } = await scans.startScan({ trigger: 'api', startedAt: night(day) });
      await scans.finishScan(scan.id, {
        status: 'succeeded',
        coverage: [],
        summary: SUMMARY,
        finishedAt: night(day),
      });
      ids.push(scan.id);
    }

    const first = await scans.listScans({ limit: 2 });
    const second = await scans.listScans({ limit: 2, cursor: first.nextCursor! });
    const third = await scans.listScans({ limit: 2, cursor: second.nextCursor! });

    expect([...first.items, ...second.items, ...third.items].map((scan) => scan.id)).toEqual(ids.reverse());
    expect(third.nextCursor).toBeNull();
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(scans.listScans({ limit: 2, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
      PersistenceError,
    );
  });

  it.each([[2_147_483_648], [1.5], [1e308], [-1], ['9'.repeat(400)]])(
    'rejects the cursor %j as INVALID_CURSOR before Postgres sees it (scans.id is an int4)',
    async (value) => {
      const cursor = Buffer.from(JSON.stringify([value])).toString('base64url');
      await expect(scans.listScans({ limit: 2, cursor })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    },
  );
});

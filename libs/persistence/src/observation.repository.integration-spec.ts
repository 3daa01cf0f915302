import { createTestDatabase, type TestDatabase } from '@app/testing';

import { ObservationRepository } from './observation.repository';
import { ResourceRepository } from './resource.repository';
import { ScanRepository } from './scan.repository';
import type { ScanSummary } from './scan.types';
import { bucketRef, night, observation, observed } from './testing/observations';

const SUMMARY: ScanSummary = {
  resourcesByClass: {},
  findingsOpened: 0,
  findingsResolved: 0,
  driftEvents: 0,
  alertsQueued: 0,
  resourcesDisappeared: 0,
};

/** Bulk tests share two cores with everything else on the machine; this is a deadline, not a measurement. */
const BULK_TIMEOUT_MS = 120_000;

describe('ObservationRepository', () => {
  let db: TestDatabase;
  let scans: ScanRepository;
  let observations: ObservationRepository;
  let resources: ResourceRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    scans = new ScanRepository(db.dataSource);
    observations = new ObservationRepository(db.dataSource);
    resources = new ResourceRepository(db.dataSource);
  });

  beforeEach(async () => {
    await db.truncate();
  });

  afterAll(async () => {
    await db.drop();
  });

  const count = async (table: string): Promise<number> => {
    const [row] = await db.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM ${table}`);
    return row.n;
  };

  /** Runs one finished scan that observes `items` on `day`. */
  const scanOn = async (day: number, items: Parameters<ObservationRepository['recordObservations']>[2]) => {
    const { scan } = await scans.startScan({ trigger: 'api', startedAt: night(day) });
    const result = await observations.recordObservations(scan.id, night(day), items);
    await scans.finishScan(scan.id, {
      status: 'succeeded',
      coverage: [],
      summary: SUMMARY,
      finishedAt: night(day),
    });
    return { scanId: scan.id, result };
  };

  it('writes nothing new when the same batch is recorded twice in a scan', async () => {
    const { scan } = await scans.startScan({ trigger: 'api', startedAt: night(1) });
    const batch = [
      observed(bucketRef('a'), observation('kms_cmk')),
      observed(bucketRef('b'), observation('none')),
    ];

    const first = await observations.recordObservations(scan.id, night(1), batch);
    const snapshot = await db.dataSource.query<unknown[]>(`SELECT * FROM resources ORDER BY id`);
    const second = await observations.recordObservations(
      scan.id,
      new Date(night(1).getTime() + 60_000),
      batch,
    );

    expect(first).toEqual({ recorded: 2, changed: 2, skipped: 0 });
    expect(second).toEqual({ recorded: 0, changed: 0, skipped: 2 });
    expect(await count('observation_changes')).toBe(2);
    expect(await count('scan_observations')).toBe(2);
    expect(await db.dataSource.query(`SELECT * FROM resources ORDER BY id`)).toEqual(snapshot);
  });

  it('keeps one change row per distinct observation in a row: A, B, A give three rows', async () => {
    const ref = bucketRef('flip');
    const a = observation('kms_cmk');
    const b = observation('oss_aes256');

    await scanOn(1, [observed(ref, a)]);
    await scanOn(2, [observed(ref, a)]);
    await scanOn(3, [observed(ref, b)]);
    await scanOn(4, [observed(ref, a)]);

    const resource = (await resources.findByKey(ref.resourceKey))!;
    const history = await resources.history(resource.id, { limit: 10 });
    expect(history.items.map((change) => [change.observation.encryptionClass, change.observedAt])).toEqual([
      ['kms_cmk', night(4)],
      ['oss_aes256', night(3)],
      ['kms_cmk', night(1)],
    ]);
    expect(await count('scan_observations')).toBe(4);
  });

  it('ignores request id and error message when deciding whether an observation changed', async () => {
    const ref = bucketRef('same');
    await scanOn(1, [observed(ref, observation('kms_cmk', { requestId: 'r-1' }))]);
    const { result } = await scanOn(2, [observed(ref, observation('kms_cmk', { requestId: 'r-2' }))]);
    expect(result).toEqual({ recorded: 1, changed: 0, skipped: 0 });
  });

  it('moves the current state to unknown but keeps the last complete change', async () => {
    const ref = bucketRef('denied');
    await scanOn(1, [observed(ref, observation('kms_cmk'))]);
    const known = (await resources.findByKey(ref.resourceKey))!;

    await scanOn(2, [observed(ref, observation('unknown'))]);

    const after = (await resources.findByKey(ref.resourceKey))!;
    expect(after.current).toMatchObject({
      encryptionClass: 'unknown',
      errorCode: 'AccessDenied',
      since: night(2),
    });
    expect(after.current!.changeId).not.toBe(known.current!.changeId);
    expect(after.lastCompleteChangeId).toBe(known.current!.changeId);
  });

  it(
    'records a 10,000-resource batch in one call (one array parameter per column)',
    async () => {
      const batch = Array.from({ length: 10_000 }, (_, index) =>
        observed(
          bucketRef(`bulk-${index.toString().padStart(5, '0')}`),
          observation(index % 7 === 0 ? 'none' : 'kms_cmk'),
        ),
      );
      const { scanId, result } = await scanOn(1, batch);

      expect(result).toEqual({ recorded: 10_000, changed: 10_000, skipped: 0 });
      expect(await count('resources')).toBe(10_000);
      expect(await observations.countObservedByClass(scanId)).toEqual({ none: 1429, kms_cmk: 8571 });
    },
    BULK_TIMEOUT_MS,
  );

  it(
    'stores under 100 bytes per resource per unchanged scan in scan_observations',
    async () => {
      const batch = Array.from({ length: 10_000 }, (_, index) =>
        observed(bucketRef(`size-${index.toString().padStart(5, '0')}`), observation('kms_cmk')),
      );
      await scanOn(1, batch);
      await scanOn(2, batch);
      await db.dataSource.query(`VACUUM ANALYZE scan_observations`);

      const [size] = await db.dataSource.query<[{ rows: number; bytes: number }]>(
        `SELECT count(*)::int AS rows, pg_total_relation_size('scan_observations')::int AS bytes FROM scan_observations`,
      );
      expect(size.rows).toBe(20_000);
      expect(await count('observation_changes')).toBe(10_000);
      expect(size.bytes / size.rows).toBeLessThan(100);
    },
    BULK_TIMEOUT_MS,
  );

  it('refuses observations for a scan that has finished (a stale job of an older scan)', async () => {
    const ref = bucketRef('late');
    const { scan: older } = await scans.startScan({ trigger: 'api', startedAt: night(1) });
    await scans.finishScan(older.id, {
      status: 'failed',
      coverage: [],
      summary: SUMMARY,
      finishedAt: night(1),
    });
    await scanOn(2, [observed(ref, observation('kms_cmk'))]);
    await expect(
      observations.recordObservations(older.id, night(1), [observed(ref, observation('none'))]),
    ).rejects.toMatchObject({ code: 'SCAN_NOT_RUNNING' });
    expect((await resources.findByKey(ref.resourceKey))!.current!.encryptionClass).toBe('kms_cmk');
  });

  it('rejects a batch that names one resource twice', async () => {
    const { scan } = await scans.startScan({ trigger: 'api', startedAt: night(1) });
    const item = observed(bucketRef('twice'), observation('none'));
    await expect(observations.recordObservations(scan.id, night(1), [item, item])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('clears the deleted mark of a resource seen again and flags it as reappeared', async () => {
    const ref = bucketRef('phoenix');
    const { scanId: first } = await scanOn(1, [observed(ref, observation('kms_cmk'))]);
    await db.dataSource.query(`UPDATE resources SET deleted_at = $1, deleted_scan_id = $2`, [
      night(1),
      first,
    ]);

    const { scanId: second } = await scanOn(2, [observed(ref, observation('kms_cmk'))]);

    const [row] = await db.dataSource.query<[{ deleted_at: Date | null; reappeared_scan_id: number }]>(
      `SELECT deleted_at, reappeared_scan_id FROM resources`,
    );
    expect(row).toEqual({ deleted_at: null, reappeared_scan_id: second });
  });
});

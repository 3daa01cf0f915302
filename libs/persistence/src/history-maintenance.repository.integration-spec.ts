import { DEFAULT_FINDING_POLICY, type EncryptionObservation, type ResourceRef } from '@app/audit';
import { DEFAULT_CATALOGUE, DEFAULT_COMPLIANCE_POLICY } from '@app/compliance';
import { createTestDatabase, recordScan, seenBucket, type TestDatabase } from '@app/testing';

import { ControlResultRepository } from './control-result.repository';
import { HistoryMaintenanceRepository } from './history-maintenance.repository';
import { ObservationRepository } from './observation.repository';
import { ResourceRepository } from './resource.repository';
import { ScanRepository } from './scan.repository';
import { bucketRef, observation, observed } from './testing/observations';

const SUMMARY = {
  resourcesByClass: {},
  findingsOpened: 0,
  findingsResolved: 0,
  driftEvents: 0,
  alertsQueued: 0,
  resourcesDisappeared: 0,
};

const at = (iso: string): Date => new Date(iso);

const COMPLIANCE = {
  catalogue: DEFAULT_CATALOGUE,
  policy: DEFAULT_COMPLIANCE_POLICY,
  expiringWithinDays: 14,
  alertSeverities: DEFAULT_FINDING_POLICY.exceptionAlertSeverity,
};

describe('HistoryMaintenanceRepository', () => {
  let db: TestDatabase;
  let scans: ScanRepository;
  let observations: ObservationRepository;
  let resources: ResourceRepository;
  let maintenance: HistoryMaintenanceRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    scans = new ScanRepository(db.dataSource);
    observations = new ObservationRepository(db.dataSource);
    resources = new ResourceRepository(db.dataSource);
    maintenance = new HistoryMaintenanceRepository(db.dataSource);
  });

  beforeEach(async () => {
    await db.truncate();
  });

  afterAll(async () => {
    await db.drop();
  });

  const partitions = async (): Promise<string[]> => {
    const rows = await db.dataSource.query<{ name: string }[]>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'observation_changes'::regclass ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  };

  const dropAllMonthlyPartitions = async (): Promise<void> => {
    for (const name of await partitions()) {
      if (name !== 'observation_changes_default') {
        await db.dataSource.query(`DROP TABLE "${name}"`);
      }
    }
  };

  /** One finished scan at `when` observing `items`. */
  const scanAt = async (when: Date, items: [ResourceRef, EncryptionObservation][]): Promise<number> => {
    const { scan } = await scans.startScan({ trigger: 'api', startedAt: when });
    await observations.recordObservations(
      scan.id,
      when,
      items.map(([ref, seen]) => observed(ref, seen)),
    );
    await scans.finishScan(scan.id, {
      status: 'succeeded',
      coverage: [],
      summary: SUMMARY,
      finishedAt: when,
    });
    return scan.id;
  };

  it('creates the partitions of the month of a date and the next, once', async () => {
    await dropAllMonthlyPartitions();
    expect(await maintenance.ensureHistoryPartitions(at('2026-12-31T23:59:59Z'))).toEqual([
      'observation_changes_p202612',
      'observation_changes_p202701',
    ]);
    await maintenance.ensureHistoryPartitions(at('2026-12-01T00:00:00Z'));
    expect(await partitions()).toEqual([
      'observation_changes_default',
      'observation_changes_p202612',
      'observation_changes_p202701',
    ]);
  });

  it('moves rows that landed in the default partition into the month partition created later', async () => {
    const { scan } = await scans.startScan({ trigger: 'api', startedAt: at('2026-03-01T02:00:00Z') });
    await dropAllMonthlyPartitions();
    await observations.recordObservations(scan.id, at('2026-03-01T02:05:00Z'), [
      observed(bucketRef('early'), observation('kms_cmk')),
    ]);
    const before = await db.dataSource.query<unknown[]>(`SELECT * FROM observation_changes_default`);
    expect(before).toHaveLength(1);

    await maintenance.ensureHistoryPartitions(at('2026-03-10T00:00:00Z'));

    expect(await db.dataSource.query(`SELECT * FROM observation_changes_default`)).toEqual([]);
    expect(await db.dataSource.query(`SELECT * FROM observation_changes_p202603`)).toEqual(before);
  });

  it('drops months beyond retention yet keeps what was true at the boundary, under the same ids', async () => {
    const changing = bucketRef('changing');
    const steady = bucketRef('steady');
    await scanAt(at('2026-01-10T02:00:00Z'), [
      [changing, observation('kms_cmk')],
      [steady, observation('oss_aes256')],
    ]);
    await scanAt(at('2026-02-10T02:00:00Z'), [
      [changing, observation('unknown')],
      [steady, observation('oss_aes256')],
    ]);
    await scanAt(at('2026-04-10T02:00:00Z'), [
      [changing, observation('none')],
      [steady, observation('oss_aes256')],
    ]);
    const changingId = (await resources.findByKey(changing.resourceKey))!.id;
    const steadyRecord = (await resources.findByKey(steady.resourceKey))!;
    const unknownChange = (await resources.stateAt(changingId, at('2026-02-20T00:00:00Z'))).change!;

    const dropped = await maintenance.dropHistoryOlderThan(1, at('2026-04-15T00:00:00Z'));

    expect(dropped).toBe(2);
    expect(await partitions()).not.toEqual(
      expect.arrayContaining(['observation_changes_p202601', 'observation_changes_p202602']),
    );
    expect((await resources.stateAt(changingId, at('2026-01-20T00:00:00Z'))).change).toBeNull();
    expect((await resources.stateAt(changingId, at('2026-03-10T00:00:00Z'))).change).toEqual({
      ...unknownChange,
      observedAt: at('2026-03-01T00:00:00Z'),
    });
    expect(
      (await resources.stateAt(changingId, at('2026-04-20T00:00:00Z'))).change?.observation.encryptionClass,
    ).toBe('none');
    expect((await resources.stateAt(steadyRecord.id, at('2026-03-10T00:00:00Z'))).change).toMatchObject({
      id: steadyRecord.current!.changeId,
      observedAt: at('2026-03-01T00:00:00Z'),
    });
    expect(await maintenance.dropHistoryOlderThan(1, at('2026-04-15T00:00:00Z'))).toBe(0);
    expect((await resources.history(steadyRecord.id, { limit: 10 })).items).toHaveLength(1);
  });

  it('prunes the per-scan records of finished scans started before a date', async () => {
    const ref = bucketRef('pruned');
    await scanAt(at('2026-03-01T02:00:00Z'), [[ref, observation('kms_cmk')]]);
    const recent = await scanAt(at('2026-03-05T02:00:00Z'), [[ref, observation('kms_cmk')]]);

    expect(await maintenance.pruneScanObservations(at('2026-03-03T00:00:00Z'))).toBe(1);
    expect(await db.dataSource.query(`SELECT scan_id FROM scan_observations`)).toEqual([{ scan_id: recent }]);
  });

  it('prunes the control results of scans finished before a date, keeping the boundary scan for ?at=', async () => {
    const controls = new ControlResultRepository(db.dataSource);
    const seen = [seenBucket('logs', 'none'), seenBucket('web', 'kms_cmk')];
    const scanOn = async (iso: string): Promise<number> =>
      (await recordScan(db.dataSource, at(iso), seen, { evaluatedAt: at(iso), compliance: COMPLIANCE })).id;
    const oldest = await scanOn('2026-03-01T02:00:00Z');
    const boundary = await scanOn('2026-03-03T02:00:00Z');
    const recent = await scanOn('2026-03-06T02:00:00Z');
    const resultsOf = async (scanId: number): Promise<number> =>
      Number(
        (
          await db.dataSource.query<{ count: string }[]>(
            `SELECT count(*) FROM "control_results" WHERE "scan_id" = $1`,
            [scanId],
          )
        )[0]?.count,
      );
    const perScan = await resultsOf(oldest);
    const atInsideWindow = await controls.resultsAt(at('2026-03-05T12:00:00Z'));

    expect(await maintenance.pruneControlResults(at('2026-03-05T00:00:00Z'))).toBe(perScan);

    expect([await resultsOf(oldest), await resultsOf(boundary), await resultsOf(recent)]).toEqual([
      0,
      perScan,
      perScan,
    ]);
    // Inside the window, ?at= still answers from the scan before it, exactly as before the run.
    expect(await controls.resultsAt(at('2026-03-05T12:00:00Z'))).toEqual(atInsideWindow);
    expect(atInsideWindow.scan?.id).toBe(boundary);
    // An evidence pack's range inside the window keeps every result.
    expect(
      await controls.resultsBetween(at('2026-03-06T00:00:00Z'), at('2026-03-07T00:00:00Z')),
    ).toHaveLength(perScan);
    expect(await maintenance.pruneControlResults(at('2026-03-05T00:00:00Z'))).toBe(0);
  });
});

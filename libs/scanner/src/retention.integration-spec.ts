import { DEFAULT_FINDING_POLICY } from '@app/audit';
import { DEFAULT_CATALOGUE, DEFAULT_COMPLIANCE_POLICY } from '@app/compliance';
import { parseAuditConfig } from '@app/config';
import { ResourceRepository } from '@app/persistence';
import {
  createTestDatabase,
  recordScan,
  seenBucket,
  waitUntil,
  TEST_JOB_SETTINGS,
  type TestDatabase,
} from '@app/testing';

import type { RetentionRun } from './retention';
import { ScanRuntime } from './scan-runtime';

const at = (iso: string): Date => new Date(iso);
/** The pinned clock of the run: retention is measured from it. */
const NOW = at('2026-04-15T03:30:00Z');
const COMPLIANCE = {
  catalogue: DEFAULT_CATALOGUE,
  policy: DEFAULT_COMPLIANCE_POLICY,
  expiringWithinDays: 14,
  alertSeverities: DEFAULT_FINDING_POLICY.exceptionAlertSeverity,
};

describe('the daily retention run on the job queue', () => {
  let db: TestDatabase;
  let runtime: ScanRuntime;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = parseAuditConfig(
      {
        accounts: [{ alias: 'prod', credentials: { type: 'default_chain' }, regions: ['cn-hangzhou'] }],
        retention: { historyMonths: 1, scanRecordsDays: 30 },
      },
      { env: { DATABASE_URL: db.url }, source: 'retention test' },
    );
    runtime = new ScanRuntime({ config, dataSource: db.dataSource, jobs: TEST_JOB_SETTINGS, now: () => NOW });
  });
  afterAll(async () => {
    await runtime.close(5_000);
    await db.drop();
  });

  const partitions = async (): Promise<string[]> => {
    const rows = await db.dataSource.query<{ name: string }[]>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'observation_changes'::regclass AND c.relname <> 'observation_changes_default'
       ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  };

  it('runs once a day whatever the requests, drops what is older than retention and keeps the boundary exact', async () => {
    const changing = seenBucket('changing', 'kms_cmk');
    const steady = seenBucket('steady', 'oss_aes256');
    const withResults = (iso: string) => ({ evaluatedAt: at(iso), compliance: COMPLIANCE });
    const january = await recordScan(
      db.dataSource,
      at('2026-01-10T02:00:00Z'),
      [changing, steady],
      withResults('2026-01-10T02:10:00Z'),
    );
    const february = await recordScan(
      db.dataSource,
      at('2026-02-10T02:00:00Z'),
      [{ ...changing, observation: { ...changing.observation, encryptionClass: 'unknown' } }, steady],
      withResults('2026-02-10T02:10:00Z'),
    );
    const april = await recordScan(
      db.dataSource,
      at('2026-04-10T02:00:00Z'),
      [{ ...changing, observation: { ...changing.observation, encryptionClass: 'none' } }, steady],
      withResults('2026-04-10T02:10:00Z'),
    );
    const januaryResults = await db.dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM "control_results" WHERE "scan_id" = $1`,
      [january.id],
    );
    const resources = new ResourceRepository(db.dataSource);
    const changingId = (await resources.findByKey(changing.ref.resourceKey))!.id;
    const atBoundaryBefore = (await resources.stateAt(changingId, at('2026-03-10T00:00:00Z'))).change!;

    // Two replicas' daily ticks: one job for the day.
    expect([await runtime.requestRetention(), await runtime.requestRetention()]).toEqual([true, false]);
    const runs: RetentionRun[] = [];
    await runtime.consumeRetention((run) => runs.push(run));
    await waitUntil(() => runs.length > 0, { timeoutMs: 30_000, what: 'the retention run' });

    // April is the month of NOW; one month is kept before it: January and February go.
    expect(runs).toEqual([
      {
        appliedAt: NOW,
        historyMonths: 1,
        scanRecordsDays: 30,
        historyPartitionsDropped: 2,
        scanRecordsDeleted: 4,
        controlResultsDeleted: Number(januaryResults[0]?.count),
      },
    ]);
    expect(await partitions()).toEqual([
      'observation_changes_p202603',
      'observation_changes_p202604',
      'observation_changes_p202605',
    ]);
    // What was true at the boundary (since February: unknown) is still the answer within retention.
    const atBoundaryAfter = (await resources.stateAt(changingId, at('2026-03-10T00:00:00Z'))).change!;
    expect(atBoundaryAfter).toEqual({ ...atBoundaryBefore, observedAt: at('2026-03-01T00:00:00Z') });
    expect(atBoundaryAfter.observation.encryptionClass).toBe('unknown');
    expect(
      (await resources.stateAt(changingId, at('2026-04-12T00:00:00Z'))).change?.observation.encryptionClass,
    ).toBe('none');
    // Scan records: those of scans started more than 30 days before NOW are gone, April's stay.
    const recordsPerScan = await db.dataSource.query<{ scan_id: string; count: string }[]>(
      `SELECT "scan_id", count(*) FROM "scan_observations" GROUP BY "scan_id" ORDER BY "scan_id"`,
    );
    expect(recordsPerScan.map((row) => [Number(row.scan_id), Number(row.count)])).toEqual([[april.id, 2]]);
    expect([january.id, february.id].every((id) => id < april.id)).toBe(true);
    // Control results: January's go; February's stay as the answer at the boundary, April's in the window.
    const resultScans = await db.dataSource.query<{ scan_id: number }[]>(
      `SELECT DISTINCT "scan_id" FROM "control_results" ORDER BY "scan_id"`,
    );
    expect(resultScans.map((row) => row.scan_id)).toEqual([february.id, april.id]);
  }, 60_000);
});

import type { EncryptionClass } from '@app/audit';
import { createTestDatabase, recordScan, type SeenResource, type TestDatabase } from '@app/testing';
import type { Pool } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';

import { DriftQueryRepository } from './drift-query.repository';
import { FindingQueryRepository } from './finding-query.repository';
import { ResourceQueryRepository } from './resource-query.repository';
import { bucketRef, night, observation } from './testing/observations';

const CLASSES: readonly EncryptionClass[] = ['none', 'oss_aes256', 'kms_default', 'kms_cmk', 'oss_sm4'];
const FLEET_SIZE = 6000;

function fleet(nightNumber: number): SeenResource[] {
  return Array.from({ length: FLEET_SIZE }, (_, index) => ({
    ref: bucketRef(`bucket-${index.toString().padStart(5, '0')}`, {
      accountAlias: `account-${(index % 4).toString()}`,
      region: index % 2 === 0 ? 'cn-hangzhou' : 'cn-shanghai',
    }),
    // Every 50th bucket changes class each night: drift and resolved findings, as in a real fleet.
    observation: observation(
      CLASSES[(index + (index % 50 === 0 ? nightNumber : 0)) % CLASSES.length] ?? 'none',
    ),
  }));
}

/**
 * Records the statements a repository sends, through a QueryRunner or straight to the pool
 * (`poolRows`), so their plans can be examined as Postgres makes them.
 */
function recording(dataSource: DataSource): { dataSource: DataSource; statements: [string, unknown[]][] } {
  const statements: [string, unknown[]][] = [];
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const recordingPool = {
    query: (text: string, parameters?: unknown[]) => {
      statements.push([text, parameters ?? []]);
      return pool.query(text, parameters);
    },
  };
  const driver = new Proxy(dataSource.driver, {
    get(target, property, receiver) {
      return property === 'master' ? recordingPool : (Reflect.get(target, property, receiver) as unknown);
    },
  });
  const proxy = new Proxy(dataSource, {
    get(target, property, receiver) {
      if (property === 'driver') return driver;
      if (property !== 'createQueryRunner') return Reflect.get(target, property, receiver) as unknown;
      return () => {
        const runner = target.createQueryRunner();
        const query = runner.query.bind(runner);
        runner.query = ((text: string, parameters?: unknown[], structured?: boolean) => {
          statements.push([text, parameters ?? []]);
          return query(text, parameters, structured as true);
        }) as QueryRunner['query'];
        return runner;
      };
    },
  });
  return { dataSource: proxy, statements };
}

/**
 * The read paths at a size where the planner's choice means something (6,000 resources, three
 * scans, statistics up to date): each list page is an index range in the order of the list, with
 * no sort of the whole result and no sequential scan of the big tables.
 */
describe('read-side query plans', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const day of [1, 2, 3]) {
      await recordScan(db.dataSource, night(day), fleet(day));
    }
    await db.dataSource.query(`VACUUM ANALYZE`);
  }, 120_000);

  afterAll(async () => {
    await db.drop();
  });

  async function planOf(run: (dataSource: DataSource) => Promise<unknown>): Promise<string> {
    const { dataSource, statements } = recording(db.dataSource);
    await run(dataSource);
    const [text, parameters] = statements[0]!;
    const [{ 'QUERY PLAN': plan }] = await db.dataSource.query<[{ 'QUERY PLAN': unknown }]>(
      `EXPLAIN (FORMAT JSON) ${text}`,
      parameters,
    );
    return JSON.stringify(plan);
  }

  /**
   * The big tables a plan reads sequentially. `scans` (one row a night; three here) is not one of
   * them: the staleness check reads its latest finished id, and a sequential read of three rows is
   * the planner's right choice. Nor is `accounts` (one row per audited account), read once per
   * statement to turn account uids into aliases.
   */
  function sequentiallyScannedBigTables(plan: string): string[] {
    return [...plan.matchAll(/"Node Type":"Seq Scan",[^}]*?"Relation Name":"([^"]+)"/g)]
      .map((match) => match[1] ?? '')
      .filter((relation) => relation !== 'scans' && relation !== 'accounts');
  }

  /** Either findings index keeps the list order; with most findings open, filtering the other is as cheap. */
  const FINDINGS_ORDER_INDEX = /"Index Name":"findings_(status_)?opened_idx"/;

  it('serves open findings from an index in list order', async () => {
    const plan = await planOf((ds) =>
      new FindingQueryRepository(ds).list({ status: 'open' }, { limit: 100 }),
    );
    expect(plan).toMatch(FINDINGS_ORDER_INDEX);
    expect(plan).not.toContain('"Node Type":"Sort"');
    expect(sequentiallyScannedBigTables(plan)).toEqual([]);
  });

  it('serves the next page of open findings as an index range starting at the cursor', async () => {
    const first = await new FindingQueryRepository(db.dataSource).list({ status: 'open' }, { limit: 100 });
    const plan = await planOf((ds) =>
      new FindingQueryRepository(ds).list({ status: 'open' }, { limit: 100, cursor: first.nextCursor! }),
    );
    expect(plan).toMatch(FINDINGS_ORDER_INDEX);
    expect(plan).toContain('"Index Cond":"(ROW(opened_at, id) < ROW(');
    expect(plan).not.toContain('"Node Type":"Sort"');
  });

  it('serves resolved findings (the few) from findings_status_opened_idx', async () => {
    const plan = await planOf((ds) =>
      new FindingQueryRepository(ds).list({ status: 'resolved' }, { limit: 100 }),
    );
    expect(plan).toContain('"Index Name":"findings_status_opened_idx"');
    expect(plan).not.toContain('"Node Type":"Sort"');
  });

  it('serves findings of every status from findings_opened_idx', async () => {
    const plan = await planOf((ds) => new FindingQueryRepository(ds).list({ status: 'all' }, { limit: 100 }));
    expect(plan).toContain('"Index Name":"findings_opened_idx"');
    expect(plan).not.toContain('"Node Type":"Sort"');
  });

  it('serves open findings most severe first from findings_status_severity_rank_opened_idx, pages as an index range', async () => {
    const repository = new FindingQueryRepository(db.dataSource);
    const first = await repository.list({ status: 'open' }, { limit: 100, sort: 'severity' });
    for (const cursor of [undefined, first.nextCursor!]) {
      const plan = await planOf((ds) =>
        new FindingQueryRepository(ds).list({ status: 'open' }, { limit: 100, sort: 'severity', cursor }),
      );
      expect(plan).toContain('"Index Name":"findings_status_severity_rank_opened_idx"');
      expect(plan).not.toContain('"Node Type":"Sort"');
      expect(sequentiallyScannedBigTables(plan)).toEqual([]);
    }
  });

  it('serves findings of every status most severe first from findings_severity_rank_opened_idx', async () => {
    const plan = await planOf((ds) =>
      new FindingQueryRepository(ds).list({ status: 'all' }, { limit: 100, sort: 'severity' }),
    );
    expect(plan).toContain('"Index Name":"findings_severity_rank_opened_idx"');
    expect(plan).not.toContain('"Node Type":"Sort"');
  });

  it('serves high and critical open findings as a range of the severity index', async () => {
    const plan = await planOf((ds) =>
      new FindingQueryRepository(ds).list(
        { status: 'open', minSeverity: 'high' },
        { limit: 100, sort: 'severity' },
      ),
    );
    expect(plan).toContain('"Index Name":"findings_status_severity_rank_opened_idx"');
    expect(plan).not.toContain('"Node Type":"Sort"');
    expect(sequentiallyScannedBigTables(plan)).toEqual([]);
  });

  it('serves findings by resource name from resources_name_id_idx, never sorting the whole result', async () => {
    const plan = await planOf((ds) =>
      new FindingQueryRepository(ds).list({ status: 'open' }, { limit: 100, sort: 'name' }),
    );
    expect(plan).toContain('"Index Name":"resources_name_id_idx"');
    expect(plan).not.toContain('"Node Type":"Sort"');
    expect(sequentiallyScannedBigTables(plan)).toEqual([]);
  });

  it('serves multi-value filters and accounts by alias or uid without reading the big tables sequentially', async () => {
    const plan = await planOf((ds) =>
      new FindingQueryRepository(ds).list(
        {
          status: 'open',
          rules: ['unencrypted', 'non_kms'],
          accounts: ['account-1', '1234567890'],
          regions: ['cn-hangzhou'],
        },
        { limit: 100, sort: 'severity' },
      ),
    );
    expect(plan).not.toContain('"Node Type":"Sort"');
    expect(sequentiallyScannedBigTables(plan)).toEqual([]);
  });

  it('serves drift events from drift_events_detected_id_idx', async () => {
    const plan = await planOf((ds) => new DriftQueryRepository(ds).list({}, { limit: 100 }));
    expect(plan).toContain('"Index Name":"drift_events_detected_id_idx"');
    expect(plan).not.toContain('"Node Type":"Sort"');
  });

  it('looks a resource up by name from resources_name_id_idx', async () => {
    const plan = await planOf((ds) => new ResourceQueryRepository(ds).lookup({ name: 'bucket-00042' }, 100));
    expect(plan).toContain('"Index Name":"resources_name_id_idx"');
    expect(sequentiallyScannedBigTables(plan)).toEqual([]);
  });

  it('serves the resource list from the primary key', async () => {
    const plan = await planOf((ds) => new ResourceQueryRepository(ds).list({}, { limit: 100 }));
    expect(plan).toContain('"Index Name":"resources_pkey"');
    expect(plan).not.toContain('"Node Type":"Sort"');
  });
});

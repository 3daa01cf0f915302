import { createTestDatabase, type TestDatabase } from '@app/testing';

import { runMigrations } from './data-source';

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });

  afterAll(async () => {
    await db.drop();
  });

  const userTables = async (): Promise<string[]> => {
    const rows = await db.dataSource.query<{ tablename: string }[]>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1`,
    );
    return rows.map((row) => row.tablename);
  };

  const ALL_MIGRATIONS = [
    'InitialSchema1795296451186',
    'ApiKeys1795300000000',
    'AlertDeliveries1795300001000',
    'TablesKeysAndScope1795400000000',
    'ControlsAndExceptions1795500000000',
    'Accounts1795700000000',
    'ExceptionAlerts1795800000000',
  ];

  it('apply from empty, roll back to empty with down, and apply again', async () => {
    expect(await runMigrations(db.dataSource)).toEqual(ALL_MIGRATIONS);
    const created = await userTables();
    expect(created).toEqual(
      expect.arrayContaining([
        'accounts',
        'alert_outbox',
        'drift_events',
        'findings',
        'observation_changes',
        'observation_changes_default',
        'resources',
        'scan_observations',
        'scan_tasks',
        'scans',
      ]),
    );

    for (let undone = 0; undone < ALL_MIGRATIONS.length; undone += 1) {
      await db.dataSource.undoLastMigration({ transaction: 'each' });
    }
    expect(await userTables()).toEqual([]);
    const leftovers = await db.dataSource.query<{ name: string }[]>(
      `SELECT proname AS name FROM pg_proc WHERE pronamespace = 'public'::regnamespace
       UNION ALL
       SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'S'
         AND relname <> 'typeorm_migrations_id_seq'`,
    );
    expect(leftovers).toEqual([]);

    expect(await runMigrations(db.dataSource)).toEqual(ALL_MIGRATIONS);
    expect(await userTables()).toEqual(created);
    expect(await runMigrations(db.dataSource)).toEqual([]);
  });

  it('name every constraint and index explicitly (no Postgres-generated names)', async () => {
    await runMigrations(db.dataSource);
    const names = await db.dataSource.query<{ name: string }[]>(
      `SELECT conname AS name FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'
         AND conrelid IN (SELECT oid FROM pg_class WHERE NOT relispartition AND relname <> 'typeorm_migrations')
       UNION ALL
       SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       WHERE c.relnamespace = 'public'::regnamespace AND NOT c.relispartition AND c.relname <> 'typeorm_migrations'`,
    );
    const expected =
      /^(accounts|scans|scan_tasks|resources|observation_changes|scan_observations|findings|drift_events|alert_outbox|api_keys|alert_channels|alert_deliveries|alert_delivery_items|compliance_exceptions|exception_changes|control_results)_([a-z_]+_)?(pkey|key|fkey|check|idx)$/;
    expect(names.map((row) => row.name).filter((name) => !expected.test(name))).toEqual([]);
  });
});

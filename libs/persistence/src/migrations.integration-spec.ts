import {
  createTestDatabase,
  recordScan,
  seenBucket,
  storeApprovedException,
  type TestDatabase,
} from '@app/testing';

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
    'FindingSorts1795800000000',
    'ExceptionAlerts1795900000000',
    'ApiKeyNotifications1796000000000',
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

  it('let an alert name a resource or an exception, as its type says, never both or neither', async () => {
    await runMigrations(db.dataSource);
    const at = new Date('2026-03-01T02:00:00Z');
    const scan = await recordScan(db.dataSource, at, [seenBucket('logs', 'none')], { evaluatedAt: at });
    await storeApprovedException(
      db.dataSource,
      'exc-logs',
      {
        scope: { type: 'resource', resourceKey: 'oss:logs' },
        controlIds: [],
        findingRules: ['unencrypted'],
        reason: 'Encrypted with SEC-3',
        ticketUrl: 'https://jira.example.com/browse/SEC-3',
        expiresAt: new Date('2026-03-10T00:00:00Z'),
      },
      at,
    );
    const [resource] = await db.dataSource.query<{ id: string }[]>(`SELECT "id" FROM "resources"`);
    const insert = (key: string, type: string, resourceId: string | null, exceptionId: string | null) =>
      db.dataSource.query(
        `INSERT INTO "alert_outbox" ("dedupe_key", "scan_id", "event_type", "severity", "resource_id", "exception_id",
           "payload", "created_at")
         VALUES ($1, $2, $3, 'low', $4, $5, '{}', now())`,
        [key, scan.id, type, resourceId, exceptionId],
      );

    await expect(insert('a', 'exception_stale', resource?.id ?? null, 'exc-logs')).rejects.toThrow(
      /alert_outbox_subject_check/,
    );
    await expect(insert('b', 'finding_opened', null, 'exc-logs')).rejects.toThrow(
      /alert_outbox_subject_check/,
    );
    await expect(insert('c', 'exception_expiring', null, null)).rejects.toThrow(/alert_outbox_subject_check/);
    await expect(insert('d', 'exception_stale', null, 'exc-logs')).resolves.toBeDefined();
  });
});

import { createTestDatabase, type TestDatabase } from '@app/testing';

import { MIGRATIONS } from '@app/migrations';
import { runMigrations } from './data-source';
import { SchemaStatusRepository } from './schema-status.repository';

describe('SchemaStatusRepository', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });

  afterAll(async () => {
    await db.drop();
  });

  it('reports every migration pending on an empty database, without creating anything', async () => {
    const status = new SchemaStatusRepository(db.dataSource);
    expect(await status.pendingMigrations()).toEqual(MIGRATIONS.map((migration) => new migration().name));
    const [{ exists }] = await db.dataSource.query<[{ exists: boolean }]>(
      `SELECT to_regclass('typeorm_migrations') IS NOT NULL AS "exists"`,
    );
    expect(exists).toBe(false);
  });

  it('reports nothing pending once the migrations ran', async () => {
    await runMigrations(db.dataSource);
    expect(await new SchemaStatusRepository(db.dataSource).pendingMigrations()).toEqual([]);
  });
});

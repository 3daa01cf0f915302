import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createTestDatabase, type TestDatabase } from '@app/testing';

import { generateSchemaTypes } from './schema-types';

describe('the row types in schema/tables.ts', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('are exactly what the migrations build (run `npm run schema:types` after changing a migration)', async () => {
    const committed = readFileSync(join(__dirname, 'tables.ts'), 'utf8');
    expect(committed).toBe(await generateSchemaTypes(db.dataSource));
  });

  it('type a column by the values its CHECK constraint allows', async () => {
    const generated = await generateSchemaTypes(db.dataSource);
    expect(generated).toContain("    status: 'running' | 'succeeded' | 'partial' | 'failed';");
    expect(generated).toContain('    deleted_at: Date | null;');
  });
});

import { ApiKeyRepository } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@app/testing';

import { ApiKeyService } from './api-key.service';

describe('ApiKeyService', () => {
  let db: TestDatabase;
  let repository: ApiKeyRepository;
  let now: number;
  let service: ApiKeyService;

  beforeAll(async () => {
    db = await createTestDatabase();
    repository = new ApiKeyRepository(db.dataSource);
  });

  beforeEach(() => {
    now = Date.UTC(2026, 2, 5, 2, 0, 0);
    service = new ApiKeyService(repository, () => now);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('authenticates the token it issued, with the key’s name and role', async () => {
    const { key, token } = await service.create('grafana', 'reader');
    expect(await service.authenticate(`Bearer ${token}`)).toEqual({
      id: key.id,
      name: 'grafana',
      role: 'reader',
    });
  });

  it('stores no token: only the prefix and the SHA-256', async () => {
    const { key, token } = await service.create('stored', 'admin');
    const [row] = await db.dataSource.query<[Record<string, unknown>]>(
      `SELECT * FROM "api_keys" WHERE "id" = $1`,
      [key.id],
    );
    expect(JSON.stringify(row)).not.toContain(token.slice(5));
    expect(row.key_prefix).toBe(token.slice(5, 13));
  });

  it('refuses a token that differs from an issued one after its prefix', async () => {
    const { token } = await service.create('tampered', 'admin');
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(await service.authenticate(`Bearer ${tampered}`)).toBeNull();
  });

  it('refuses a key from the first request after it is revoked, in a process that just used it', async () => {
    const { key, token } = await service.create('revoked', 'reader');
    expect(await service.authenticate(`Bearer ${token}`)).not.toBeNull();
    await repository.revoke(key.id);
    expect(await service.authenticate(`Bearer ${token}`)).toBeNull();
  });

  it('writes last_used_at at most once a minute per key', async () => {
    const { key, token } = await service.create('busy', 'reader');
    await service.authenticate(`Bearer ${token}`);
    const lastUsed = async () => (await repository.findCredential(key.prefix))?.lastUsedAt;
    expect(await lastUsed()).toEqual(new Date(now));
    const first = now;
    now += 59_000;
    await service.authenticate(`Bearer ${token}`);
    expect(await lastUsed()).toEqual(new Date(first));
    now += 1_000;
    await service.authenticate(`Bearer ${token}`);
    expect(await lastUsed()).toEqual(new Date(now));
  });
});

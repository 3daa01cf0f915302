import { ApiKeyRepository } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@app/testing';

import { ApiKeyService, VERIFIED_KEY_TTL_MS } from './api-key.service';

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

  it('refuses a revoked key it has not verified before from the first request', async () => {
    const { key, token } = await service.create('revoked unused', 'reader');
    await repository.revoke(key.id);
    expect(await service.authenticate(`Bearer ${token}`)).toBeNull();
  });

  it('trusts a key it verified without reading its row for less than VERIFIED_KEY_TTL_MS', async () => {
    const { key, token } = await service.create('verified', 'reader');
    await service.authenticate(`Bearer ${token}`);
    await repository.revoke(key.id);
    now += VERIFIED_KEY_TTL_MS - 1;
    expect(await service.authenticate(`Bearer ${token}`)).toEqual({
      id: key.id,
      name: 'verified',
      role: 'reader',
    });
  });

  it('refuses a key it has just verified once VERIFIED_KEY_TTL_MS have passed since its revocation', async () => {
    const { key, token } = await service.create('revoked in use', 'reader');
    expect(await service.authenticate(`Bearer ${token}`)).not.toBeNull();
    await repository.revoke(key.id);
    now += VERIFIED_KEY_TTL_MS;
    expect(await service.authenticate(`Bearer ${token}`)).toBeNull();
  });

  it('reads the row again for every request with a token it refused', async () => {
    const { token } = await service.create('tampered twice', 'reader');
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const lookups = jest.spyOn(repository, 'findCredential');
    try {
      expect(await service.authenticate(`Bearer ${tampered}`)).toBeNull();
      expect(await service.authenticate(`Bearer ${tampered}`)).toBeNull();
      expect(lookups).toHaveBeenCalledTimes(2);
    } finally {
      lookups.mockRestore();
    }
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

import { createHash } from 'node:crypto';

import { createTestDatabase, type TestDatabase } from '@app/testing';

import { ApiKeyRepository } from './api-key.repository';
import { night } from './testing/observations';

const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();

describe('ApiKeyRepository', () => {
  let db: TestDatabase;
  let keys: ApiKeyRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    keys = new ApiKeyRepository(db.dataSource);
  });

  beforeEach(async () => {
    await db.truncate();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('stores a key and finds it by prefix with its hash', async () => {
    const created = await keys.create({ name: 'ci', role: 'reader', prefix: 'abcd1234', hash: hashOf('t1') });
    expect(created).toMatchObject({ name: 'ci', role: 'reader', prefix: 'abcd1234', revokedAt: null });
    const credential = await keys.findCredential('abcd1234');
    expect(credential?.hash.equals(hashOf('t1'))).toBe(true);
    expect(await keys.findCredential('zzzz9999')).toBeNull();
  });

  it('returns null instead of a second key with a taken prefix', async () => {
    await keys.create({ name: 'one', role: 'reader', prefix: 'same0001', hash: hashOf('a') });
    expect(
      await keys.create({ name: 'two', role: 'admin', prefix: 'same0001', hash: hashOf('b') }),
    ).toBeNull();
  });

  it('lists keys without any hash', async () => {
    await keys.create({ name: 'one', role: 'reader', prefix: 'list0001', hash: hashOf('a') });
    await keys.create({ name: 'two', role: 'admin', prefix: 'list0002', hash: hashOf('b') });
    const listed = await keys.list();
    expect(listed.map((key) => key.name)).toEqual(['one', 'two']);
    expect(JSON.stringify(listed)).not.toContain('hash');
  });

  it('revokes once: a second revocation keeps the first time', async () => {
    const created = await keys.create({ name: 'gone', role: 'admin', prefix: 'revk0001', hash: hashOf('a') });
    const first = await keys.revoke(created!.id, night(1));
    const second = await keys.revoke(created!.id, night(2));
    expect(first?.revokedAt).toEqual(night(1));
    expect(second?.revokedAt).toEqual(night(1));
    expect(await keys.revoke(created!.id + 1000)).toBeNull();
  });

  it('records when a key was last used', async () => {
    const created = await keys.create({
      name: 'used',
      role: 'reader',
      prefix: 'used0001',
      hash: hashOf('a'),
    });
    await keys.recordUse(created!.id, night(3));
    expect((await keys.findCredential('used0001'))?.lastUsedAt).toEqual(night(3));
  });

  it('refuses a hash that is not a SHA-256 digest', async () => {
    await expect(
      keys.create({ name: 'bad', role: 'reader', prefix: 'bad00001', hash: Buffer.from('short') }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

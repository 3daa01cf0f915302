import {
  API_KEY_CHANGES_CHANNEL,
  ApiKeyRepository,
  listenForNotifications,
  type NotificationSubscription,
} from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@app/testing';

import { ApiKeyService, CREDENTIAL_TRUST_MS } from './api-key.service';

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

  describe('while key changes are announced', () => {
    let subscription: NotificationSubscription | null = null;
    /** Resolves at the next announcement the service has been given. */
    let announcement: Promise<void>;
    let announced: () => void;

    const expectAnnouncement = () => {
      announcement = new Promise((resolve) => {
        announced = resolve;
      });
    };

    beforeEach(async () => {
      expectAnnouncement();
      const listening = new Promise<void>((resolve) => {
        subscription = listenForNotifications(db.url, API_KEY_CHANGES_CHANNEL, {
          onListening: () => {
            service.keyChangesAnnounced(true);
            resolve();
          },
          onNotification: () => {
            service.keysChanged();
            announced();
          },
          onLost: () => {
            service.keyChangesAnnounced(false);
            announced();
          },
        });
      });
      await listening;
    });

    afterEach(async () => {
      await subscription?.close();
    });

    /** Revokes the key the way no announcement follows: as if the notification were lost. */
    const revokeUnannounced = async (id: number) => {
      await db.dataSource.transaction(async (manager) => {
        await manager.query(`ALTER TABLE "api_keys" DISABLE TRIGGER "api_keys_changed"`);
        await manager.query(`UPDATE "api_keys" SET "revoked_at" = now() WHERE "id" = $1`, [id]);
        await manager.query(`ALTER TABLE "api_keys" ENABLE TRIGGER "api_keys_changed"`);
      });
    };

    it('keeps an active key’s row, read again after CREDENTIAL_TRUST_MS at most', async () => {
      const { key, token } = await service.create('kept', 'reader');
      await service.authenticate(`Bearer ${token}`);
      await revokeUnannounced(key.id);
      expect(await service.authenticate(`Bearer ${token}`)).not.toBeNull();
      now += CREDENTIAL_TRUST_MS;
      expect(await service.authenticate(`Bearer ${token}`)).toBeNull();
    });

    it('refuses a key as soon as its revocation, committed in another session, is announced', async () => {
      const { key, token } = await service.create('revoked by the CLI', 'reader');
      expect(await service.authenticate(`Bearer ${token}`)).not.toBeNull();
      await repository.revoke(key.id);
      await announcement;
      expect(await service.authenticate(`Bearer ${token}`)).toBeNull();
    });

    it('reads every key’s row again once the listening connection is lost', async () => {
      const { key, token } = await service.create('kept until the connection drops', 'reader');
      await service.authenticate(`Bearer ${token}`);
      await db.dataSource.query(
        `SELECT pg_terminate_backend("pid") FROM pg_stat_activity
         WHERE "datname" = current_database() AND "application_name" = $1`,
        [`seed:listen:${API_KEY_CHANGES_CHANNEL}`],
      );
      await announcement;
      await revokeUnannounced(key.id);
      expect(await service.authenticate(`Bearer ${token}`)).toBeNull();
    });

    it('does not keep a row read while a change was announced (it may predate the change)', async () => {
      const { key, token } = await service.create('read across a change', 'reader');
      const reading = service.authenticate(`Bearer ${token}`);
      service.keysChanged();
      expect(await reading).not.toBeNull();
      await revokeUnannounced(key.id);
      expect(await service.authenticate(`Bearer ${token}`)).toBeNull();
    });
  });
});

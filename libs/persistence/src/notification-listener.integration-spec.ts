import { Transform } from 'node:stream';

import { createTestDatabase, startTcpProxy, type TestDatabase } from '@app/testing';

import { ApiKeyRepository } from './api-key.repository';
import {
  API_KEY_CHANGES_CHANNEL,
  listenForNotifications,
  type NotificationSubscription,
} from './notification-listener';

/** What a subscription reported, in order, and a way to wait for the next report of a kind. */
function recorder() {
  const events: string[] = [];
  const waiting: { kind: string; resolve: () => void }[] = [];
  const record = (kind: string) => {
    events.push(kind);
    for (const waiter of waiting.filter((entry) => entry.kind === kind)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  return {
    events,
    handlers: {
      onListening: () => {
        record('listening');
      },
      onNotification: (payload: string) => {
        record(`notification ${payload}`);
      },
      onLost: () => {
        record('lost');
      },
    },
    next: (kind: string) =>
      new Promise<void>((resolve) => {
        waiting.push({ kind, resolve });
      }),
  };
}

/** NotificationResponse, in PostgreSQL's wire protocol (server to client). */
const NOTIFICATION_RESPONSE = 0x41;

/**
 * What the server sends, without its notifications: what a client behind a proxy that pools by
 * transaction sees (its LISTEN succeeds, and it hears nothing). Every server message is a type
 * byte and a 4-byte length that counts itself.
 */
function withoutNotifications(): Transform {
  let pending = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending = Buffer.concat([pending, chunk]);
      const passed: Buffer[] = [];
      while (pending.length >= 5 && pending.length >= 1 + pending.readUInt32BE(1)) {
        const end = 1 + pending.readUInt32BE(1);
        if (pending[0] !== NOTIFICATION_RESPONSE) passed.push(pending.subarray(0, end));
        pending = pending.subarray(end);
      }
      done(null, Buffer.concat(passed));
    },
  });
}

describe('listenForNotifications on api_keys_changed', () => {
  let db: TestDatabase;
  let keys: ApiKeyRepository;
  let subscription: NotificationSubscription | null = null;

  beforeAll(async () => {
    db = await createTestDatabase();
    keys = new ApiKeyRepository(db.dataSource);
  });

  afterEach(async () => {
    await subscription?.close();
    subscription = null;
  });

  afterAll(async () => {
    await db.drop();
  });

  const newKey = async (name: string) => {
    const key = await keys.create({
      name,
      role: 'reader',
      prefix: Math.random().toString(16).slice(2, 10).padEnd(8, '0'),
      hash: Buffer.alloc(32, 7),
    });
    if (key === null) throw new Error('prefix taken');
    return key;
  };

  const listen = async () => {
    const seen = recorder();
    const listening = seen.next('listening');
    subscription = listenForNotifications(db.url, API_KEY_CHANGES_CHANNEL, seen.handlers);
    await listening;
    return seen;
  };

  it('announces a revocation committed in another session', async () => {
    const key = await newKey('revoked elsewhere');
    const seen = await listen();
    const announced = seen.next('notification UPDATE');
    await keys.revoke(key.id);
    await announced;
    expect(seen.events).toEqual(['listening', 'notification UPDATE']);
  });

  it('does not announce the last-used time the API writes as keys are used', async () => {
    const key = await newKey('in use');
    const seen = await listen();
    const deleted = seen.next('notification DELETE');
    await keys.recordUse(key.id);
    await db.dataSource.query(`DELETE FROM "api_keys" WHERE "id" = $1`, [key.id]);
    // Notifications arrive in commit order: had the use been announced, it would have come first.
    await deleted;
    expect(seen.events).toEqual(['listening', 'notification DELETE']);
  });

  it('announces an emptied table', async () => {
    await newKey('truncated');
    const seen = await listen();
    const truncated = seen.next('notification TRUNCATE');
    await db.dataSource.query(`TRUNCATE "api_keys" CASCADE`);
    await truncated;
    expect(seen.events).toEqual(['listening', 'notification TRUNCATE']);
  });

  it('reports a lost connection, listens again on its own, and hears what is committed after', async () => {
    const key = await newKey('after the reconnection');
    const seen = await listen();
    const lost = seen.next('lost');
    const again = seen.next('listening');
    await db.dataSource.query(
      `SELECT pg_terminate_backend("pid") FROM pg_stat_activity
       WHERE "datname" = current_database() AND "application_name" = $1`,
      [`seed:listen:${API_KEY_CHANGES_CHANNEL}`],
    );
    await lost;
    await again;
    const announced = seen.next('notification UPDATE');
    await keys.revoke(key.id);
    await announced;
    expect(seen.events).toEqual(['listening', 'lost', 'listening', 'notification UPDATE']);
  });

  it('never reports listening through a connection that does not hear its own notification', async () => {
    const database = new URL(db.url);
    const proxy = await startTcpProxy(
      { host: database.hostname, port: Number(database.port || '5432') },
      { fromServer: withoutNotifications },
    );
    try {
      const seen = recorder();
      const lost = new Promise<Error>((resolve) => {
        subscription = listenForNotifications(
          proxy.rewrite(db.url),
          API_KEY_CHANGES_CHANNEL,
          { ...seen.handlers, onLost: resolve },
          { echoTimeoutMs: 500 },
        );
      });
      expect((await lost).message).toContain('did not hear its own notification');
      expect(seen.events).toEqual([]);
    } finally {
      await subscription?.close();
      subscription = null;
      await proxy.close();
    }
  });

  it('refuses a channel name it would have to quote', () => {
    expect(() => listenForNotifications(db.url, 'keys"; DROP TABLE x; --', recorder().handlers)).toThrow(
      'Not a channel name',
    );
  });
});

import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';

import { createTestDatabase, type TestDatabase } from '@app/testing';

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
 * A TCP proxy in front of PostgreSQL that passes everything but the notifications: what a client
 * behind a proxy that pools by transaction sees (its LISTEN succeeds, and it hears nothing).
 */
async function deafProxy(databaseUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const passed: Buffer[] = [];
      // Every server message is a type byte and a 4-byte length that counts itself.
      while (pending.length >= 5 && pending.length >= 1 + pending.readUInt32BE(1)) {
        const end = 1 + pending.readUInt32BE(1);
        if (pending[0] !== NOTIFICATION_RESPONSE) passed.push(pending.subarray(0, end));
        pending = pending.subarray(end);
      }
      if (passed.length > 0) client.write(Buffer.concat(passed));
    });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('close', () => to.destroy());
      from.on('error', () => to.destroy());
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
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
    const proxy = await deafProxy(db.url);
    try {
      const seen = recorder();
      const lost = new Promise<Error>((resolve) => {
        subscription = listenForNotifications(
          proxy.url,
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

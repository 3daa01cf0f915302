import { randomUUID } from 'node:crypto';

import { Client } from 'pg';

import { CONNECT_TIMEOUT_MS } from './data-source';

/**
 * The channel on which every change to `api_keys` that can make a trusted key untrusted is
 * announced when it commits (migration ApiKeyNotifications1796000000000).
 */
export const API_KEY_CHANGES_CHANNEL = 'api_keys_changed';

/** The first wait before listening again after the connection is lost; it doubles up to the max. */
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;
/** How long, by default, a new connection's own test notification may take to come back. */
const ECHO_TIMEOUT_MS = 5_000;

export interface NotificationHandlers {
  /**
   * Listening: every notification committed from now on will arrive. Called again after each
   * reconnection, since whatever was announced while the connection was down is lost.
   */
  onListening(): void;
  /** One notification on the channel, with its payload. */
  onNotification(payload: string): void;
  /** The connection failed or could not be made: notifications may be missed until onListening. */
  onLost(error: Error): void;
}

export interface ListenOptions {
  /** How long a new connection's own test notification may take to come back; default 5 s. */
  readonly echoTimeoutMs?: number;
}

export interface NotificationSubscription {
  /** Stops listening for good (no reconnection) and closes the connection. */
  close(): Promise<void>;
}

/**
 * LISTENs on `channel` over a connection of its own (a pooled one cannot hold a LISTEN), and
 * connects again after any failure, waiting 1 s and doubling up to 30 s. The handlers say when
 * the announcements can be relied on and when they cannot; no failure is thrown at the caller.
 *
 * A connection is reported listening only once a notification it sent itself has come back: a
 * connection can LISTEN and hear nothing (behind a proxy that pools by transaction, the session
 * that listened is not the one this client reads), and that must count as lost, not as quiet. The
 * test notification (payload `seed-echo:<uuid>`) reaches the channel's other listeners too.
 */
export function listenForNotifications(
  url: string,
  channel: string,
  handlers: NotificationHandlers,
  options: ListenOptions = {},
): NotificationSubscription {
  if (!CHANNEL_NAME.test(channel)) throw new RangeError(`Not a channel name: ${channel}`);
  let closed = false;
  let current: Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let delayMs = RECONNECT_MIN_MS;

  const connect = async (): Promise<void> => {
    retry = null;
    const client = new Client({
      connectionString: url,
      keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: `seed:listen:${channel}`,
    });
    current = client;
    let lost = false;
    const lose = (error: Error): void => {
      if (lost || closed) return;
      lost = true;
      current = null;
      client.end().catch(() => undefined);
      handlers.onLost(error);
      retry = setTimeout(() => void connect(), delayMs);
      retry.unref();
      delayMs = Math.min(delayMs * 2, RECONNECT_MAX_MS);
    };
    client.on('error', lose);
    client.on('end', () => {
      lose(new Error('The listening connection was closed'));
    });
    const echo = `seed-echo:${randomUUID()}`;
    let heard = (): void => undefined;
    const echoed = new Promise<void>((resolve) => {
      heard = resolve;
    });
    client.on('notification', (message) => {
      if (message.channel !== channel) return;
      if (message.payload === echo) heard();
      else handlers.onNotification(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${channel}"`);
      await client.query('SELECT pg_notify($1, $2)', [channel, echo]);
      await withinMs(
        echoed,
        options.echoTimeoutMs ?? ECHO_TIMEOUT_MS,
        'The listening connection did not hear its own notification (is a proxy pooling by transaction in between?)',
      );
    } catch (error) {
      lose(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    // Lost or closed while connecting: the failure has been handled, or nothing is wanted any more.
    if (current !== client) return;
    delayMs = RECONNECT_MIN_MS;
    handlers.onListening();
  };

  void connect();
  return {
    close: async () => {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      const client = current;
      current = null;
      await client?.end().catch(() => undefined);
    },
  };
}

/** `promise`, or a rejection with `message` if it has not settled within `ms`. */
async function withinMs(promise: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(message));
    }, ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

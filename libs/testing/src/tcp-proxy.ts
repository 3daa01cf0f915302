import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Where a TCP proxy forwards to. */
export interface TcpTarget {
  readonly host: string;
  readonly port: number;
}

/** A loopback TCP forwarder that can cut its target off, as a network or server outage would. */
export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  /** Drops every open connection (reset) and resets each new one until `enable()`. */
  disable(): void;
  /** Forwards again. */
  enable(): void;
  /** Whether connections are forwarded now. */
  enabled(): boolean;
  /** Connections open through the proxy now. */
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * Forwards every connection to `target` byte for byte (any protocol: PostgreSQL, HTTP...). While
 * disabled, open connections are reset and new ones are accepted and reset at once, so a client
 * sees its server vanish (ECONNRESET) rather than hang: what RELIABILITY.md §7 calls the "down"
 * toxic. A URL for a client is the target's URL with this host and port.
 */
export async function startTcpProxy(target: TcpTarget): Promise<TcpProxy> {
  const pairs = new Set<readonly [Socket, Socket]>();
  let forwarding = true;

  const server = createServer((client) => {
    if (!forwarding) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: target.host, port: target.port });
    const pair = [client, upstream] as const;
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    disable: () => {
      forwarding = false;
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      pairs.clear();
    },
    enable: () => {
      forwarding = true;
    },
    enabled: () => forwarding,
    openConnections: () => pairs.size,
    close: async () => {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

/** `url` with its host and port replaced by the proxy's: what a client of the proxy connects to. */
export function urlThroughProxy(url: string, proxy: Pick<TcpProxy, 'host' | 'port'>): string {
  const through = new URL(url);
  through.hostname = proxy.host;
  through.port = proxy.port.toString();
  return through.toString();
}

/** The host and port a `postgres://` or `http://` URL points at. */
export function tcpTargetOf(url: string): TcpTarget {
  const parsed = new URL(url);
  const defaultPort = parsed.protocol.startsWith('postgres') ? 5432 : parsed.protocol === 'https:' ? 443 : 80;
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? defaultPort : Number(parsed.port),
  };
}

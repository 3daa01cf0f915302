import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Transform } from 'node:stream';

/**
 * A loopback TCP forwarder in front of a server (PostgreSQL, the emulator, anything over TCP) that a
 * test can take away and bring back: the client sees the server go down and come up again, on the
 * same address, without the server itself being stopped.
 */
export interface TcpProxy {
  /** `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's (a `postgres://` or `http://` URL). */
  rewrite(url: string): string;
  /**
   * The server goes away: new connections are refused (ECONNREFUSED, as from a stopped server)
   * and the open ones are cut (the client reads ECONNRESET or an unexpected end).
   */
  disable(): Promise<void>;
  /** Forwards again, on the same port. */
  enable(): Promise<void>;
  /** Whether connections are being forwarded. */
  readonly enabled: boolean;
  /** Connections forwarded since the proxy started. */
  connections(): number;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** Rewrites what the server sends, one fresh stream per connection (a protocol-aware filter). */
  readonly fromServer?: () => Transform;
}

/** Starts forwarding `127.0.0.1:<free port>` to `target`. */
export async function startTcpProxy(
  target: {
    readonly host: string;
    readonly port: number;
  },
  options: TcpProxyOptions = {},
): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let forwarded = 0;
  let enabled = false;
  let port = 0;

  const forward = (client: Socket): void => {
    forwarded += 1;
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    open.add(client).add(upstream);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut).on('close', () => {
      open.delete(client);
      cut();
    });
    upstream.on('error', cut).on('close', () => {
      open.delete(upstream);
      cut();
    });
    client.pipe(upstream);
    if (options.fromServer === undefined) upstream.pipe(client);
    else upstream.pipe(options.fromServer()).pipe(client);
  };

  // Half-open both ways: a client that has finished sending still gets the whole answer.
  let server: Server = createServer({ allowHalfOpen: true }, forward);
  const listen = async (): Promise<void> => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    port = (server.address() as AddressInfo).port;
    enabled = true;
  };
  const stop = async (): Promise<void> => {
    if (!enabled) return;
    enabled = false;
    const closed = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    for (const socket of open) socket.resetAndDestroy();
    await closed;
    // A closed net.Server can listen again, but a fresh one keeps no state of the old listener.
    server = createServer({ allowHalfOpen: true }, forward);
  };

  await listen();
  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    get enabled() {
      return enabled;
    },
    rewrite: (url) => {
      const rewritten = new URL(url);
      rewritten.hostname = '127.0.0.1';
      rewritten.port = port.toString();
      return rewritten.toString();
    },
    disable: stop,
    enable: async () => {
      if (!enabled) await listen();
    },
    connections: () => forwarded,
    close: stop,
  };
}

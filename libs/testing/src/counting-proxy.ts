import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP forwarder that counts what one client sent through it. */
export interface CountingProxy {
  /** `http://127.0.0.1:PORT`: give this to the client instead of the target. */
  readonly url: string;
  /** Requests forwarded and answered. */
  requests(): number;
  /** Of those, reads of a bucket's, table bucket's or table's encryption: the audit work itself. */
  encryptionReads(): number;
  /** Of those, KMS DescribeKey calls. */
  keyReads(): number;
  /** Requests forwarded and not yet answered. */
  inFlight(): number;
  close(): Promise<void>;
}

// GetBucketEncryption is `GET /{bucket}?encryption` path-style; GetTableBucketEncryption is
// `GET /buckets/{arn}/encryption` (docs/wire/oss.md).
const ENCRYPTION_READ = /[?&]encryption(?:[=&]|$)|\/encryption(?:\?|$)/;

/**
 * Forwards every request unchanged (method, path, headers, Host included, so signatures still
 * verify) to `targetUrl` and counts it. Each worker process of a test gets its own proxy in front
 * of the shared emulator: the counts say which process did how much of a scan's work.
 */
export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let requests = 0;
  let encryptionReads = 0;
  let keyReads = 0;
  let inFlight = 0;

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    inFlight += 1;
    let settled = false;
    const settle = (answered: boolean): void => {
      if (settled) return;
      settled = true;
      inFlight -= 1;
      if (!answered) return;
      requests += 1;
      if (incoming.method === 'GET' && ENCRYPTION_READ.test(incoming.url ?? '')) encryptionReads += 1;
      if (incoming.headers['x-acs-action'] === 'DescribeKey') keyReads += 1;
    };
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        agent,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(outgoing);
        answer.on('end', () => {
          settle(true);
        });
        answer.on('error', () => {
          settle(false);
          outgoing.destroy();
        });
      },
    );
    upstream.on('error', () => {
      settle(false);
      outgoing.destroy();
    });
    outgoing.on('close', () => {
      settle(false);
    });
    incoming.pipe(upstream);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port.toString()}`,
    requests: () => requests,
    keyReads: () => keyReads,
    encryptionReads: () => encryptionReads,
    inFlight: () => inFlight,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      agent.destroy();
    },
  };
}

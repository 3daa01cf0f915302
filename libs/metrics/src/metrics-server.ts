import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Registry } from 'prom-client';

export interface MetricsServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default: every interface, as Prometheus scrapes over the network. */
  readonly host?: string;
  /** Merged at every scrape, so metrics registered after the start are served too. */
  readonly registries: readonly Registry[];
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `GET /metrics` on a port of its own, for processes without an HTTP API (the worker); anything
 * else is a 404. A registry that cannot be rendered answers 500, never takes the process down.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Not found: try GET /metrics\n');
      return;
    }
    const merged = Registry.merge([...options.registries]);
    merged.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': merged.contentType }).end(text);
      },
      () => {
        res
          .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
          .end('metrics could not be rendered\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      }),
  };
}

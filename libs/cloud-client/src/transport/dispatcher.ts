import { Agent, Dispatcher } from 'undici';

/** Connection settings of the default dispatcher (docs/operations.md, "Retries, rates and timeouts"). */
export interface OssDispatcherOptions {
  /** TCP + TLS connect timeout; default 5 s (OSS SDK v2). */
  readonly connectTimeoutMs?: number;
  /** Time to receive the response headers; default 10 s. */
  readonly headersTimeoutMs?: number;
  /** Longest silence while receiving the body; default 10 s. */
  readonly bodyTimeoutMs?: number;
  /** Idle keep-alive per socket; default 4 s. */
  readonly keepAliveTimeoutMs?: number;
  /** Sockets per origin; default 2 (every virtual-hosted bucket is its own origin). */
  readonly connectionsPerOrigin?: number;
}

/**
 * The undici `Agent` the clients use unless one is injected: keep-alive, no pipelining, HTTP/1.1
 * only (`allowH2: false` until HTTP/2 is tested against the service), bounded timeouts. Share one
 * between all clients of a process and close it on shutdown.
 */
export function createOssDispatcher(options: OssDispatcherOptions = {}): Dispatcher {
  return new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 5_000 },
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    bodyTimeout: options.bodyTimeoutMs ?? 10_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    connections: options.connectionsPerOrigin ?? 2,
    pipelining: 1,
    allowH2: false,
  });
}

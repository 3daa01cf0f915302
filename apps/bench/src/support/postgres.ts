import { randomBytes } from 'node:crypto';

import { startEmbeddedPostgres, type RunningPostgres } from '@app/persistence';
import { canConnect, MACHINE_POSTGRES_URL, runOnServer } from '@app/testing';

/** The server a benchmark creates its databases on, and how to let go of it. */
export interface BenchPostgres {
  readonly url: string;
  readonly kind: 'DATABASE_URL' | 'machine' | 'embedded';
  stop(): Promise<void>;
}

/** `DATABASE_URL`, else the machine's server (trust auth, as CI has it), else an embedded one. */
export async function benchPostgres(): Promise<BenchPostgres> {
  const candidates = [
    { url: process.env.DATABASE_URL, kind: 'DATABASE_URL' as const },
    { url: MACHINE_POSTGRES_URL, kind: 'machine' as const },
  ];
  for (const { url, kind } of candidates) {
    if (url !== undefined && url !== '' && (await canConnect(url))) {
      return { url, kind, stop: () => Promise.resolve() };
    }
  }
  const embedded: RunningPostgres = await startEmbeddedPostgres();
  return { url: embedded.url, kind: 'embedded', stop: () => embedded.stop() };
}

/** A fresh, empty database on `serverUrl` (no migrations), and how to drop it. */
export async function createBenchDatabase(
  serverUrl: string,
  label: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `seed_bench_${label}_${randomBytes(4).toString('hex')}`;
  await runOnServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runOnServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

import { Client } from 'pg';

import { startEmbeddedPostgres } from '@app/persistence';

/** The machine's own server, as CI and the development machines have it (trust auth). */
export const MACHINE_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Environment variable through which the global setup tells test files which server to use. */
export const TEST_POSTGRES_URL_ENV = 'SEED_TEST_POSTGRES_URL';

export async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs one statement on its own connection (CREATE / DROP DATABASE cannot run in a pool's transaction). */
export async function runOnServer(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A server to create databases on, and how to let go of it (only an embedded one stops). */
export interface PostgresServer {
  readonly url: string;
  readonly kind: 'DATABASE_URL' | 'machine' | 'embedded';
  stop(): Promise<void>;
}

/**
 * `DATABASE_URL` when it answers, else the machine's server on 127.0.0.1:5432, else an embedded
 * server started now: tests and benchmarks then run on a fresh laptop as they do in CI.
 */
export async function choosePostgresServer(): Promise<PostgresServer> {
  const candidates = [
    { url: process.env.DATABASE_URL, kind: 'DATABASE_URL' as const },
    { url: MACHINE_POSTGRES_URL, kind: 'machine' as const },
  ];
  for (const { url, kind } of candidates) {
    if (url !== undefined && url !== '' && (await canConnect(url))) {
      return { url, kind, stop: () => Promise.resolve() };
    }
  }
  const embedded = await startEmbeddedPostgres();
  return { url: embedded.url, kind: 'embedded', stop: () => embedded.stop() };
}

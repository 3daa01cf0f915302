import { Client } from 'pg';

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

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateFleet } from '@app/oss-emulator';
import { ApiKeyRepository } from '@app/persistence';
import { createTestDatabase, fleetAuditConfig, waitUntil, type TestDatabase } from '@app/testing';
import { Client } from 'pg';
import { stringify } from 'yaml';

import { ApiKeyService } from '@apps/api';

/**
 * What `docker stop` does to the API: SIGTERM while a request is being answered. The server must
 * stop accepting connections, answer the request in flight, then exit 0.
 */

const REPOSITORY_ROOT = join(__dirname, '..', '..', '..', '..');
const API_MAIN = join(REPOSITORY_ROOT, 'apps', 'api', 'src', 'main.ts');

let database: TestDatabase;
let directory: string;
let api: ChildProcess | undefined;
let baseUrl: string;
let readerToken: string;

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One GET on a connection of its own (no pooling): refused once the server stops listening. */
function getOnce(path: string, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = get(
      `${baseUrl}${path}`,
      { agent: false, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  database = await createTestDatabase();
  readerToken = (
    await new ApiKeyService(new ApiKeyRepository(database.dataSource)).create('shutdown', 'reader')
  ).token;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port.toString()}`;
  // The API never calls OSS: the account only has to be valid configuration.
  const fleet = generateFleet({ accounts: 1, regions: ['cn-hangzhou'], buckets: 1, tableBuckets: 0 });
  const { document, env } = fleetAuditConfig(fleet, {
    emulatorUrl: 'http://127.0.0.1:9',
    databaseUrl: database.url,
    extra: { api: { port }, logging: { level: 'warn' } },
  });
  directory = mkdtempSync(join(tmpdir(), 'seed-api-shutdown-'));
  const configPath = join(directory, 'audit.config.yaml');
  writeFileSync(configPath, stringify(document));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', API_MAIN], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, AUDIT_CONFIG: configPath },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  api = child;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`The API exited: ${stderr}`);
      return (await getOnce('/healthz').catch(() => null))?.status === 200;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: 'the API to answer /healthz' },
  );
}, 90_000);

afterAll(async () => {
  if (api !== undefined && api.exitCode === null && api.signalCode === null) api.kill('SIGKILL');
  await database.drop();
  rmSync(directory, { recursive: true, force: true });
}, 30_000);

describe('the API sent SIGTERM while it answers a request', () => {
  it('refuses new connections, still answers the request in flight, then exits 0', async () => {
    // Holds the findings table so that a findings request waits inside the server.
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE "findings" IN ACCESS EXCLUSIVE MODE');
      const inFlight = getOnce('/v1/findings?limit=1', readerToken);
      await waitUntil(
        async () => {
          const { rows } = await blocker.query<{ waiting: string }>(
            `SELECT count(*) AS "waiting" FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE c.relname = 'findings' AND NOT l.granted`,
          );
          return Number(rows[0]?.waiting) > 0;
        },
        { timeoutMs: 30_000, intervalMs: 20, what: 'the findings request to wait for the table' },
      );

      const exited = once(api!, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      api!.kill('SIGTERM');
      await waitUntil(
        () =>
          getOnce('/healthz').then(
            () => false,
            (error: unknown) => (error as NodeJS.ErrnoException).code === 'ECONNREFUSED',
          ),
        { timeoutMs: 30_000, intervalMs: 20, what: 'the API to stop accepting connections' },
      );
      expect(api!.exitCode).toBeNull();

      await blocker.query('COMMIT');
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ items: [], nextCursor: null });
      const [code, signal] = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
    } finally {
      await blocker.end();
    }
  }, 90_000);
});

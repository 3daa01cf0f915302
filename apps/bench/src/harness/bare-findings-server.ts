import { createServer, type Server } from 'node:http';
import { once } from 'node:events';

import { findingPage, findingPageStatement, type FindingRow } from '@app/persistence';
import { presentFinding } from '@apps/api';
import { Pool } from 'pg';

/** Postgres connections of the baseline: the API's default `database.poolSize`. */
const POOL_SIZE = 10;
const STATUSES = new Set(['open', 'resolved', 'all'] as const);

export interface BareFindingsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The floor `GET /v1/findings` is measured against: the same statement (`findingPageStatement`) on
 * a bare `pg` pool of the API's size, the same rows mapped to the same JSON (`presentFinding`),
 * served by `node:http` with no framework, no authentication, no validation beyond reading
 * `status` and `limit`, no logging and no rate limit. Everything else is a 404.
 */
export async function startBareFindingsServer(databaseUrl: string): Promise<BareFindingsServer> {
  const pool = new Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://bare');
    const status = url.searchParams.get('status') ?? 'open';
    if (request.method !== 'GET' || url.pathname !== '/v1/findings' || !isStatus(status)) {
      response.writeHead(404).end();
      return;
    }
    // The API's default order, most severe first.
    const statement = findingPageStatement(
      { status },
      { limit: Number(url.searchParams.get('limit') ?? 50), sort: 'severity' },
    );
    pool
      .query<FindingRow>(statement.text, [...statement.parameters])
      .then((result) => {
        const page = findingPage(result.rows, statement);
        const body = JSON.stringify({ items: page.items.map(presentFinding), nextCursor: page.nextCursor });
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
      })
      .catch((error: unknown) => {
        console.error(error);
        response.writeHead(500).end();
      });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as { port: number };
  return {
    port: address.port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      await pool.end();
    },
  };
}

function isStatus(value: string): value is 'open' | 'resolved' | 'all' {
  return (STATUSES as ReadonlySet<string>).has(value);
}

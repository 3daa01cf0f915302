import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

import { generateFleet } from '@app/oss-emulator';
import { AlertDeliveryRepository } from '@app/persistence';
import { recordScan, seenBucket, startScanEnvironment, type ScanEnvironment } from '@app/testing';

import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

/** A cursor with any JSON inside, as a client could forge it. */
const cursorOf = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Values sent in every parameter, as they go on the wire (already percent-encoded where needed,
 * raw where the point is a malformed escape).
 */
const HOSTILE_VALUES: readonly string[] = [
  // Control characters; Postgres refuses NUL in text outright.
  '%00',
  'a%00b',
  '%01',
  '%0A',
  '%0D%0A',
  '%1B%5B31m',
  '%7F',
  '%C2%85',
  // Sizes.
  'x'.repeat(10_240),
  encodeURIComponent('数'.repeat(300)),
  '',
  // Unicode, including byte sequences that are not UTF-8.
  encodeURIComponent('💥ß'),
  '%ED%A0%80',
  '%FF%FE',
  '%C0%AF',
  encodeURIComponent('\u202Eevil'),
  // Escapes that are not escapes.
  '%',
  '%%',
  '%zz',
  '%2',
  '%25',
  // SQL, LIKE and path tricks.
  encodeURIComponent("' OR 1=1--"),
  encodeURIComponent('1; DROP TABLE scans'),
  encodeURIComponent('%_\\'),
  '..',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%2F',
  // Numbers of every shape.
  '-1',
  '0',
  '1.5',
  '1e308',
  '1e3',
  '0x10',
  '2147483648',
  '9223372036854775808',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  '-0',
  '%2B1',
  '%201',
  '1%20',
  // Dates that are not.
  '2026-02-30',
  '2026-13-01T00:00:00Z',
  '0000-01-01',
  '9999-12-31T23:59:59Z',
  '275760-09-14T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2026-03-05T25:00:00Z',
  encodeURIComponent('2026-03-05T02:00:00+99:00'),
  // Cursors no one issued.
  cursorOf([2_147_483_648]),
  cursorOf([1.5]),
  cursorOf([-1]),
  cursorOf([1e308]),
  cursorOf(['9'.repeat(300)]),
  cursorOf(null),
  cursorOf({}),
  cursorOf([[[[[1]]]]]),
  cursorOf(['2026-03-01T00:00:00.000000Z', 'z']),
  cursorOf(['2026-03-01T00:00:00.000000Z', 2 ** 63]),
  cursorOf(['0000-01-01T00:00:00.000000Z', 1]),
  Buffer.from('\u0000').toString('base64url'),
  'A'.repeat(512),
  // Other words JavaScript treats specially.
  'true',
  'null',
  'undefined',
  '__proto__',
  '%5B%5D',
  '%7B%7D',
];

/** Query strings sent to every route, beside the per-parameter values. */
const HOSTILE_QUERIES: readonly string[] = [
  'unknown=1',
  '__proto__=1',
  '__proto__[admin]=1',
  'constructor[prototype][x]=1',
  'hasOwnProperty=1',
  'toString=1',
  'a[b]=1',
  'a.b=1',
  '=',
  '&&&',
  '=x',
  '%00=1',
  '%=1',
  'limit',
  Array.from({ length: 200 }, (_, index) => `p${index.toString()}=1`).join('&'),
  `q=${'y'.repeat(10_240)}`,
];

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly { readonly name: string; readonly in: 'query' | 'path' }[];
}

interface Answer {
  readonly method: string;
  readonly url: string;
  readonly authenticated: boolean;
  readonly status: number;
  readonly body: string;
}

/** Hostile values in every query and path parameter of every documented route: nothing ends in a 5xx. */
describe('hostile input over every route', () => {
  let scanning: ScanEnvironment;
  let api: ApiTestApp;
  let token: string;
  let port: number;
  let operations: Operation[];
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });

  beforeAll(async () => {
    scanning = await startScanEnvironment({
      fleet: generateFleet({ accounts: 1, regions: ['cn-hangzhou'], buckets: 0, tableBuckets: 0, seed: 9 }),
    });
    const at = new Date('2026-03-02T02:00:00.000Z');
    await recordScan(scanning.database.dataSource, at, [seenBucket('logs-archive', 'none')], {
      evaluatedAt: at,
    });
    await new AlertDeliveryRepository(scanning.database.dataSource).planDeliveries(
      { channel: 'hook', channelType: 'webhook', plannedAt: at, backfillFrom: at },
      (alerts) => alerts.map(() => true),
    );
    api = await startApiTestApp(scanning, { rateLimitPerMinute: 1_000_000 });
    token = (await api.issueKey('reader')).token;
    await api.app.listen(0, '127.0.0.1');
    port = (api.app.getHttpServer().address() as AddressInfo).port;
    const document = (await api.http.get('/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: Operation['parameters'] }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
      })),
    );
  }, 60_000);

  afterAll(async () => {
    agent.destroy();
    await api.close();
    await scanning.close();
  });

  /** Sends a request exactly as written (no client-side re-encoding) and reads the answer. */
  const send = (method: string, url: string, authenticated: boolean): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path: url,
          agent,
          headers: authenticated ? { Authorization: `Bearer ${token}` } : {},
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            resolve({
              method,
              url,
              authenticated,
              status: incoming.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8').slice(0, 200),
            });
          });
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });

  /** Every hostile request of one operation: each value in each parameter, then the hostile queries. */
  function requestsOf(operation: Operation): string[] {
    const withPath = (values: Readonly<Record<string, string>>): string =>
      operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => values[name] ?? '1');
    const urls: string[] = [];
    for (const parameter of operation.parameters) {
      for (const value of HOSTILE_VALUES) {
        urls.push(
          parameter.in === 'path'
            ? withPath({ [parameter.name]: value })
            : `${withPath({})}?${parameter.name}=${value}`,
        );
      }
      if (parameter.in === 'query') {
        urls.push(`${withPath({})}?${parameter.name}=1&${parameter.name}=2`);
        urls.push(`${withPath({})}?${parameter.name}[]=1`);
        urls.push(`${withPath({})}?${parameter.name}[x]=1`);
      }
    }
    for (const query of HOSTILE_QUERIES) urls.push(`${withPath({})}?${query}`);
    return urls;
  }

  async function sendAll(authenticated: boolean): Promise<{ answers: number; offenders: Answer[] }> {
    const queue = operations.flatMap((operation) =>
      requestsOf(operation).map((url) => ({ method: operation.method, url })),
    );
    const offenders: Answer[] = [];
    let answers = 0;
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const answer = await send(next.method, next.url, authenticated);
        answers += 1;
        if (answer.status >= 500 || answer.status === 0) offenders.push(answer);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return { answers, offenders };
  }

  const describeOffenders = (offenders: readonly Answer[]): string[] =>
    offenders.map(
      (answer) =>
        `${answer.status.toString()} ${answer.method} ${answer.url.slice(0, 160)} -> ${answer.body}`,
    );

  it('walks every documented route and parameter', () => {
    const routes = operations.map((operation) => `${operation.method} ${operation.path}`);
    expect(routes).toEqual(
      expect.arrayContaining(['GET /v1/findings', 'GET /v1/alerts/{id}/items', 'POST /v1/scans']),
    );
    expect(operations.flatMap((operation) => operation.parameters).length).toBeGreaterThan(30);
  });

  it('answers no hostile request of a reader with a 5xx', async () => {
    const { answers, offenders } = await sendAll(true);
    expect(answers).toBeGreaterThan(2_000);
    expect(describeOffenders(offenders)).toEqual([]);
  }, 60_000);

  it('answers no hostile request without a key with a 5xx', async () => {
    const { offenders } = await sendAll(false);
    expect(describeOffenders(offenders)).toEqual([]);
  }, 60_000);

  it('still answers normally afterwards', async () => {
    await api.http.get('/v1/findings').set('Authorization', `Bearer ${token}`).expect(200);
    await api.http.get('/readyz').expect(200);
  });

  describe('request bodies', () => {
    let admin: string;

    beforeAll(async () => {
      admin = (await api.issueKey('admin')).token;
    });

    const postException = (contentType: string, body: string) =>
      api.http
        .post('/v1/exceptions')
        .set('Authorization', `Bearer ${admin}`)
        .set('Content-Type', contentType)
        .send(body);

    it('answers malformed JSON with a 400 invalid_body naming body, never quoting it', async () => {
      const response = await postException('application/json', '{bad json secret-marker');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid_body',
        message: 'The request body is not valid JSON',
        parameter: 'body',
      });
      expect(response.text).not.toContain('secret-marker');
    });

    it('answers a body over the 16 KiB limit with a 413 in the API error shape', async () => {
      const response = await postException(
        'application/json',
        JSON.stringify({ reason: 'x'.repeat(20_000) }),
      );
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ error: 'payload_too_large', parameter: 'body' });
    });

    it('answers a body that is not JSON with a 415', async () => {
      const response = await postException('text/plain', 'reason=accepted');
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ error: 'unsupported_media_type', parameter: 'body' });
    });

    it('answers a JSON body in another charset with a 415', async () => {
      const response = await postException('application/json; charset=latin1', '{}');
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ error: 'unsupported_media_type', parameter: 'body' });
    });

    it('still reads a well-formed JSON body: the route validates it', async () => {
      const response = await postException('application/json', '{}');
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter' });
    });
  });
});

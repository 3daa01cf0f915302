import { anyString, containing } from './testing/matchers';
import { startApiTestApp, type ApiTestApp, type ApiTestAppOptions } from './testing/api-test-app';
import { runAuditScenario, type AuditScenario } from './testing/audit-scenario';

const cursorOf = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Every read route, as a client would call it. */
const READ_ROUTES = [
  '/v1/findings',
  '/v1/drift',
  '/v1/resources',
  '/v1/resources/1',
  '/v1/resources/1/history',
  '/v1/scans',
  '/v1/scans/1',
  '/v1/summary',
];

/** API keys, roles, bad input, unknown ids, rate limiting and what reaches the logs. */
describe('security and bad input', () => {
  let scenario: AuditScenario;
  let api: ApiTestApp;
  let reader: { id: number; token: string };
  let admin: { id: number; token: string };
  let resourceId: number;

  const as = (token: string, path: string) => api.http.get(path).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    scenario = await runAuditScenario();
    api = await startApiTestApp(scenario.scanning);
    reader = await api.issueKey('reader');
    admin = await api.issueKey('admin');
    const [row] = await scenario.scanning.database.dataSource.query<[{ id: string }]>(
      `SELECT "id" FROM "resources" ORDER BY "id" LIMIT 1`,
    );
    resourceId = Number(row.id);
  }, 180_000);

  afterAll(async () => {
    await api.close();
    await scenario.scanning.close();
  });

  describe('API keys', () => {
    it.each(READ_ROUTES)('refuses %s without a key: 401 with WWW-Authenticate', async (path) => {
      const response = await api.http.get(path).expect(401);
      expect(response.body).toEqual({
        error: 'unauthenticated',
        message: 'A valid API key is required: Authorization: Bearer <key>',
      });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it.each([
      ['another scheme', (token: string) => `Basic ${token}`],
      ['a token not shaped like a key', () => 'Bearer not-a-key'],
      ['an unknown key', () => `Bearer seed_${'A'.repeat(43)}`],
      [
        'a known prefix with the wrong secret',
        (token: string) => `Bearer ${token.slice(0, 13)}${'x'.repeat(35)}`,
      ],
    ])('refuses %s with 401', async (_name, header) => {
      await api.http.get('/v1/findings').set('Authorization', header(reader.token)).expect(401);
    });

    it('refuses a revoked key with 401', async () => {
      const revoked = await api.issueKey('admin', 'soon revoked');
      await scenario.scanning.database.dataSource.query(
        `UPDATE "api_keys" SET "revoked_at" = now() WHERE "id" = $1`,
        [revoked.id],
      );
      await as(revoked.token, '/v1/scans').expect(401);
    });

    it('refuses a key it has just served once the database announces its revocation, and from then on', async () => {
      const revoked = await api.issueKey('reader', 'revoked while in use');
      await as(revoked.token, '/v1/findings').expect(200);
      await scenario.scanning.database.dataSource.query(
        `UPDATE "api_keys" SET "revoked_at" = now() WHERE "id" = $1`,
        [revoked.id],
      );
      // The announcement (NOTIFY at commit) takes milliseconds; until it lands the kept row serves.
      const statuses: number[] = [];
      const deadline = Date.now() + 2_000;
      do {
        statuses.push((await as(revoked.token, '/v1/findings')).status);
      } while (statuses.at(-1) !== 401 && Date.now() < deadline);
      expect(statuses.at(-1)).toBe(401);
      expect(statuses.slice(0, -1).filter((status) => status !== 200)).toEqual([]);
      await as(revoked.token, '/v1/findings').expect(401);
    });

    it('lets a reader key read every read route', async () => {
      for (const path of ['/v1/findings', '/v1/drift', '/v1/resources', '/v1/scans', '/v1/summary']) {
        await as(reader.token, path).expect(200);
      }
    });

    it('refuses to start a scan with a reader key: 403', async () => {
      const response = await api.http
        .post('/v1/scans')
        .set('Authorization', `Bearer ${reader.token}`)
        .expect(403);
      expect(response.body).toEqual({ error: 'forbidden', message: 'This route needs an admin key' });
    });

    it('lets an admin key read', async () => {
      await as(admin.token, '/v1/findings').expect(200);
    });

    it('stores only a hash and a prefix of each key', async () => {
      const rows =
        await scenario.scanning.database.dataSource.query<Record<string, unknown>[]>(
          `SELECT * FROM "api_keys"`,
        );
      const stored = JSON.stringify(rows);
      expect(stored).not.toContain(reader.token);
      expect(stored).not.toContain(reader.token.slice(5));
      expect(rows.find((row) => row.id === reader.id)).toMatchObject({
        key_prefix: reader.token.slice(5, 13),
      });
    });

    it('records when a key was last used', async () => {
      const [row] = await scenario.scanning.database.dataSource.query<[{ last_used_at: Date | null }]>(
        `SELECT "last_used_at" FROM "api_keys" WHERE "id" = $1`,
        [reader.id],
      );
      expect(row.last_used_at).toBeInstanceOf(Date);
    });

    it('logs which key made a request, by id', () => {
      expect(api.logs.some((line) => line.includes(`"apiKeyId":${reader.id.toString()}`))).toBe(true);
    });

    it('never writes a token to the log: the Authorization header is redacted', () => {
      const log = api.logs.join('\n');
      expect(log).toContain('"authorization":"[redacted]"');
      for (const token of [reader.token, admin.token]) {
        expect(log).not.toContain(token);
        expect(log).not.toContain(token.slice(5));
      }
    });
  });

  describe('invalid parameters: 400 naming the parameter', () => {
    it.each<[string, string]>([
      ['/v1/findings?limit=0', 'limit'],
      ['/v1/findings?limit=501', 'limit'],
      ['/v1/findings?limit=abc', 'limit'],
      ['/v1/findings?limit=1.5', 'limit'],
      ['/v1/findings?limit=', 'limit'],
      ['/v1/findings?limit=99999999999999999999999', 'limit'],
      ['/v1/findings?status=closed', 'status'],
      ['/v1/findings?status=open&status=all', 'status'],
      ['/v1/findings?rule=bad_rule', 'rule'],
      ['/v1/findings?severity=extreme', 'severity'],
      ['/v1/findings?kind=volume', 'kind'],
      ['/v1/findings?account=', 'account'],
      ['/v1/findings?namePrefix=' + 'x'.repeat(256), 'namePrefix'],
      ['/v1/findings?openedSince=yesterday', 'openedSince'],
      ['/v1/findings?openedSince=2026-02-30T00:00:00Z', 'openedSince'],
      ['/v1/findings?resolvedSince=2026-03-05T25:00:00Z', 'resolvedSince'],
      ['/v1/findings?openedSince=2026-03-05T02:00:00', 'openedSince'],
      ['/v1/findings?severty=high', 'severty'],
      ['/v1/findings?filter[severity]=high', 'filter[severity]'],
      ['/v1/findings?cursor=!!!', 'cursor'],
      ['/v1/findings?cursor=' + cursorOf([1, 2]), 'cursor'],
      [
        '/v1/findings?cursor=' +
          cursorOf(['2026-13-01T00:00:00.000000Z', '00000000-0000-0000-0000-000000000000']),
        'cursor',
      ],
      [
        '/v1/findings?cursor=' + cursorOf(['2026-03-01T00:00:00.000000Z', "x'; DROP TABLE findings;--"]),
        'cursor',
      ],
      ['/v1/findings?cursor=' + 'a'.repeat(600), 'cursor'],
      ['/v1/drift?type=renamed', 'type'],
      ['/v1/drift?direction=sideways', 'direction'],
      ['/v1/drift?since=last-week', 'since'],
      ['/v1/drift?until=2026-13-01', 'until'],
      ['/v1/drift?cursor=' + cursorOf(['2026-03-01T00:00:00.000000Z', -1]), 'cursor'],
      ['/v1/drift?cursor=' + cursorOf(['2026-03-01T00:00:00.000000Z', 1e300]), 'cursor'],
      ['/v1/resources?class=plaintext', 'class'],
      ['/v1/resources?state=gone', 'state'],
      ['/v1/resources?cursor=' + cursorOf(['1']), 'cursor'],
      ['/v1/resources/abc', 'id'],
      ['/v1/resources/0', 'id'],
      ['/v1/resources/1.5', 'id'],
      ['/v1/resources/-3', 'id'],
      ['/v1/resources/99999999999999999999', 'id'],
      ['/v1/resources/abc/history', 'id'],
      ['/v1/resources/RESOURCE/history?at=tomorrow', 'at'],
      ['/v1/resources/RESOURCE/history?at=2026-03-05T02:00:00Z&cursor=abc', 'cursor'],
      ['/v1/resources/RESOURCE/history?cursor=' + cursorOf(['not a time', 1]), 'cursor'],
      ['/v1/resources/RESOURCE/history?cursor=' + cursorOf(['2026-02-30T00:00:00.000000Z', 1]), 'cursor'],
      ['/v1/resources/RESOURCE/history?limit=1000', 'limit'],
      ['/v1/scans?limit=-1', 'limit'],
      ['/v1/scans?cursor=' + cursorOf(['x']), 'cursor'],
      ['/v1/scans/abc', 'id'],
      ['/v1/scans/2147483648', 'id'],
      ['/v1/summary?scans=0', 'scans'],
      ['/v1/summary?scans=101', 'scans'],
      ['/v1/summary?scans=ten', 'scans'],
    ])('GET %s names %s', async (path, parameter) => {
      const response = await as(reader.token, path.replace('RESOURCE', resourceId.toString())).expect(400);
      expect(response.body).toEqual({ error: 'invalid_parameter', parameter, message: anyString });
    });

    it('accepts an instant with an offset and a date alone', async () => {
      await as(
        reader.token,
        `/v1/findings?openedSince=${encodeURIComponent('2026-03-05T10:00:00+08:00')}`,
      ).expect(200);
      await as(reader.token, '/v1/drift?since=2026-03-05').expect(200);
    });
  });

  describe('control characters in text filters: 400 naming the parameter, never a 500', () => {
    const TEXT_FILTERS = ['/v1/findings', '/v1/drift', '/v1/resources'].flatMap((path) =>
      ['namePrefix', 'account', 'region'].map((parameter) => [path, parameter] as const),
    );

    it.each(TEXT_FILTERS)('GET %s?%s=a%%00b (a NUL byte)', async (path, parameter) => {
      const response = await as(reader.token, `${path}?${parameter}=a%00b`).expect(400);
      expect(response.body).toEqual({
        error: 'invalid_parameter',
        parameter,
        message: `${parameter} must not contain control characters`,
      });
    });

    it.each(['%01', '%09', '%0A', '%0D', '%1B', '%7F', '%C2%85', '%C2%9F'])(
      'refuses the control character %s in namePrefix',
      async (character) => {
        const response = await as(reader.token, `/v1/findings?namePrefix=data${character}`).expect(400);
        expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter: 'namePrefix' });
      },
    );

    it('refuses a NUL byte in the alert channel filter', async () => {
      const response = await as(reader.token, '/v1/alerts?channel=ops%00').expect(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter: 'channel' });
    });

    it('still accepts printable unicode in a text filter', async () => {
      await as(reader.token, `/v1/findings?namePrefix=${encodeURIComponent('数据-ß')}`).expect(200);
    });
  });

  describe('forged cursors: 400 naming cursor, checked against the column they page by', () => {
    it.each<[string, unknown]>([
      ['/v1/scans', [2_147_483_648]],
      ['/v1/scans', [1.5]],
      ['/v1/scans', [1e308]],
      ['/v1/scans', [-1]],
      ['/v1/scans', [0]],
      ['/v1/scans', ['9'.repeat(40)]],
      ['/v1/alerts', [2 ** 53]],
      ['/v1/alerts', [1.5]],
      ['/v1/alerts', [-1]],
      ['/v1/resources', [2 ** 53]],
      ['/v1/drift', ['2026-03-01T00:00:00.000000Z', 2 ** 63]],
      ['/v1/drift', ['0000-01-01T00:00:00.000000Z', 1]],
      ['/v1/findings', ['2026-03-01T24:00:00.000000Z', '00000000-0000-0000-0000-000000000000']],
      ['/v1/resources/RESOURCE/history', ['2026-03-01T00:00:00.000000Z', 2_147_483_648.5]],
    ])('GET %s?cursor=%j', async (path, value) => {
      const response = await as(
        reader.token,
        `${path.replace('RESOURCE', resourceId.toString())}?cursor=${cursorOf(value)}`,
      ).expect(400);
      expect(response.body).toEqual({ error: 'invalid_parameter', parameter: 'cursor', message: anyString });
    });

    it.each(['/v1/scans', '/v1/alerts'])('GET %s?cursor=1e308 (not even a cursor)', async (path) => {
      const response = await as(reader.token, `${path}?cursor=1e308`).expect(400);
      expect(response.body).toMatchObject({ parameter: 'cursor' });
    });

    it('accepts the cursor of the largest scan id an int4 holds', async () => {
      const response = await as(reader.token, `/v1/scans?cursor=${cursorOf([2_147_483_647])}`).expect(200);
      expect((response.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
    });
  });

  describe('unknown ids and routes: 404', () => {
    it.each([
      '/v1/resources/987654321',
      '/v1/resources/987654321/history',
      '/v1/resources/987654321/history?at=2026-03-05',
      '/v1/scans/987654',
    ])('GET %s', async (path) => {
      const response = await as(reader.token, path).expect(404);
      expect(response.body).toEqual({
        error: 'not_found',
        message: containing('does not exist'),
      });
    });

    it('answers a route that does not exist with 404 in the same shape', async () => {
      const response = await as(reader.token, '/v1/nothing-here').expect(404);
      expect(response.body).toEqual({ error: 'not_found', message: 'No such route' });
    });
  });

  describe('API keys outside Authorization: 400, and never in the log', () => {
    let leaked: string;

    beforeAll(async () => {
      leaked = (await api.issueKey('reader', 'sent the wrong way')).token;
    });

    const FORMS: [string, (token: string) => [string, Record<string, string>]][] = [
      ['?api_key=', (token) => [`/v1/findings?api_key=${token}`, {}]],
      ['?access_token=', (token) => [`/v1/findings?access_token=${token}`, {}]],
      ['?key=', (token) => [`/v1/findings?key=${token}`, {}]],
      [
        '?api_key= percent-encoded',
        (token) => [`/v1/findings?api_key=${encodeURIComponent(token).replace('_', '%5F')}`, {}],
      ],
      ['a token in another parameter', (token) => [`/v1/findings?namePrefix=${token}`, {}]],
      ['X-Api-Key', (token) => ['/v1/findings', { 'X-Api-Key': token }]],
      [
        'X-Api-Key beside a valid Authorization',
        (token) => ['/v1/drift', { 'X-Api-Key': token, Authorization: `Bearer ${token}` }],
      ],
      ['?api_key= on a public route', (token) => [`/healthz?api_key=${token}`, {}]],
    ];

    it.each(FORMS)('refuses a key sent as %s with 400 invalid_request', async (_form, build) => {
      const [path, headers] = build(leaked);
      const response = await api.http.get(path).set(headers).expect(400);
      expect(response.body).toEqual({
        error: 'invalid_request',
        message: containing('API keys go in the Authorization header only (Authorization: Bearer <key>)'),
      });
    });

    it('never writes the key to the log, whichever way it came, nor on an unknown route', async () => {
      await api.http.get(`/v1/no-such-route?api_key=${leaked}`).expect(404);
      await as(reader.token, `/v1/findings?limit=1&x=${leaked}`).expect(400);
      const log = api.logs.join('\n');
      expect(log).toContain('seed_[redacted]');
      expect(log).toContain('api_key=[redacted]');
      expect(log).not.toContain(leaked);
      expect(log).not.toContain(leaked.slice(5));
      expect(log).not.toContain(leaked.slice(5, 25));
    });
  });

  describe('rate limiting: one budget per client across every route', () => {
    const limitedApp = async (
      rateLimitPerMinute: number,
      trustProxy: ApiTestAppOptions['trustProxy'] = false,
    ): Promise<ApiTestApp> => startApiTestApp(scenario.scanning, { rateLimitPerMinute, trustProxy });

    it('counts one API key’s requests to every route together: 3 + 3 over a limit of 5, the 6th is 429 with Retry-After', async () => {
      const limited = await limitedApp(5);
      const other = await limited.issueKey('reader', 'another client');
      try {
        const get = (token: string, path: string) =>
          limited.http.get(path).set('Authorization', `Bearer ${token}`);
        for (const path of ['/v1/findings', '/v1/findings', '/v1/findings', '/v1/drift', '/v1/drift']) {
          await get(reader.token, path).expect(200);
        }
        const refused = await get(reader.token, '/v1/drift').expect(429);
        expect(refused.body).toEqual({ error: 'rate_limited', message: anyString });
        const retryAfter = Number(refused.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(60);
        await get(reader.token, '/v1/scans').expect(429);
        // Another key from the same address has a budget of its own.
        await get(other.token, '/v1/findings').expect(200);
        // The probes and the scrape are never limited.
        await limited.http.get('/healthz').expect(200);
        await limited.http.get('/readyz').expect(200);
        await limited.http.get('/metrics').expect(200);
      } finally {
        await limited.close();
      }
    });

    it('counts requests without a valid key per address, and once it is spent answers 429 before looking any key up', async () => {
      const limited = await limitedApp(3);
      try {
        await limited.http.get('/v1/findings').expect(401);
        await limited.http
          .get('/v1/drift')
          .set('Authorization', `Bearer seed_${'A'.repeat(43)}`)
          .expect(401);
        await limited.http.get('/v1/scans').set('Authorization', 'Bearer guess').expect(401);
        const refused = await limited.http.get('/v1/findings').expect(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        // A right guess now would be refused like a wrong one: guessing gets no answer until the window ends.
        await limited.http.get('/v1/findings').set('Authorization', `Bearer ${reader.token}`).expect(429);
      } finally {
        await limited.close();
      }
    });

    it('ignores X-Forwarded-For unless api.trustProxy is set: a client cannot spoof its way past the limit', async () => {
      const limited = await limitedApp(2);
      try {
        await limited.http.get('/v1/findings').set('X-Forwarded-For', '203.0.113.1').expect(401);
        await limited.http.get('/v1/findings').set('X-Forwarded-For', '203.0.113.2').expect(401);
        await limited.http.get('/v1/findings').set('X-Forwarded-For', '203.0.113.3').expect(429);
      } finally {
        await limited.close();
      }
    });

    it.each<[string, ApiTestAppOptions['trustProxy']]>([
      ['one proxy hop', 1],
      ['the loopback proxy', ['loopback']],
    ])(
      'takes the client address from X-Forwarded-For behind %s (api.trustProxy)',
      async (_name, trustProxy) => {
        const limited = await limitedApp(2, trustProxy);
        try {
          for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
            await limited.http.get('/v1/findings').set('X-Forwarded-For', client).expect(401);
          }
          await limited.http.get('/v1/findings').set('X-Forwarded-For', '203.0.113.1').expect(401);
          await limited.http.get('/v1/findings').set('X-Forwarded-For', '203.0.113.1').expect(429);
        } finally {
          await limited.close();
        }
      },
    );
  });
});

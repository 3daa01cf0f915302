import { generateFleet } from '@app/oss-emulator';
import {
  startScanEnvironment,
  startTcpProxy,
  type ScanEnvironment,
  type TcpProxy,
  waitUntil,
} from '@app/testing';

import { DATABASE_RETRY_AFTER_SECONDS } from '../src/errors/error-response';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

/** Routes that read the database, as a client calls them. */
const DATABASE_ROUTES = [
  '/v1/findings',
  '/v1/drift',
  '/v1/resources',
  '/v1/resources/1',
  '/v1/scans',
  '/v1/summary',
  '/v1/alerts',
];

/**
 * The API in front of a PostgreSQL that goes away and comes back: a TCP proxy between the API's pool
 * and the real server is disabled (connections refused, open ones cut), then enabled again.
 */
describe('the database going away', () => {
  let scanning: ScanEnvironment;
  let proxy: TcpProxy;
  let api: ApiTestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    scanning = await startScanEnvironment({
      fleet: generateFleet({ accounts: 1, regions: ['cn-hangzhou'], buckets: 3, tableBuckets: 0, seed: 5 }),
    });
    await scanning.runScan();
    const database = new URL(scanning.database.url);
    proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port || '5432') });
    api = await startApiTestApp(scanning, { databaseUrl: proxy.rewrite(scanning.database.url) });
    auth = { Authorization: `Bearer ${(await api.issueKey('reader')).token}` };
  }, 60_000);

  afterAll(async () => {
    await api.close();
    await proxy.close();
    await scanning.close();
  });

  it('answers through the proxy while the database is up', async () => {
    for (const path of DATABASE_ROUTES) await api.http.get(path).set(auth).expect(200);
    await api.http.get('/readyz').expect(200);
    expect(proxy.connections()).toBeGreaterThan(0);
  });

  describe('while it is down', () => {
    beforeAll(async () => {
      await proxy.disable();
    });

    afterAll(async () => {
      await proxy.enable();
    });

    it.each(DATABASE_ROUTES)('answers GET %s with 503 service_unavailable and Retry-After', async (path) => {
      const response = await api.http.get(path).set(auth).expect(503);
      expect(response.body).toEqual({
        error: 'service_unavailable',
        message: 'The database is unavailable; retry after the time in Retry-After',
      });
      expect(response.headers['retry-after']).toBe(DATABASE_RETRY_AFTER_SECONDS.toString());
    });

    it('still refuses a request without a key with 401: no database is needed to say so', async () => {
      await api.http.get('/v1/findings').expect(401);
    });

    it('reports not ready (503), naming the database', async () => {
      const response = await api.http.get('/readyz').expect(503);
      expect(response.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    });

    it('stays alive: liveness does not depend on the database', async () => {
      await api.http.get('/healthz').expect(200);
    });

    it('keeps serving metrics, with the database marked down', async () => {
      const response = await api.http.get('/metrics').expect(200);
      expect(response.text).toContain('seed_metrics_database_up 0');
    });

    it('writes no driver detail into the response', async () => {
      const response = await api.http.get('/v1/scans').set(auth).expect(503);
      expect(response.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
    });
  });

  it('recovers once the database is back: ready again, and the routes answer 200', async () => {
    expect(proxy.enabled).toBe(true);
    await waitUntil(async () => (await api.http.get('/readyz')).status === 200, {
      timeoutMs: 10_000,
      what: 'readiness after the database came back',
    });
    for (const path of DATABASE_ROUTES) await api.http.get(path).set(auth).expect(200);
  });
});

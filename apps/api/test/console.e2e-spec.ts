import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateFleet } from '@app/oss-emulator';
import { type ScanEnvironment, startScanEnvironment } from '@app/testing';

import { CONSOLE_CSP } from '../src/console/console-assets';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

const INDEX = '<!doctype html><html lang="en"><title>Seed console</title><div id="app"></div></html>';
/** Large enough to be sent compressed. */
const SCRIPT = `export const rows = ${JSON.stringify(Array.from({ length: 200 }, (_, index) => `row ${index.toString()}`))};\n`;

/** A build as Vite lays it out: index.html, hashed assets, an unhashed public file. */
async function writeBuild(directory: string): Promise<void> {
  await mkdir(join(directory, 'assets'), { recursive: true });
  await writeFile(join(directory, 'index.html'), INDEX);
  await writeFile(join(directory, 'assets', 'index-3f2aB9.js'), SCRIPT);
  await writeFile(join(directory, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
}

/** The console served by the API process: files, security and cache headers, a missing build. */
describe('the console route', () => {
  let scanning: ScanEnvironment;
  let directory: string;
  let api: ApiTestApp;
  let reader: string;
  let admin: string;

  beforeAll(async () => {
    scanning = await startScanEnvironment({
      fleet: generateFleet({ accounts: 1, regions: ['cn-hangzhou'], buckets: 2, tableBuckets: 0 }),
    });
    directory = await mkdtemp(join(tmpdir(), 'seed-console-'));
    await writeBuild(join(directory, 'built'));
    api = await startApiTestApp(scanning, { consoleDirectory: join(directory, 'built') });
    reader = (await api.issueKey('reader', 'console reader')).token;
    admin = (await api.issueKey('admin', 'console admin')).token;
  }, 120_000);

  afterAll(async () => {
    await api.close();
    await scanning.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('leads / and /console to /console/', async () => {
    expect((await api.http.get('/').expect(302)).headers.location).toBe('/console/');
    expect((await api.http.get('/console').expect(302)).headers.location).toBe('/console/');
  });

  it('serves index.html at /console/ with the strict CSP, revalidated on every load', async () => {
    const response = await api.http.get('/console/').expect(200);
    expect(response.text).toBe(INDEX);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': CONSOLE_CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
  });

  it('lets browsers keep hashed assets for a year, and sends them gzipped when asked', async () => {
    const plain = await api.http.get('/console/assets/index-3f2aB9.js').set('Accept-Encoding', 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    // supertest decodes the body; the length on the wire is the compressed one.
    const zipped = await api.http.get('/console/assets/index-3f2aB9.js').set('Accept-Encoding', 'gzip, br');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(Number(zipped.headers['content-length'])).toBeLessThan(Buffer.byteLength(SCRIPT) / 2);
    expect(zipped.text).toBe(SCRIPT);
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await api.http.get('/console/favicon.svg').expect(200);
    const etag = first.headers.etag as string;
    const again = await api.http.get('/console/favicon.svg').set('If-None-Match', etag).expect(304);
    expect(again.text).toBeUndefined();
  });

  it('answers HEAD without a body', async () => {
    const response = await api.http.head('/console/').expect(200);
    expect(response.headers['content-length']).toBe(Buffer.byteLength(INDEX).toString());
    expect(response.text).toBeUndefined();
  });

  it('answers a file the build does not have with 404, never a file outside the build', async () => {
    for (const path of [
      '/console/nope.js',
      '/console/assets/..%2f..%2fpackage.json',
      '/console/index.html/',
    ]) {
      const response = await api.http.get(path);
      expect([path, response.status, response.text]).toEqual([path, 404, `No console file at ${path}`]);
      expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
    }
  });

  it('leaves the API routes as they were: no console headers, the same refusals', async () => {
    const refused = await api.http.get('/v1/findings').expect(401);
    expect(refused.body).toMatchObject({ error: 'unauthenticated' });
    expect(refused.headers['content-security-policy']).toBeUndefined();
    const document = await api.http.get('/openapi.json').expect(200);
    expect(document.headers['content-security-policy']).toBeUndefined();
    const post = await api.http.post('/console/').expect(404);
    expect(post.body).toEqual({ error: 'not_found', message: 'No such route' });
  });

  it('labels console requests as one route in the latency metric', async () => {
    await api.http.get('/console/').expect(200);
    const text = (await api.http.get('/metrics').expect(200)).text;
    expect(text).toMatch(
      /^seed_http_request_duration_seconds_count\{method="GET",route="\/console\/\*",status_code="200"\} [1-9]\d*$/m,
    );
  });

  describe('GET /v1/me', () => {
    it('names the key and its role, never its token', async () => {
      const asReader = await api.http.get('/v1/me').set('Authorization', `Bearer ${reader}`).expect(200);
      expect(asReader.body).toEqual({
        id: expect.any(Number) as unknown,
        name: 'console reader',
        role: 'reader',
      });
      const asAdmin = await api.http.get('/v1/me').set('Authorization', `Bearer ${admin}`).expect(200);
      expect(asAdmin.body).toMatchObject({ name: 'console admin', role: 'admin' });
      expect(JSON.stringify(asAdmin.body)).not.toContain(admin.slice(5));
    });

    it('refuses a request without a key: 401', async () => {
      await api.http.get('/v1/me').expect(401);
    });
  });

  describe('without a build', () => {
    it('answers the console route with 503 and how to build it, serves the API, and picks the build up once it exists', async () => {
      const later = join(directory, 'later');
      const unbuilt = await startApiTestApp(scanning, { consoleDirectory: later });
      try {
        const missing = await unbuilt.http.get('/console/').expect(503);
        expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(missing.text).toContain('npm run console:build');
        await unbuilt.http.get('/healthz').expect(200);
        await unbuilt.http.get('/v1/me').set('Authorization', `Bearer ${reader}`).expect(200);
        await writeBuild(later);
        expect((await unbuilt.http.get('/console/').expect(200)).text).toBe(INDEX);
      } finally {
        await unbuilt.close();
      }
    });
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { generateFleet } from '@app/oss-emulator';
import { type ScanEnvironment, startScanEnvironment } from '@app/testing';

import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

const ROOT = join(__dirname, '..', '..', '..');
/** The document the console's types are generated from, committed beside the console. */
const SNAPSHOT = join(ROOT, 'apps', 'console', 'openapi.json');
/** What `npm run console:types` generates from it. */
const TYPES = join(ROOT, 'apps', 'console', 'src', 'api', 'schema.d.ts');
/** `npm run console:openapi` sets it to rewrite the snapshot from the live document. */
const UPDATE = process.env.UPDATE_CONSOLE_OPENAPI === '1';

/**
 * The console is typed from a committed snapshot of the OpenAPI document: these tests fail when the
 * API's live document moves away from it, or the types from it, so the console never compiles
 * against an API that is not the one it is served with.
 */
describe('the OpenAPI document the console is built against', () => {
  let scanning: ScanEnvironment;
  let api: ApiTestApp;

  beforeAll(async () => {
    scanning = await startScanEnvironment({
      fleet: generateFleet({ accounts: 1, regions: ['cn-hangzhou'], buckets: 1, tableBuckets: 0 }),
    });
    api = await startApiTestApp(scanning);
  }, 120_000);

  afterAll(async () => {
    await api.close();
    await scanning.close();
  });

  it('is the live /openapi.json (npm run console:openapi updates the snapshot and the types)', async () => {
    const live: unknown = (await api.http.get('/openapi.json').expect(200)).body;
    if (UPDATE) await writeFile(SNAPSHOT, `${JSON.stringify(live, null, 2)}\n`);
    const snapshot: unknown = JSON.parse(await readFile(SNAPSHOT, 'utf8'));
    expect(snapshot).toEqual(live);
  });

  it('has the console types openapi-typescript generates from it (npm run console:types)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'seed-console-types-'));
    try {
      const generated = join(directory, 'schema.d.ts');
      // The package exports no path to its command; it is where npm installs it.
      const cli = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
      await promisify(execFile)(process.execPath, [cli, SNAPSHOT, '--output', generated]);
      expect(await readFile(TYPES, 'utf8')).toBe(await readFile(generated, 'utf8'));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);
});

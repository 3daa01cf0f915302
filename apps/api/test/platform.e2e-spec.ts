import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { z } from 'zod';

import type { SCAN } from '../src/scans/scans.schemas';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';
import { runAuditScenario, type AuditScenario } from './testing/audit-scenario';

type ScanBody = z.input<typeof SCAN>;

/** The routes the issue asks for, as method and OpenAPI path. */
const EXPECTED_ROUTES = [
  'GET /healthz',
  'GET /metrics',
  'GET /readyz',
  'GET /v1/accounts',
  'GET /v1/alerts',
  'GET /v1/alerts/{id}',
  'GET /v1/alerts/{id}/items',
  'GET /v1/controls',
  'GET /v1/controls/{id}',
  'GET /v1/drift',
  'GET /v1/evidence',
  'GET /v1/exceptions',
  'GET /v1/exceptions/expiring',
  'GET /v1/exceptions/{id}',
  'GET /v1/exceptions/{id}/changes',
  'GET /v1/exports/findings',
  'GET /v1/findings',
  'GET /v1/findings/{id}',
  'GET /v1/me',
  'GET /v1/resources',
  'GET /v1/resources/lookup',
  'GET /v1/resources/{id}',
  'GET /v1/resources/{id}/history',
  'GET /v1/scans',
  'GET /v1/scans/{id}',
  'GET /v1/summary',
  'POST /v1/exceptions',
  'POST /v1/exceptions/{id}/approve',
  'POST /v1/exceptions/{id}/revoke',
  'POST /v1/scans',
];

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/**
 * Validates a document with @seriousme/openapi-schema-validator's own command. The package is
 * ESM-only, which Jest on Node 20 cannot load; Node itself runs its CLI.
 */
async function validateOpenApi(document: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  const directory = await mkdtemp(join(tmpdir(), 'seed-openapi-'));
  try {
    const file = join(directory, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
    // The command exits with 1 on an invalid document; its report is on stdout either way.
    const { stdout } = await promisify(execFile)(process.execPath, [cli, file]).catch((error: unknown) => ({
      stdout: (error as { stdout?: string }).stdout ?? '{"valid":false}',
    }));
    return JSON.parse(stdout) as { valid: boolean; errors?: unknown };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** OpenAPI, health, readiness, metrics and starting a scan through the API. */
describe('platform routes', () => {
  let scenario: AuditScenario;
  let api: ApiTestApp;
  let reader: string;
  let admin: string;

  beforeAll(async () => {
    scenario = await runAuditScenario();
    api = await startApiTestApp(scenario.scanning);
    reader = (await api.issueKey('reader')).token;
    admin = (await api.issueKey('admin')).token;
  }, 180_000);

  afterAll(async () => {
    await api.close();
    await scenario.scanning.close();
  });

  describe('OpenAPI', () => {
    it('serves a document that validates as OpenAPI 3', async () => {
      const document: unknown = (await api.http.get('/openapi.json').expect(200)).body;
      expect(await validateOpenApi(document)).toEqual({ valid: true });
    });

    it('documents every route the application serves, and only those', async () => {
      const document: unknown = (await api.http.get('/openapi.json').expect(200)).body;
      const documented = Object.entries(
        (document as { paths: Record<string, Record<string, unknown>> }).paths,
      )
        .flatMap(([path, operations]) =>
          Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
        )
        .sort();
      const router = (api.app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } }).router;
      const served = router.stack
        .flatMap((layer) =>
          layer.route === undefined
            ? []
            : Object.keys(layer.route.methods).map(
                (method) => `${method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`,
              ),
        )
        // Swagger's own routes, and the catch-all handlers Nest answers unknown routes with.
        .filter((route) => !/ \/(docs|openapi|\{\*path\})/.test(route))
        .sort();
      expect(documented).toEqual(EXPECTED_ROUTES);
      expect(served).toEqual(EXPECTED_ROUTES);
    });

    it('marks every /v1 route as needing the bearer key, and the probes as public', async () => {
      const document: unknown = (await api.http.get('/openapi.json').expect(200)).body;
      const paths = (document as { paths: Record<string, Record<string, { security?: unknown }>> }).paths;
      for (const [path, operations] of Object.entries(paths)) {
        for (const operation of Object.values(operations)) {
          expect([path, operation.security]).toEqual([
            path,
            path.startsWith('/v1') ? [{ bearer: [] }] : undefined,
          ]);
        }
      }
    });

    it.each(['/docs', '/docs/'])('serves the browsable page at %s', async (path) => {
      const response = await api.http.get(path).expect(200);
      expect(response.text).toContain('swagger-ui');
    });

    it.each(['/docs', '/docs/'])(
      'serves the script and styles of the page at %s, as a browser resolves them',
      async (path) => {
        const page = (await api.http.get(path).expect(200)).text;
        const assets = [...page.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((match) => match[1]!);
        expect(assets.length).toBeGreaterThan(0);
        for (const asset of assets) {
          await api.http.get(new URL(asset, `http://api.invalid${path}`).pathname).expect(200);
        }
      },
    );
  });

  describe('health', () => {
    it('answers liveness at /healthz', async () => {
      const response = await api.http.get('/healthz').expect(200);
      expect(response.body).toMatchObject({ status: 'ok' });
    });

    it('is ready when the database answers and has every migration', async () => {
      const response = await api.http.get('/readyz').expect(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        details: { database: { status: 'up' }, migrations: { status: 'up' } },
      });
    });

    it('is not ready (503) while a migration of this build is missing from the database', async () => {
      const dataSource = scenario.scanning.database.dataSource;
      const [applied] = await dataSource.query<[{ id: number; timestamp: string; name: string }]>(
        `SELECT * FROM "typeorm_migrations" WHERE "name" = 'ApiKeys1795300000000'`,
      );
      await dataSource.query(`DELETE FROM "typeorm_migrations" WHERE "id" = $1`, [applied.id]);
      try {
        const response = await api.http.get('/readyz').expect(503);
        expect(response.body).toMatchObject({
          status: 'error',
          error: { migrations: { status: 'down', pending: ['ApiKeys1795300000000'] } },
        });
      } finally {
        await dataSource.query(
          `INSERT INTO "typeorm_migrations" ("id", "timestamp", "name") VALUES ($1, $2, $3)`,
          [applied.id, applied.timestamp, applied.name],
        );
      }
      await api.http.get('/readyz').expect(200);
    });
  });

  describe('metrics', () => {
    it('exposes the audit state and the HTTP latency in the Prometheus format', async () => {
      await api.http.get('/v1/findings').set('Authorization', `Bearer ${reader}`).expect(200);
      const response = await api.http.get('/metrics').expect(200);
      expect(response.headers['content-type']).toContain('text/plain');
      const text = response.text;
      const present = scenario.second.coverage.reduce((total, scope) => total + scope.listed, 0);
      const resources = [...text.matchAll(/^seed_resources\{[^}]*\} (\d+)$/gm)].reduce(
        (total, match) => total + Number(match[1]),
        0,
      );
      expect(resources).toBe(present);
      expect(text).toMatch(/^seed_scans\{status="(succeeded|partial)"\} \d+$/m);
      expect(text).toMatch(/^seed_last_scan_duration_seconds\{status="\w+"\} [\d.]+$/m);
      expect(text).toContain('seed_last_scan_oss_errors{code="AccessDenied"} 2');
      expect(text).toMatch(/^seed_open_findings\{severity="high"\} \d+$/m);
      expect(text).toContain('seed_metrics_database_up 1');
      expect(text).toMatch(
        /^seed_http_request_duration_seconds_count\{method="GET",route="\/v1\/findings",status_code="200"\} [1-9]\d*$/m,
      );
    });

    it('labels requests by route template, never by raw path', async () => {
      await api.http.get('/v1/scans/1').set('Authorization', `Bearer ${reader}`).expect(200);
      await api.http.get('/v1/no/such/path').expect(404);
      const text = (await api.http.get('/metrics').expect(200)).text;
      expect(text).toContain('route="/v1/scans/:id"');
      expect(text).toMatch(
        /^seed_http_request_duration_seconds_count\{method="GET",route="[^"]+",status_code="404"\} 1$/m,
      );
      expect(text).not.toContain('/v1/no/such/path');
    });
  });

  describe('POST /v1/scans', () => {
    it('starts a scan (201), returns the running one while it runs (200), and the scan completes', async () => {
      // Slow listing keeps the scan running long enough to ask twice.
      scenario.scanning.emulator.setFaults([
        { match: { operation: 'ListBuckets' }, fault: { kind: 'latency', fixedMs: 1500 } },
      ]);
      const started = await api.http.post('/v1/scans').set('Authorization', `Bearer ${admin}`).expect(201);
      const scan = started.body as ScanBody;
      expect(scan).toMatchObject({ trigger: 'api', status: 'running', finishedAt: null, summary: null });
      const again = await api.http.post('/v1/scans').set('Authorization', `Bearer ${admin}`).expect(200);
      expect((again.body as ScanBody).id).toBe(scan.id);
      scenario.scanning.emulator.clearFaults();
      const finished = await scenario.scanning.runtime.waitForScan(scan.id);
      expect(finished.status).not.toBe('running');
      const stored = await api.http
        .get(`/v1/scans/${scan.id}`)
        .set('Authorization', `Bearer ${reader}`)
        .expect(200);
      expect(stored.body).toMatchObject({ id: scan.id, trigger: 'api', status: finished.status });
    });
  });
});

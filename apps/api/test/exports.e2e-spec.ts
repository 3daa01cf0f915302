import { generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';

import { Secret } from '@app/config';
import { verifyEvidencePack } from '@app/evidence';
import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';

import type { FindingBody } from '../src/findings/findings.schemas';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';
import { runAuditScenario, type AuditScenario } from './testing/audit-scenario';

/** Collects a binary body whole (supertest would otherwise try to read a ZIP as text). */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => {
    done(null, Buffer.concat(chunks));
  });
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('exports and evidence endpoints', () => {
  let scenario: AuditScenario;
  let api: ApiTestApp;
  let unsigned: ApiTestApp;
  let token: string;
  let openFindings: FindingBody[];
  const from = new Date(Date.now() - 60_000).toISOString();
  let to: string;

  beforeAll(async () => {
    scenario = await runAuditScenario();
    to = new Date(Date.now() + 1_000).toISOString();
    const signingKey = new Secret(
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    api = await startApiTestApp(scenario.scanning, { evidenceSigningKey: signingKey });
    unsigned = await startApiTestApp(scenario.scanning, { evidenceSigningKey: null });
    token = (await api.issueKey('reader')).token;
    openFindings = ((await get(api, '/v1/findings?limit=500').expect(200)).body as { items: FindingBody[] })
      .items;
  }, 180_000);

  afterAll(async () => {
    await unsigned.close();
    await api.close();
    await scenario.scanning.close();
  });

  const get = (app: ApiTestApp, path: string) => app.http.get(path).set('Authorization', `Bearer ${token}`);

  describe('GET /v1/exports/findings', () => {
    it('streams every open finding as one OCSF Compliance Finding per line', async () => {
      const response = await get(api, '/v1/exports/findings?format=ocsf').expect(200);
      expect(response.headers['content-type']).toContain('application/x-ndjson');
      const events = jsonLines(response.text);
      expect(events).toHaveLength(openFindings.length);
      expect(new Set(events.map((event) => event.class_uid))).toEqual(new Set([2003]));
      expect(events.map((event) => (event.finding_info as { uid: string }).uid).sort()).toEqual(
        openFindings.map((finding) => finding.findingKey).sort(),
      );
    });

    it('reports the denied buckets as compliance status Warning', async () => {
      const events = jsonLines(
        (await get(api, '/v1/exports/findings?format=ocsf&rule=unverifiable').expect(200)).text,
      );
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) expect(event.compliance).toMatchObject({ status_id: 2, status: 'Warning' });
    });

    it('streams the same findings as CSV with the filters of GET /v1/findings', async () => {
      const response = await get(api, '/v1/exports/findings?format=csv&severity=high').expect(200);
      expect(response.headers['content-type']).toContain('text/csv');
      const rows = parse<Record<string, string>>(response.text, { columns: true });
      expect(rows.map((row) => row.uid).sort()).toEqual(
        openFindings
          .filter((finding) => finding.severity === 'high')
          .map((finding) => finding.id)
          .sort(),
      );
    });

    it('answers for a past date with `at`: before the first scan nothing was open', async () => {
      const response = await get(
        api,
        `/v1/exports/findings?format=ocsf&at=${encodeURIComponent(from)}`,
      ).expect(200);
      expect(response.text).toBe('');
    });

    it('refuses an unknown format with a 400 naming the parameter', async () => {
      const response = await get(api, '/v1/exports/findings?format=xlsx').expect(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter: 'format' });
    });
  });

  describe('remediation guidance', () => {
    it('gives a finding its fix: the PutBucketEncryption body, ossutil, aliyun CLI and Terraform, applied by nobody', async () => {
      const finding = openFindings.find(
        (candidate) => candidate.resource.name === scenario.weakened && candidate.rule === 'unencrypted',
      );
      const detail = (await get(api, `/v1/findings/${finding?.id ?? ''}`).expect(200)).body as FindingBody & {
        remediation: { intent: string; steps: { tool: string; text: string }[] }[];
      };
      expect(detail).toMatchObject({ id: finding?.id, rule: 'unencrypted' });
      const [remedy] = detail.remediation;
      expect(remedy?.intent).toBe('set_bucket_encryption');
      const text = remedy?.steps.map((step) => `${step.tool}: ${step.text}`).join('\n') ?? '';
      expect(text).toContain('<SSEAlgorithm>KMS</SSEAlgorithm>');
      expect(text).toContain('alicloud_oss_bucket_server_side_encryption');
      expect(remedy?.steps.map((step) => step.tool)).toEqual(
        expect.arrayContaining(['http_api', 'aliyun_cli', 'terraform']),
      );
    });

    it('refuses an id that is not a uuid (400 naming id) and answers 404 for an unknown one', async () => {
      expect((await get(api, '/v1/findings/42').expect(400)).body).toMatchObject({ parameter: 'id' });
      await get(api, '/v1/findings/00000000-0000-4000-8000-000000000000').expect(404);
    });

    it('carries the remediation summary into the OCSF export', async () => {
      const events = jsonLines(
        (await get(api, '/v1/exports/findings?format=ocsf&rule=unencrypted').expect(200)).text,
      );
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        const bucket = (event.resources as { type: string }[])[0]?.type === 'bucket';
        expect(event.remediation).toMatchObject({
          desc: (bucket ? expect.stringContaining('SSE-KMS') : expect.stringMatching(/\S/)) as string,
        });
      }
    });
  });

  describe('GET /v1/evidence', () => {
    it('returns a signed ZIP of the period that verifies', async () => {
      const response = await get(
        api,
        `/v1/evidence?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      )
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(response.headers['content-type']).toBe('application/zip');
      expect(response.headers['content-disposition']).toContain('seed-evidence-');
      const verification = await verifyEvidencePack(
        Readable.from([response.body as Buffer]) as AsyncIterable<Uint8Array>,
      );
      expect(verification).toMatchObject({ valid: true, problems: [] });
    });

    it('refuses a period whose end is not after its start, naming `to`', async () => {
      const response = await get(
        api,
        `/v1/evidence?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`,
      ).expect(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter: 'to' });
    });

    it('refuses a missing bound and a malformed account list, naming each', async () => {
      expect(
        (await get(api, `/v1/evidence?from=${encodeURIComponent(from)}`).expect(400)).body,
      ).toMatchObject({
        parameter: 'to',
      });
      const bad = await get(
        api,
        `/v1/evidence?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&accounts=Prod,,x`,
      );
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ parameter: expect.stringMatching(/^accounts/) as string });
    });

    it('answers 503 when no signing key is configured, saying which configuration keys to set', async () => {
      const response = await get(
        unsigned,
        `/v1/evidence?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      ).expect(503);
      expect(response.body).toMatchObject({
        error: 'service_unavailable',
        message: expect.stringContaining('evidence.signingKeyFile or evidence.signingKeyEnv') as string,
      });
    });
  });
});

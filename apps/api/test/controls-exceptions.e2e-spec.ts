import { parseExceptionsFile } from '@app/compliance';
import type { FleetSpec } from '@app/oss-emulator';
import { ExceptionRepository } from '@app/persistence';
import { startScanEnvironment, type ScanEnvironment } from '@app/testing';

import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

const DAY_MS = 86_400_000;
const CONTROL = 'config-oss-bucket-server-side-encryption-enabled';
const FLEET: FleetSpec = {
  accounts: [
    {
      id: '1357924680135792',
      accessKeys: [
        { accessKeyId: 'LTAI5tControlsApi000001', accessKeySecret: 'controls-api-secret-00000000001' },
      ],
      buckets: [
        { name: 'legacy-dump', region: 'cn-hangzhou', encryption: null },
        { name: 'cdn-origin', region: 'cn-hangzhou', encryption: null },
        { name: 'service-keyed', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'KMS' } },
        { name: 'sm4-bucket', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'SM4' } },
      ],
      tableBuckets: [],
    },
  ],
};

interface ExceptionBody {
  readonly id: string;
  readonly state: string;
  readonly createdBy: string;
  readonly approvedBy: string | null;
}

interface ScoreBody {
  readonly counts: Record<string, number>;
  readonly score: number | null;
  readonly strictScore: number | null;
}

/**
 * /v1/exceptions and /v1/controls over a real scan of an emulated fleet: an exception created by one
 * admin key and approved by another suppresses a finding and a control result; scores leave the
 * suppressed result out; `at` answers for the past; the change record says who did what.
 */
describe('/v1/exceptions and /v1/controls', () => {
  let scanning: ScanEnvironment;
  let api: ApiTestApp;
  let reader: { Authorization: string };
  let alice: { Authorization: string };
  let bob: { Authorization: string };
  let exceptionId: string;
  let beforeScan: Date;

  beforeAll(async () => {
    scanning = await startScanEnvironment({ fleet: FLEET });
    api = await startApiTestApp(scanning);
    reader = { Authorization: `Bearer ${(await api.issueKey('reader', 'dashboard')).token}` };
    alice = { Authorization: `Bearer ${(await api.issueKey('admin', 'alice')).token}` };
    bob = { Authorization: `Bearer ${(await api.issueKey('admin', 'bob')).token}` };
  });

  afterAll(async () => {
    await api.close();
    await scanning.close();
  });

  const request = (expiresAt: Date) => ({
    scope: { type: 'resource', resourceKey: 'oss:legacy-dump' },
    controlIds: [CONTROL],
    findingRules: ['unencrypted'],
    reason: 'Legacy dump is read once a year; encryption lands with SEC-42',
    owner: 'alice@example.com',
    approver: 'bob',
    ticketUrl: 'https://jira.example.com/browse/SEC-42',
    expiresAt: expiresAt.toISOString(),
  });

  it('refuses a reader key, and names the field of a bad request', async () => {
    await api.http
      .post('/v1/exceptions')
      .set(reader)
      .send(request(new Date(Date.now() + DAY_MS)))
      .expect(403);
    const { expiresAt: _dropped, ...missingExpiry } = request(new Date());
    const response = await api.http.post('/v1/exceptions').set(alice).send(missingExpiry).expect(400);
    expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter: 'expiresAt' });
  });

  it('creates an exception pending approval; its creator cannot approve it, the named approver can', async () => {
    const created = await api.http
      .post('/v1/exceptions')
      .set(alice)
      .send(request(new Date(Date.now() + 10 * DAY_MS)))
      .expect(201);
    const body = created.body as ExceptionBody;
    expect(body).toMatchObject({ state: 'pending_approval', createdBy: 'alice', approvedBy: null });
    exceptionId = body.id;

    const refused = await api.http.post(`/v1/exceptions/${exceptionId}/approve`).set(alice).expect(403);
    expect(refused.body).toMatchObject({ error: 'forbidden' });
    const approved = await api.http.post(`/v1/exceptions/${exceptionId}/approve`).set(bob).expect(200);
    expect(approved.body).toMatchObject({ state: 'active', approvedBy: 'bob' });
  });

  it('shows the suppressed finding with its exception, apart from the open ones', async () => {
    beforeScan = new Date();
    await scanning.runScan();
    const suppressed = await api.http.get('/v1/findings?suppressed=true').set(reader).expect(200);
    expect((suppressed.body as { items: unknown[] }).items).toMatchObject([
      { rule: 'unencrypted', suppressed: true, exceptionId, resource: { name: 'legacy-dump' } },
    ]);
    const others = await api.http
      .get('/v1/findings?suppressed=false&rule=unencrypted')
      .set(reader)
      .expect(200);
    expect(
      (others.body as { items: { resource: { name: string } }[] }).items.map((item) => item.resource.name),
    ).toEqual(['cdn-origin']);
  });

  it('scores controls per account with the suppressed result left out of the score', async () => {
    const response = await api.http.get('/v1/controls').set(reader).expect(200);
    const report = response.body as {
      controls: (ScoreBody & { id: string; accounts: unknown[] })[];
      frameworks: { id: string }[];
      trend: unknown[];
    };
    const controls = report.controls;
    const sse = controls.find((control) => control.id === CONTROL);
    // Passes: service-keyed (KMS) and sm4-bucket (SM4); fails: cdn-origin; suppressed: legacy-dump.
    expect(sse?.counts).toMatchObject({ pass: 2, fail: 1, warning: 0, suppressed: 1, suppressedFail: 1 });
    expect(sse?.score).toBeCloseTo(2 / 3);
    expect(sse?.strictScore).toBeCloseTo(2 / 4);
    expect(sse?.accounts).toMatchObject([{ accountAlias: 'account-1', counts: { pass: 2, suppressed: 1 } }]);
    // CIS 5.8: the default-key bucket passes; SM4 and none fail (no exception covers CIS).
    const cis58 = controls.find((control) => control.id === 'cis-alibaba-v2.0.0-5.8');
    expect(cis58?.counts).toMatchObject({ pass: 1, fail: 3, suppressed: 0 });
    expect(report.frameworks.map((framework) => framework.id)).toContain('cis-alibaba-v2.0.0');
    expect(report.trend).toHaveLength(1);
  });

  it('lists one control’s results per resource, and nothing before the first scan (at=)', async () => {
    const response = await api.http.get(`/v1/controls/${CONTROL}`).set(reader).expect(200);
    const byName = Object.fromEntries(
      (
        response.body as { results: { resource: { name: string }; status: string; exceptionIds: string[] }[] }
      ).results.map((result) => [result.resource.name, [result.status, result.exceptionIds]]),
    );
    expect(byName).toEqual({
      'cdn-origin': ['fail', []],
      'legacy-dump': ['suppressed', [exceptionId]],
      'service-keyed': ['pass', []],
      'sm4-bucket': ['pass', []],
    });
    const past = await api.http
      .get(`/v1/controls/${CONTROL}?at=${encodeURIComponent(beforeScan.toISOString())}`)
      .set(reader)
      .expect(200);
    expect(past.body).toMatchObject({ scan: null, results: [] });
    await api.http.get('/v1/controls/no-such-control').set(reader).expect(404);
  });

  it('lists the exception as active and as expiring within 30 days, not within 5', async () => {
    const list = await api.http.get('/v1/exceptions?state=active').set(reader).expect(200);
    expect((list.body as { items: ExceptionBody[] }).items.map((item) => item.id)).toEqual([exceptionId]);
    const soon = await api.http.get('/v1/exceptions/expiring?days=30').set(reader).expect(200);
    expect((soon.body as { items: ExceptionBody[] }).items.map((item) => item.id)).toEqual([exceptionId]);
    const later = await api.http.get('/v1/exceptions/expiring?days=5').set(reader).expect(200);
    expect((later.body as { items: ExceptionBody[] }).items).toEqual([]);
  });

  it('revokes with a reason once, and the change record says who did what', async () => {
    await api.http
      .post(`/v1/exceptions/${exceptionId}/revoke`)
      .set(bob)
      .send({ reason: 'SEC-42 done early' })
      .expect(200);
    await api.http
      .post(`/v1/exceptions/${exceptionId}/revoke`)
      .set(bob)
      .send({ reason: 'again' })
      .expect(409);
    const changes = await api.http.get(`/v1/exceptions/${exceptionId}/changes`).set(reader).expect(200);
    expect(
      (changes.body as { items: { action: string; actor: string; note: string | null }[] }).items.map(
        (change) => [change.action, change.actor, change.note],
      ),
    ).toEqual([
      ['created', 'alice', null],
      ['approved', 'bob', null],
      ['revoked', 'bob', 'SEC-42 done early'],
    ]);
  });

  it('refuses to approve or revoke a file exception through the API (it changes in git)', async () => {
    const created = new Date(Date.now() - DAY_MS).toISOString();
    const parsed = parseExceptionsFile({
      version: 1,
      exceptions: [
        {
          ...request(new Date(Date.now() + 5 * DAY_MS)),
          id: 'from-git',
          approver: 'security-lead',
          createdBy: 'platform-team',
          createdAt: created,
          approvedAt: created,
        },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    await new ExceptionRepository(scanning.database.dataSource).syncFile(parsed.value, {
      actor: 'file:exceptions.yaml',
      at: new Date(),
    });
    const refused = await api.http
      .post('/v1/exceptions/file:from-git/revoke')
      .set(bob)
      .send({ reason: 'not here' })
      .expect(409);
    expect(refused.body).toMatchObject({ error: 'conflict' });
    const listed = await api.http.get('/v1/exceptions?source=file').set(reader).expect(200);
    expect((listed.body as { items: ExceptionBody[] }).items).toMatchObject([
      { id: 'file:from-git', state: 'active' },
    ]);
  });
});

import { storeApprovedException } from '@app/testing';
import type { z } from 'zod';

import type { RESOURCE } from '../src/resources/resources.schemas';
import type { SUMMARY } from '../src/summary/summary.schemas';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';
import { runAuditScenario, type AuditScenario } from './testing/audit-scenario';

type ResourceBody = z.input<typeof RESOURCE>;
type SummaryBody = z.input<typeof SUMMARY>;

/** `/v1/resources?at=` and `/v1/summary?at=`: the whole fleet as it stood between two real scans. */
describe('the fleet at a date', () => {
  let scenario: AuditScenario;
  let api: ApiTestApp;
  let token: string;
  /** After the first scan ended, before the fleet changed and the second scan started. */
  let between: string;

  const body = async <T>(path: string): Promise<T> =>
    (await api.http.get(path).set('Authorization', `Bearer ${token}`).expect(200)).body as T;
  const resources = async (query: string): Promise<ResourceBody[]> =>
    (await body<{ items: ResourceBody[] }>(`/v1/resources?limit=500&${query}`)).items;
  const named = (items: readonly ResourceBody[], name: string) => items.find((item) => item.name === name);

  beforeAll(async () => {
    scenario = await runAuditScenario();
    api = await startApiTestApp(scenario.scanning);
    token = (await api.issueKey('reader')).token;
    between = encodeURIComponent((scenario.first.finishedAt ?? scenario.second.startedAt).toISOString());
  }, 180_000);

  afterAll(async () => {
    await api.close();
    await scenario.scanning.close();
  });

  it('shows each resource with the encryption it had then: the weakened bucket was still on its KMS key', async () => {
    const now = named(await resources('kind=bucket'), scenario.weakened);
    const then = named(await resources(`kind=bucket&at=${between}`), scenario.weakened);
    expect(now).toMatchObject({ current: { class: 'none' } });
    expect(then).toMatchObject({ current: { class: 'kms_cmk' }, state: 'present' });
  });

  it('lists the deleted bucket as present then, and filters by the class it had then', async () => {
    expect(named(await resources('state=deleted'), scenario.removed)).toBeDefined();
    expect(named(await resources(`at=${between}`), scenario.removed)).toMatchObject({ state: 'present' });
    expect(named(await resources(`state=deleted&at=${between}`), scenario.removed)).toBeUndefined();
    const unencryptedThen = await resources(`class=none&at=${between}`);
    expect(named(unencryptedThen, scenario.strengthened)).toBeDefined();
    expect(named(unencryptedThen, scenario.weakened)).toBeUndefined();
  });

  it('counts the posture as it was: the resources and findings the first scan left', async () => {
    const now = await body<SummaryBody>('/v1/summary');
    const then = await body<SummaryBody>(`/v1/summary?at=${between}`);
    const present = await resources(`at=${between}`);
    expect(then.resources.total).toBe(present.length);
    expect(then.resources.total).not.toBe(now.resources.total);
    const firstPoint = now.trend.find((point) => point.scanId === scenario.first.id);
    expect(then.openFindings.total).toBe(firstPoint?.openFindings);
    expect(then.trend.map((point) => point.scanId)).toEqual([scenario.first.id]);
  });

  it('has nothing before the first scan: no resource, no finding', async () => {
    const before = encodeURIComponent(new Date(scenario.first.startedAt.getTime() - 60_000).toISOString());
    const summary = await body<SummaryBody>(`/v1/summary?at=${before}`);
    expect([summary.resources.total, summary.openFindings.total, summary.trend]).toEqual([0, 0, []]);
    expect(await resources(`at=${before}`)).toEqual([]);
  });

  it('counts a finding an exception active then covered as suppressed, not open, in the summary and its trend', async () => {
    const before = await body<SummaryBody>(`/v1/summary?at=${between}`);
    const bucket = named(await resources(`at=${between}`), scenario.strengthened);
    if (bucket === undefined) throw new Error('the strengthened bucket was present then');
    // Approved before the first scan and recorded only now: the count at the date reconstructs it.
    await storeApprovedException(
      scenario.scanning.database.dataSource,
      'exc-strengthened',
      {
        scope: { type: 'resource', resourceKey: bucket.resourceKey },
        controlIds: [],
        findingRules: ['unencrypted'],
        reason: 'Encrypted with SEC-77 before the next scan',
        ticketUrl: 'https://jira.example.com/browse/SEC-77',
        expiresAt: new Date(Date.now() + 30 * 86_400_000),
      },
      scenario.first.startedAt,
    );
    const after = await body<SummaryBody>(`/v1/summary?at=${between}`);

    expect([before.suppressedFindings, after.suppressedFindings]).toEqual([0, 1]);
    expect(after.openFindings.total).toBe(before.openFindings.total - 1);
    expect(after.openFindings.byRule.unencrypted).toBe(before.openFindings.byRule.unencrypted - 1);
    expect(after.trend.map((point) => [point.openFindings, point.suppressedFindings])).toEqual([
      [before.openFindings.total - 1, 1],
    ]);
  });
});

import { SEVERITIES } from '@app/audit';
import { parse } from 'csv-parse/sync';
import type { z } from 'zod';

import type { ACCOUNTS } from '../src/accounts/accounts.schemas';
import type { FindingBody } from '../src/findings/findings.schemas';
import type { RESOURCE } from '../src/resources/resources.schemas';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';
import { runAuditScenario, type AuditScenario } from './testing/audit-scenario';
import { walkPages } from './testing/pages';

type ResourceBody = z.input<typeof RESOURCE>;
type AccountBody = z.input<typeof ACCOUNTS>['items'][number];

const rank = (finding: FindingBody) => SEVERITIES.indexOf(finding.severity);
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The orders `sort` promises, as comparators over the API's own findings. */
const ORDERS: Readonly<Record<'severity' | 'opened' | 'name', (a: FindingBody, b: FindingBody) => number>> = {
  severity: (a, b) => rank(b) - rank(a) || b.firstSeenAt.localeCompare(a.firstSeenAt) || byId(b, a),
  opened: (a, b) => b.firstSeenAt.localeCompare(a.firstSeenAt) || byId(b, a),
  name: (a, b) =>
    (a.resource.name < b.resource.name ? -1 : a.resource.name > b.resource.name ? 1 : 0) ||
    a.resource.id - b.resource.id ||
    byId(a, b),
};

/**
 * The console's filters on a real scanned fleet: comma lists, minSeverity, accounts by uid,
 * controls, sort orders with their own cursors, lookup by ARN or name, and exports that take
 * exactly the filters of the list.
 */
describe('findings and resources filters', () => {
  let scenario: AuditScenario;
  let api: ApiTestApp;
  let token: string;
  let allFindings: FindingBody[];
  let allResources: ResourceBody[];
  let account: AccountBody & { accountId: string };

  const get = (path: string) => api.http.get(path).set('Authorization', `Bearer ${token}`);
  const body = async <T>(path: string): Promise<T> => (await get(path).expect(200)).body as T;
  const findings = async (query: string): Promise<FindingBody[]> =>
    (await walkPages(api, token, `/v1/findings?${query}`, 4)).items as FindingBody[];

  beforeAll(async () => {
    scenario = await runAuditScenario();
    api = await startApiTestApp(scenario.scanning);
    token = (await api.issueKey('reader')).token;
    allFindings = (await body<{ items: FindingBody[] }>('/v1/findings?status=all&limit=500')).items;
    allResources = (await body<{ items: ResourceBody[] }>('/v1/resources?state=all&limit=500')).items;
    const accounts = (await body<z.input<typeof ACCOUNTS>>('/v1/accounts')).items;
    const withUid = accounts.find((candidate) => candidate.accountId !== null);
    if (withUid?.accountId == null) throw new Error('The scenario has no account with a known uid');
    account = { ...withUid, accountId: withUid.accountId };
  }, 180_000);

  afterAll(async () => {
    await api.close();
    await scenario.scanning.close();
  });

  describe('GET /v1/findings', () => {
    it('lists the most severe first by default', () => {
      expect(allFindings.length).toBeGreaterThan(4);
      expect(allFindings).toEqual([...allFindings].sort(ORDERS.severity));
    });

    it.each<[string, (finding: FindingBody) => boolean]>([
      ['status=all&rule=unencrypted,non_kms', (f) => f.rule === 'unencrypted' || f.rule === 'non_kms'],
      ['status=all&severity=high,low', (f) => f.severity === 'high' || f.severity === 'low'],
      ['status=all&kind=table_bucket,table', (f) => ['table_bucket', 'table'].includes(f.resource.kind)],
      ['status=all&region=cn-shanghai,cn-nowhere', (f) => f.resource.region === 'cn-shanghai'],
      ['status=all&account=account-2,account-9', (f) => f.resource.accountAlias === 'account-2'],
      ['status=open,resolved&rule=non_kms', (f) => f.rule === 'non_kms'],
      ['status=resolved', (f) => f.status === 'resolved'],
      ['status=all&minSeverity=high', (f) => f.severity === 'high' || f.severity === 'critical'],
      [
        'status=all&minSeverity=medium&kind=bucket&rule=unverifiable,non_kms',
        (f) =>
          rank(f) >= SEVERITIES.indexOf('medium') &&
          f.resource.kind === 'bucket' &&
          (f.rule === 'unverifiable' || f.rule === 'non_kms'),
      ],
      [
        'status=all&control=config-oss-bucket-server-side-encryption-enabled',
        (f) => f.resource.kind === 'bucket' && (f.rule === 'unencrypted' || f.rule === 'unverifiable'),
      ],
      [
        'status=all&control=seed-table-bucket-default-encryption',
        (f) => f.resource.kind === 'table_bucket' && (f.rule === 'unencrypted' || f.rule === 'unverifiable'),
      ],
    ])('filters by %s, across pages', async (query, predicate) => {
      const expected = allFindings.filter(predicate);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(allFindings.length);
      expect(await findings(query)).toEqual(expected);
    });

    it('matches an account by its uid exactly as by its alias', async () => {
      const byAlias = await findings(`status=all&account=${account.alias}`);
      expect(byAlias.length).toBeGreaterThan(0);
      expect(byAlias.every((finding) => finding.resource.accountAlias === account.alias)).toBe(true);
      expect(await findings(`status=all&account=${account.accountId}`)).toEqual(byAlias);
    });

    it.each<[string, string, string]>([
      ['rule=unencrypted,plaintext', 'rule', 'plaintext'],
      ['severity=high,urgent', 'severity', 'urgent'],
      ['kind=bucket,disk', 'kind', 'disk'],
      ['status=open,closed', 'status', 'closed'],
      ['region=cn-hangzhou,', 'region', '""'],
    ])('refuses %s with a 400 naming %s and the value', async (query, parameter, value) => {
      const response = await get(`/v1/findings?${query}`).expect(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter });
      expect((response.body as { message: string }).message).toContain(value);
    });

    it.each<[string, string]>([
      ['minSeverity=severe', 'minSeverity'],
      ['minSeverity=high,critical', 'minSeverity'],
      ['control=cis-9.9', 'control'],
      ['sort=random', 'sort'],
    ])('refuses %s with a 400 naming %s', async (query, parameter) => {
      const response = await get(`/v1/findings?${query}`).expect(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter });
    });

    it.each(['severity', 'opened', 'name'] as const)(
      'walks every finding exactly once sorted by %s, in that order',
      async (sort) => {
        const walked = await walkPages(api, token, `/v1/findings?status=all&sort=${sort}`, 3);
        expect(walked.pages).toBeGreaterThan(2);
        expect(walked.items as FindingBody[]).toEqual([...allFindings].sort(ORDERS[sort]));
      },
    );

    it('refuses a cursor issued for another sort with a 400 naming the cursor', async () => {
      const { nextCursor } = await body<{ nextCursor: string }>('/v1/findings?status=all&sort=name&limit=2');
      const response = await get(
        `/v1/findings?status=all&sort=opened&limit=2&cursor=${encodeURIComponent(nextCursor)}`,
      ).expect(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter: 'cursor' });
      expect((response.body as { message: string }).message).toContain('another sort order');
    });
  });

  describe('GET /v1/exports/findings', () => {
    const FILTERED = 'status=all&rule=unencrypted,non_kms,unverifiable&minSeverity=medium&kind=bucket';

    it('exports as CSV exactly the findings the list gives for the same filters', async () => {
      const listed = await findings(`${FILTERED}&account=${account.accountId}`);
      expect(listed.length).toBeGreaterThan(0);
      const csv = await get(
        `/v1/exports/findings?format=csv&${FILTERED}&account=${account.accountId}`,
      ).expect(200);
      const rows = parse<Record<string, string>>(csv.text, { columns: true });
      expect(rows.map((row) => row.uid).sort()).toEqual(listed.map((finding) => finding.id).sort());
    });

    it('exports as OCSF exactly the findings the list gives for the same filters, control included', async () => {
      const query = 'status=open&control=config-oss-default-encryption-kms&severity=high,medium';
      const listed = await findings(query);
      expect(listed.length).toBeGreaterThan(0);
      const ocsf = await get(`/v1/exports/findings?format=ocsf&${query}`).expect(200);
      const events = ocsf.text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { finding_info: { uid: string } });
      expect(events.map((event) => event.finding_info.uid).sort()).toEqual(
        listed.map((finding) => finding.findingKey).sort(),
      );
    });

    it('refuses a bad filter value exactly as the list does', async () => {
      const response = await get('/v1/exports/findings?format=csv&rule=non_kms,nope').expect(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter: 'rule' });
    });
  });

  describe('GET /v1/resources', () => {
    it.each<[string, (resource: ResourceBody) => boolean]>([
      ['kind=bucket,table_bucket', (r) => r.kind === 'bucket' || r.kind === 'table_bucket'],
      ['class=none,oss_aes256', (r) => r.current?.class === 'none' || r.current?.class === 'oss_aes256'],
      ['region=cn-hangzhou', (r) => r.region === 'cn-hangzhou'],
      [
        'account=account-1,account-2&class=kms_cmk,kms_default&kind=bucket',
        (r) => ['kms_cmk', 'kms_default'].includes(r.current?.class ?? '') && r.kind === 'bucket',
      ],
    ])('filters by %s, across pages', async (query, predicate) => {
      const expected = allResources.filter((resource) => resource.state === 'present' && predicate(resource));
      expect(expected.length).toBeGreaterThan(0);
      expect((await walkPages(api, token, `/v1/resources?${query}`, 3)).items as ResourceBody[]).toEqual(
        expected,
      );
    });

    it('matches an account by its uid exactly as by its alias', async () => {
      const byAlias = (await walkPages(api, token, `/v1/resources?account=${account.alias}`, 5)).items;
      expect(byAlias.length).toBeGreaterThan(0);
      expect((await walkPages(api, token, `/v1/resources?account=${account.accountId}`, 5)).items).toEqual(
        byAlias,
      );
    });

    it('refuses a bad class with a 400 naming class and the value', async () => {
      const response = await get('/v1/resources?class=kms_cmk,rot13').expect(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter: 'class' });
      expect((response.body as { message: string }).message).toContain('rot13');
    });
  });

  describe('GET /v1/resources/lookup', () => {
    const resourceOfKind = (kind: ResourceBody['kind']): ResourceBody => {
      const found = allResources.find((resource) => resource.kind === kind && resource.state === 'present');
      if (found === undefined) throw new Error(`No ${kind} in the scenario`);
      return found;
    };

    it('finds a table bucket by its ARN', async () => {
      const tableBucket = resourceOfKind('table_bucket');
      expect(tableBucket.resourceKey.startsWith('acs:osstables:')).toBe(true);
      const found = await body<{ items: ResourceBody[] }>(
        `/v1/resources/lookup?arn=${encodeURIComponent(tableBucket.resourceKey)}`,
      );
      expect(found.items).toEqual([tableBucket]);
    });

    it('finds a bucket by its OSS ARN (acs:oss:{region}:{uid}:{bucket})', async () => {
      const bucket = resourceOfKind('bucket');
      const arn = `acs:oss:${bucket.region}:${bucket.accountId ?? '*'}:${bucket.name}`;
      const found = await body<{ items: ResourceBody[] }>(
        `/v1/resources/lookup?arn=${encodeURIComponent(arn)}`,
      );
      expect(found.items).toEqual([bucket]);
    });

    it('finds a resource by name, of one kind when asked, a deleted one included', async () => {
      const removed = allResources.find((resource) => resource.name === scenario.removed);
      expect(removed?.state).toBe('deleted');
      const found = await body<{ items: ResourceBody[] }>(
        `/v1/resources/lookup?name=${encodeURIComponent(scenario.removed)}&kind=bucket`,
      );
      expect(found.items).toEqual([removed]);
      const tableBucket = resourceOfKind('table_bucket');
      const byName = await body<{ items: ResourceBody[] }>(
        `/v1/resources/lookup?name=${encodeURIComponent(tableBucket.name)}`,
      );
      expect(byName.items).toEqual(allResources.filter((resource) => resource.name === tableBucket.name));
    });

    it('answers 404 in the API error shape when nothing matches', async () => {
      const response = await get('/v1/resources/lookup?name=no-such-bucket&kind=bucket').expect(404);
      expect(response.body).toEqual({
        error: 'not_found',
        message: 'No resource is named no-such-bucket (bucket)',
      });
      await get(`/v1/resources/lookup?arn=${encodeURIComponent('acs:oss:*:*:no-such-bucket')}`).expect(404);
    });

    it.each<[string, string]>([
      ['', 'arn'],
      ['arn=acs:oss:*:*:a&name=a', 'arn'],
      ['kind=bucket', 'arn'],
      ['name=a&kind=vm', 'kind'],
    ])('refuses ?%s with a 400 naming %s', async (query, parameter) => {
      const response = await get(`/v1/resources/lookup?${query}`).expect(400);
      expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter });
    });
  });
});

import { fleetResourceKeys } from '@app/testing';
import type { z } from 'zod';

import type { DRIFT_EVENT } from '../src/drift/drift.schemas';
import type { FindingBody } from '../src/findings/findings.schemas';
import type {
  OBSERVATION_CHANGE,
  RESOURCE,
  RESOURCE_DETAIL,
  STATE_AT,
} from '../src/resources/resources.schemas';
import type { SCAN } from '../src/scans/scans.schemas';
import type { SUMMARY } from '../src/summary/summary.schemas';
import { anyNumber, anyString, objectLike } from './testing/matchers';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';
import { runAuditScenario, SCENARIO_KMS_KEY, type AuditScenario } from './testing/audit-scenario';
import { walkPages } from './testing/pages';

type DriftBody = z.input<typeof DRIFT_EVENT>;
type ResourceBody = z.input<typeof RESOURCE>;
type ChangeBody = z.input<typeof OBSERVATION_CHANGE>;

/**
 * Every read endpoint over data written by two real scans of the emulator (see `runAuditScenario`):
 * what each returns, every filter, and pagination that yields each row exactly once.
 */
describe('read endpoints', () => {
  let scenario: AuditScenario;
  let api: ApiTestApp;
  let token: string;
  let allFindings: FindingBody[];
  let allDrift: DriftBody[];
  let allResources: ResourceBody[];

  const get = (path: string) => api.http.get(path).set('Authorization', `Bearer ${token}`);
  const body = async <T>(path: string): Promise<T> => (await get(path).expect(200)).body as T;
  const resourceNamed = (name: string): ResourceBody => {
    const found = allResources.find((resource) => resource.name === name);
    if (found === undefined) throw new Error(`No resource named ${name}`);
    return found;
  };

  beforeAll(async () => {
    scenario = await runAuditScenario();
    api = await startApiTestApp(scenario.scanning);
    token = (await api.issueKey('reader')).token;
    allFindings = (await body<{ items: FindingBody[] }>('/v1/findings?status=all&limit=500')).items;
    allDrift = (await body<{ items: DriftBody[] }>('/v1/drift?limit=500')).items;
    allResources = (await body<{ items: ResourceBody[] }>('/v1/resources?state=all&limit=500')).items;
  }, 180_000);

  afterAll(async () => {
    await api.close();
    await scenario.scanning.close();
  });

  describe('GET /v1/findings', () => {
    it('lists open findings by default, each with resource, encryption, first and last seen and its proof', async () => {
      const { items } = await body<{ items: FindingBody[] }>('/v1/findings?limit=500');
      expect(items.length).toBeGreaterThan(0);
      expect(items).toEqual(allFindings.filter((finding) => finding.status === 'open'));
      for (const finding of items) {
        expect(finding).toMatchObject({
          resource: {
            id: anyNumber,
            resourceKey: anyString,
            accountAlias: anyString,
          },
          encryption: { class: anyString },
          firstSeenAt: anyString,
          lastSeenAt: anyString,
          evidence: { scanId: scenario.second.id, changeId: anyNumber },
        });
      }
    });

    it('proves a finding with the scan that saw it and the observation it saw', async () => {
      const finding = allFindings.find(
        (candidate) => candidate.resource.name === scenario.weakened && candidate.rule === 'unencrypted',
      );
      expect(finding).toMatchObject({
        status: 'open',
        severity: 'high',
        openedScanId: scenario.second.id,
        encryption: { class: 'none', algorithm: null, kmsKeyId: null },
      });
      const history = await body<{ items: ChangeBody[] }>(`/v1/resources/${finding!.resource.id}/history`);
      const evidence = history.items.find((change) => change.changeId === finding!.evidence.changeId);
      expect(evidence).toMatchObject({ scanId: scenario.second.id, encryption: { class: 'none' } });
    });

    it('resolves the finding of a fixed bucket as fixed, and of a deleted one as resource_deleted', () => {
      const fixed = allFindings.find((finding) => finding.resource.name === scenario.strengthened);
      expect(fixed).toMatchObject({
        status: 'resolved',
        resolution: 'fixed',
        resolvedScanId: scenario.second.id,
      });
      const deleted = allFindings.find((finding) => finding.resource.name === scenario.removed);
      expect(deleted).toMatchObject({ status: 'resolved', resolution: 'resource_deleted', rule: 'non_kms' });
    });

    it('walks every finding exactly once across pages, in the order of a single page', async () => {
      const walked = await walkPages(api, token, '/v1/findings?status=all', 4);
      const walkedItems = walked.items as FindingBody[];
      expect(walked.pages).toBeGreaterThan(3);
      expect(walkedItems.map((finding) => finding.id)).toEqual(allFindings.map((finding) => finding.id));
      const [{ count }] = await scenario.scanning.database.dataSource.query<[{ count: string }]>(
        `SELECT count(*) FROM "findings"`,
      );
      expect(new Set(walkedItems.map((finding) => finding.id)).size).toBe(Number(count));
    });

    it.each<[string, (finding: FindingBody, scenario: AuditScenario) => boolean]>([
      ['status=resolved', (f) => f.status === 'resolved'],
      ['status=all&rule=unencrypted', (f) => f.rule === 'unencrypted'],
      ['status=all&rule=unverifiable', (f) => f.rule === 'unverifiable'],
      ['status=all&severity=medium', (f) => f.severity === 'medium'],
      ['status=all&kind=table_bucket', (f) => f.resource.kind === 'table_bucket'],
      ['status=all&account=account-2', (f) => f.resource.accountAlias === 'account-2'],
      ['status=all&region=cn-shanghai', (f) => f.resource.region === 'cn-shanghai'],
      ['status=all&namePrefix=tables-', (f) => f.resource.name.startsWith('tables-')],
      [
        'status=open&severity=high&account=account-1',
        (f) => f.status === 'open' && f.severity === 'high' && f.resource.accountAlias === 'account-1',
      ],
      ['status=all&openedSince=SECOND', (f, s) => f.openedScanId === s.second.id],
      ['status=all&resolvedSince=SECOND', (f, s) => f.resolvedScanId === s.second.id],
    ])('filters by %s', async (query, predicate) => {
      const path = `/v1/findings?${query.replace('SECOND', encodeURIComponent(scenario.second.startedAt.toISOString()))}`;
      const expected = allFindings.filter((finding) => predicate(finding, scenario));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(allFindings.length);
      const walked = await walkPages(api, token, path, 3);
      const walkedItems = walked.items as FindingBody[];
      expect(walkedItems).toEqual(expected);
    });

    it('finds nothing opened after the last scan', async () => {
      const after = new Date(scenario.second.finishedAt!.getTime() + 1000).toISOString();
      expect(await body(`/v1/findings?openedSince=${encodeURIComponent(after)}`)).toEqual({
        items: [],
        nextCursor: null,
      });
    });
  });

  describe('GET /v1/drift', () => {
    it('records the weakening, the strengthening and the deletion with before, after and proof', () => {
      const weakened = allDrift.find(
        (event) => event.resource.name === scenario.weakened && event.scanId === scenario.second.id,
      );
      expect(weakened).toMatchObject({
        type: 'encryption_changed',
        direction: 'weakened',
        previousScanId: scenario.first.id,
        before: { class: 'kms_cmk', changeId: anyNumber },
        after: { class: 'none', changeId: anyNumber },
      });
      const strengthened = allDrift.find(
        (event) => event.resource.name === scenario.strengthened && event.scanId === scenario.second.id,
      );
      expect(strengthened).toMatchObject({
        direction: 'strengthened',
        before: { class: 'none' },
        after: { class: 'kms_cmk', kmsKeyId: SCENARIO_KMS_KEY },
      });
      const removed = allDrift.find(
        (event) => event.resource.name === scenario.removed && event.scanId === scenario.second.id,
      );
      expect(removed).toMatchObject({ type: 'disappeared', before: { class: 'oss_aes256' }, after: null });
    });

    it('walks every drift event exactly once across pages', async () => {
      const walked = await walkPages(api, token, '/v1/drift', 5);
      const walkedItems = walked.items as DriftBody[];
      expect(walkedItems.map((event) => event.id)).toEqual(allDrift.map((event) => event.id));
      expect(new Set(walkedItems.map((event) => event.id)).size).toBe(allDrift.length);
    });

    it.each<[string, (event: DriftBody, scenario: AuditScenario) => boolean]>([
      ['type=appeared', (e) => e.type === 'appeared'],
      ['type=disappeared', (e) => e.type === 'disappeared'],
      ['direction=weakened', (e) => e.direction === 'weakened'],
      ['direction=strengthened', (e) => e.direction === 'strengthened'],
      ['kind=table_bucket', (e) => e.resource.kind === 'table_bucket'],
      ['account=account-1', (e) => e.resource.accountAlias === 'account-1'],
      ['region=cn-hangzhou', (e) => e.resource.region === 'cn-hangzhou'],
      ['namePrefix=fleet-0', (e) => e.resource.name.startsWith('fleet-0')],
      ['since=SECOND', (e, s) => e.scanId === s.second.id],
      ['until=SECOND', (e, s) => e.scanId === s.first.id],
      ['since=FIRST&until=SECOND&type=appeared', (e, s) => e.scanId === s.first.id && e.type === 'appeared'],
    ])('filters by %s', async (query, predicate) => {
      const path = `/v1/drift?${query
        .replace('SECOND', encodeURIComponent(scenario.second.startedAt.toISOString()))
        .replace('FIRST', encodeURIComponent(scenario.first.startedAt.toISOString()))}`;
      const expected = allDrift.filter((event) => predicate(event, scenario));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(allDrift.length);
      expect((await walkPages(api, token, path, 2)).items as DriftBody[]).toEqual(expected);
    });
  });

  describe('GET /v1/resources', () => {
    it('lists present resources by default: everything the last scan listed', async () => {
      const present = await body<{ items: ResourceBody[] }>('/v1/resources?limit=500');
      const listed = scenario.second.coverage.reduce((total, scope) => total + scope.listed, 0);
      expect(present.items).toHaveLength(listed);
      expect(present.items.every((resource) => resource.state === 'present')).toBe(true);
    });

    it('lists the deleted bucket under state=deleted, with the scan that found it gone', async () => {
      const deleted = await body<{ items: ResourceBody[] }>('/v1/resources?state=deleted');
      expect(deleted.items).toEqual([
        objectLike({
          name: scenario.removed,
          state: 'deleted',
          deleted: objectLike({ scanId: scenario.second.id }),
        }),
      ]);
    });

    it('shows denied buckets as unknown, with the error that prevented the observation', () => {
      const unknown = allResources.filter((resource) => resource.current?.class === 'unknown');
      expect(unknown).toHaveLength(2);
      expect(unknown.every((resource) => resource.current?.errorCode === 'AccessDenied')).toBe(true);
    });

    it('walks every resource exactly once across pages', async () => {
      const walked = await walkPages(api, token, '/v1/resources?state=all', 7);
      const walkedItems = walked.items as ResourceBody[];
      expect(walkedItems).toEqual(allResources);
    });

    it.each<[string, (resource: ResourceBody) => boolean]>([
      ['class=oss_aes256', (r) => r.current?.class === 'oss_aes256'],
      ['kind=table_bucket', (r) => r.kind === 'table_bucket'],
      ['account=account-2', (r) => r.accountAlias === 'account-2'],
      ['region=cn-shanghai', (r) => r.region === 'cn-shanghai'],
      ['namePrefix=fleet-1', (r) => r.name.startsWith('fleet-1')],
      [
        'class=kms_cmk&kind=bucket&account=account-1',
        (r) => r.current?.class === 'kms_cmk' && r.kind === 'bucket' && r.accountAlias === 'account-1',
      ],
    ])('filters by %s', async (query, predicate) => {
      const expected = allResources.filter((resource) => resource.state === 'present' && predicate(resource));
      expect(expected.length).toBeGreaterThan(0);
      expect((await walkPages(api, token, `/v1/resources?${query}`, 3)).items as ResourceBody[]).toEqual(
        expected,
      );
    });
  });

  describe('GET /v1/resources/{id}', () => {
    it('returns the current state and the open findings', async () => {
      const resource = resourceNamed(scenario.weakened);
      const detail = await body<z.input<typeof RESOURCE_DETAIL>>(`/v1/resources/${resource.id}`);
      expect(detail).toMatchObject({
        ...resource,
        current: { class: 'none', since: anyString },
        openFindings: [objectLike({ rule: 'unencrypted', status: 'open' })],
      });
    });
  });

  describe('GET /v1/resources/{id}/history', () => {
    it('lists the distinct observations newest first, each with the scan that first made it', async () => {
      const resource = resourceNamed(scenario.weakened);
      const history = await body<{ items: ChangeBody[]; nextCursor: string | null }>(
        `/v1/resources/${resource.id}/history`,
      );
      expect(history.items.map((change) => [change.encryption.class, change.scanId])).toEqual([
        ['none', scenario.second.id],
        ['kms_cmk', scenario.first.id],
      ]);
      expect(history.nextCursor).toBeNull();
      expect(history.items[0]!.changeId).toBe(resource.current!.changeId);
    });

    it('pages the change log', async () => {
      const resource = resourceNamed(scenario.weakened);
      const walked = await walkPages(api, token, `/v1/resources/${resource.id}/history`, 1);
      const walkedItems = walked.items as ChangeBody[];
      expect(walked.pages).toBe(2);
      expect(walkedItems.map((change) => change.encryption.class)).toEqual(['none', 'kms_cmk']);
    });

    it('answers what was true at an instant after the first scan: the customer key, seen by that scan', async () => {
      const resource = resourceNamed(scenario.weakened);
      const at = scenario.first.finishedAt!.toISOString();
      const state = await body<z.input<typeof STATE_AT>>(
        `/v1/resources/${resource.id}/history?at=${encodeURIComponent(at)}`,
      );
      expect(state).toMatchObject({
        resourceId: resource.id,
        at,
        observation: { encryption: { class: 'kms_cmk' }, scanId: scenario.first.id },
        lastObservedBy: { scanId: scenario.first.id },
        deleted: null,
      });
    });

    it('answers what was true after the second scan: no encryption', async () => {
      const resource = resourceNamed(scenario.weakened);
      const at = scenario.second.finishedAt!.toISOString();
      const state = await body<z.input<typeof STATE_AT>>(
        `/v1/resources/${resource.id}/history?at=${encodeURIComponent(at)}`,
      );
      expect(state.observation?.encryption.class).toBe('none');
      expect(state.lastObservedBy?.scanId).toBe(scenario.second.id);
    });

    it('knows nothing before the first observation (a date-only instant is midnight UTC)', async () => {
      const resource = resourceNamed(scenario.weakened);
      const state = await body<z.input<typeof STATE_AT>>(
        `/v1/resources/${resource.id}/history?at=2000-01-01`,
      );
      expect(state).toMatchObject({
        at: '2000-01-01T00:00:00.000Z',
        observation: null,
        lastObservedBy: null,
        deleted: null,
      });
    });

    it('says a deleted bucket was gone after the scan that found it gone, and present before', async () => {
      const resource = resourceNamed(scenario.removed);
      const after = await body<z.input<typeof STATE_AT>>(
        `/v1/resources/${resource.id}/history?at=${encodeURIComponent(scenario.second.finishedAt!.toISOString())}`,
      );
      expect(after.deleted).toMatchObject({ scanId: scenario.second.id });
      expect(after.observation?.encryption.class).toBe('oss_aes256');
      const before = await body<z.input<typeof STATE_AT>>(
        `/v1/resources/${resource.id}/history?at=${encodeURIComponent(scenario.first.finishedAt!.toISOString())}`,
      );
      expect(before.deleted).toBeNull();
    });
  });

  describe('GET /v1/scans', () => {
    it('lists scans newest first with status, coverage, totals and counts', async () => {
      const { items } = await body<{ items: z.input<typeof SCAN>[] }>('/v1/scans');
      expect(items.map((scan) => [scan.id, scan.status])).toEqual([
        [scenario.second.id, scenario.second.status],
        [scenario.first.id, scenario.first.status],
      ]);
      const first = items[1]!;
      // Every bucket and table bucket, and the KMS keys they name; two buckets deny the auditor.
      const listed = fleetResourceKeys(scenario.fleets[0]).length;
      expect(first.totals).toEqual({ listed, observed: listed, errors: 2 });
      expect(first.coverage.some((scope) => scope.errorsByCode.AccessDenied === 2)).toBe(true);
      expect(items[0]!.summary).toMatchObject({ findingsOpened: 1, resourcesDisappeared: 1 });
    });

    it('pages scans', async () => {
      const walked = await walkPages(api, token, '/v1/scans', 1);
      const walkedItems = walked.items as z.input<typeof SCAN>[];
      expect(walkedItems.map((scan) => scan.id)).toEqual([scenario.second.id, scenario.first.id]);
    });

    it('returns one scan by id', async () => {
      const scan = await body<z.input<typeof SCAN>>(`/v1/scans/${scenario.first.id}`);
      expect(scan).toMatchObject({
        id: scenario.first.id,
        trigger: 'cli',
        startedAt: scenario.first.startedAt.toISOString(),
        finishedAt: scenario.first.finishedAt!.toISOString(),
        summary: { resourcesByClass: { unknown: 2 } },
      });
    });
  });

  describe('GET /v1/summary', () => {
    it('counts present resources per class and kind, and per account and region', async () => {
      const summary = await body<z.input<typeof SUMMARY>>('/v1/summary');
      const present = allResources.filter((resource) => resource.state === 'present');
      expect(summary.resources.total).toBe(present.length);
      expect(summary.resources.byClass.kms_cmk).toBe(
        present.filter((r) => r.current?.class === 'kms_cmk').length,
      );
      expect(summary.resources.byKind.table_bucket).toBe(
        present.filter((r) => r.kind === 'table_bucket').length,
      );
      const scope = summary.byAccountRegion.find(
        (entry) => entry.accountAlias === 'account-2' && entry.region === 'cn-shanghai',
      );
      expect(scope?.resources).toBe(
        present.filter((r) => r.accountAlias === 'account-2' && r.region === 'cn-shanghai').length,
      );
    });

    it('counts open findings per severity and rule, and per account and region', async () => {
      const summary = await body<z.input<typeof SUMMARY>>('/v1/summary');
      const open = allFindings.filter((finding) => finding.status === 'open');
      expect(summary.openFindings.total).toBe(open.length);
      expect(summary.openFindings.bySeverity.high).toBe(open.filter((f) => f.severity === 'high').length);
      expect(summary.openFindings.byRule.non_kms).toBe(open.filter((f) => f.rule === 'non_kms').length);
      expect(summary.byAccountRegion.reduce((total, entry) => total + entry.openFindings, 0)).toBe(
        open.length,
      );
    });

    it('gives the trend of the latest scans, oldest first, with the findings open when each ended', async () => {
      const summary = await body<z.input<typeof SUMMARY>>('/v1/summary');
      const openAt = (scanId: number) =>
        allFindings.filter(
          (finding) =>
            finding.openedScanId <= scanId &&
            (finding.resolvedScanId === null || finding.resolvedScanId > scanId),
        ).length;
      expect(summary.trend.map((point) => [point.scanId, point.openFindings])).toEqual([
        [scenario.first.id, openAt(scenario.first.id)],
        [scenario.second.id, openAt(scenario.second.id)],
      ]);
      expect(summary.trend[1]).toMatchObject({
        findingsOpened: 1,
        findingsResolved: 2,
        listed: fleetResourceKeys(scenario.fleets[1]).length,
      });
    });

    it('limits the trend to ?scans=N', async () => {
      const summary = await body<z.input<typeof SUMMARY>>('/v1/summary?scans=1');
      expect(summary.trend.map((point) => point.scanId)).toEqual([scenario.second.id]);
    });
  });
});

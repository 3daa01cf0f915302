import { type EncryptionClass, SEVERITIES } from '@app/audit';
import { createTestDatabase, recordScan, type SeenResource, type TestDatabase } from '@app/testing';

import { DriftQueryRepository } from './drift-query.repository';
import { FindingQueryRepository } from './finding-query.repository';
import type { FindingFilter, FindingSort, FindingView } from './read-model.types';
import { ResourceQueryRepository } from './resource-query.repository';
import type { ScanRecord } from './scan.types';
import { SummaryRepository } from './summary.repository';
import { bucketRef, night, observation } from './testing/observations';

/** A cursor with any JSON inside, as a client could forge it. */
const forged = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const CLASSES: readonly EncryptionClass[] = [
  'none',
  'oss_aes256',
  'kms_default',
  'kms_cmk',
  'unknown',
  'oss_sm4',
];

/** 60 buckets over two accounts and two regions, every class; night 2 changes some and drops one. */
function fleet(night2: boolean): SeenResource[] {
  const seen: SeenResource[] = [];
  for (let index = 0; index < 60; index += 1) {
    const name = `${index % 3 === 0 ? 'logs' : 'data'}-${index.toString().padStart(3, '0')}`;
    let encryptionClass = CLASSES[index % CLASSES.length] ?? 'none';
    if (night2 && index < 6) encryptionClass = index % 2 === 0 ? 'kms_cmk' : 'none';
    if (night2 && index === 59) continue;
    seen.push({
      ref: bucketRef(name, {
        accountAlias: index % 2 === 0 ? 'prod' : 'dev',
        region: index % 4 < 2 ? 'cn-hangzhou' : 'cn-beijing',
      }),
      observation: observation(encryptionClass),
    });
  }
  return seen;
}

describe('read-side repositories', () => {
  let db: TestDatabase;
  let findings: FindingQueryRepository;
  let drift: DriftQueryRepository;
  let resources: ResourceQueryRepository;
  let summary: SummaryRepository;
  const scans: ScanRecord[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    findings = new FindingQueryRepository(db.dataSource);
    drift = new DriftQueryRepository(db.dataSource);
    resources = new ResourceQueryRepository(db.dataSource);
    summary = new SummaryRepository(db.dataSource);
    scans.push(await recordScan(db.dataSource, night(1), fleet(false)));
    scans.push(await recordScan(db.dataSource, night(2), fleet(true)));
  });

  afterAll(async () => {
    await db.drop();
  });

  async function everyFinding(): Promise<FindingView[]> {
    return (await findings.list({ status: 'all' }, { limit: 500 })).items;
  }

  async function walk(filter: FindingFilter, limit: number): Promise<FindingView[]> {
    const seen: FindingView[] = [];
    let cursor: string | undefined;
    do {
      const page = await findings.list(filter, { limit, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return seen;
  }

  describe('FindingQueryRepository', () => {
    it('walks every finding exactly once, newest opened first, across pages of a shared opened_at', async () => {
      const all = await everyFinding();
      const walked = await walk({ status: 'all' }, 7);
      expect(walked.map((finding) => finding.id)).toEqual(all.map((finding) => finding.id));
      expect(new Set(walked.map((finding) => finding.id)).size).toBe(walked.length);
      const [{ count }] = await db.dataSource.query<[{ count: string }]>(`SELECT count(*) FROM "findings"`);
      expect(walked).toHaveLength(Number(count));
    });

    it.each<[string, FindingFilter, (finding: FindingView) => boolean]>([
      ['status open', { status: 'open' }, (f) => f.status === 'open'],
      ['status resolved', { status: 'resolved' }, (f) => f.status === 'resolved'],
      ['rule', { status: 'all', rules: ['non_kms'] }, (f) => f.rule === 'non_kms'],
      [
        'any of two rules',
        { status: 'all', rules: ['non_kms', 'unencrypted'] },
        (f) => f.rule === 'non_kms' || f.rule === 'unencrypted',
      ],
      ['severity', { status: 'all', severities: ['high'] }, (f) => f.severity === 'high'],
      [
        'minimum severity',
        { status: 'all', minSeverity: 'medium' },
        (f) => ['medium', 'high', 'critical'].includes(f.severity),
      ],
      ['account', { status: 'all', accounts: ['dev'] }, (f) => f.resource.accountAlias === 'dev'],
      ['region', { status: 'all', regions: ['cn-beijing'] }, (f) => f.resource.region === 'cn-beijing'],
      ['resource kind', { status: 'all', resourceKinds: ['table_bucket'] }, () => false],
      [
        "a control's rules and kinds",
        { status: 'all', control: { findingRules: ['unencrypted'], resourceKinds: ['bucket'] } },
        (f) => f.rule === 'unencrypted' && f.resource.kind === 'bucket',
      ],
      ['name prefix', { status: 'all', namePrefix: 'logs-' }, (f) => f.resource.name.startsWith('logs-')],
      ['opened since', { status: 'all', openedSince: night(2) }, (f) => f.openedAt >= night(2)],
      [
        'resolved since',
        { status: 'all', resolvedSince: night(2) },
        (f) => f.resolvedAt !== null && f.resolvedAt >= night(2),
      ],
    ])('filters by %s', async (_name, filter, predicate) => {
      const expected = (await everyFinding()).filter(predicate).map((finding) => finding.id);
      const actual = (await walk(filter, 5)).map((finding) => finding.id);
      expect(actual).toEqual(expected);
    });

    it.each<[FindingSort, (a: FindingView, b: FindingView) => number]>([
      [
        'severity',
        (a, b) =>
          SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
          b.openedAt.getTime() - a.openedAt.getTime() ||
          (b.id < a.id ? -1 : 1),
      ],
      ['opened', (a, b) => b.openedAt.getTime() - a.openedAt.getTime() || (b.id < a.id ? -1 : 1)],
      [
        'name',
        (a, b) =>
          (a.resource.name < b.resource.name ? -1 : a.resource.name > b.resource.name ? 1 : 0) ||
          a.resource.id - b.resource.id ||
          (a.id < b.id ? -1 : 1),
      ],
    ])('walks every finding exactly once sorted by %s', async (sort, compare) => {
      const expected = [...(await everyFinding())].sort(compare).map((finding) => finding.id);
      const walked: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await findings.list(
          { status: 'all' },
          { limit: 4, sort, ...(cursor === undefined ? {} : { cursor }) },
        );
        walked.push(...page.items.map((finding) => finding.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(walked).toEqual(expected);
    });

    it('refuses a cursor issued for another sort order', async () => {
      const { nextCursor } = await findings.list({ status: 'all' }, { limit: 2, sort: 'name' });
      await expect(
        findings.list({ status: 'all' }, { limit: 2, sort: 'severity', cursor: nextCursor! }),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });

    it('takes a name prefix literally: `_` and `%` are no wildcards', async () => {
      expect((await findings.list({ status: 'all', namePrefix: 'logs_' }, { limit: 10 })).items).toEqual([]);
      expect((await findings.list({ status: 'all', namePrefix: '%' }, { limit: 10 })).items).toEqual([]);
    });

    it('names the scan and the change that prove each finding', async () => {
      const [finding] = (await findings.list({ status: 'open', rules: ['unencrypted'] }, { limit: 1 })).items;
      const [change] = await db.dataSource.query<[{ resource_id: string; encryption_class: string }]>(
        `SELECT "resource_id", "encryption_class" FROM "observation_changes" WHERE "id" = $1`,
        [finding!.evidenceChangeId],
      );
      expect(Number(change.resource_id)).toBe(finding!.resource.id);
      expect(change.encryption_class).toBe('none');
      expect(finding!.lastSeenScanId).toBe(scans[1]!.id);
    });

    it.each([
      ['not base64 JSON', '!!!'],
      ['the wrong shape', forged([1, 2])],
      ['an impossible date', forged(['2026-13-01T00:00:00.000000Z', '00000000-0000-0000-0000-000000000000'])],
      ['a malformed uuid', forged(['2026-03-01T00:00:00.000000Z', 'not-a-uuid'])],
    ])('refuses a cursor that is %s', async (_name, cursor) => {
      await expect(findings.list({ status: 'open' }, { limit: 5, cursor })).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
      });
    });
  });

  describe('DriftQueryRepository', () => {
    it('lists appearances of the first scan and the changes of the second, newest first, once each', async () => {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await drift.list({}, { limit: 4, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.items.map((event) => event.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      const rows = await db.dataSource.query<{ id: string }[]>(
        `SELECT "id" FROM "drift_events" ORDER BY "detected_at" DESC, "id" DESC`,
      );
      expect(seen).toEqual(rows.map((row) => Number(row.id)));
    });

    it('filters by kind, direction, scope and time range', async () => {
      const weakened = await drift.list({ direction: 'weakened' }, { limit: 100 });
      expect(weakened.items.length).toBeGreaterThan(0);
      expect(weakened.items.every((event) => event.kind === 'encryption_changed')).toBe(true);
      const gone = await drift.list({ kind: 'disappeared' }, { limit: 100 });
      expect(gone.items.map((event) => event.resource.name)).toEqual(['data-059']);
      const firstNight = await drift.list({ until: night(2) }, { limit: 100 });
      expect(firstNight.items.every((event) => event.kind === 'appeared')).toBe(true);
      // An `unknown` observation is no side of a drift event: the ten unknown buckets did not appear yet.
      expect(firstNight.items).toHaveLength(50);
      const inDev = await drift.list({ accountAlias: 'dev', since: night(2) }, { limit: 100 });
      expect(inDev.items.every((event) => event.resource.accountAlias === 'dev')).toBe(true);
    });

    it('carries before and after with the change ids that prove them', async () => {
      const [event] = (await drift.list({ kind: 'encryption_changed', namePrefix: 'data-001' }, { limit: 1 }))
        .items;
      expect(event!.before).toMatchObject({ encryptionClass: 'oss_aes256' });
      expect(event!.after).toMatchObject({ encryptionClass: 'none' });
      expect(event!.after!.changeId).toEqual(expect.any(Number));
      expect(event!.scanId).toBe(scans[1]!.id);
    });
  });

  describe('ResourceQueryRepository', () => {
    it('lists present resources by default and deleted ones on request', async () => {
      const present = await resources.list({}, { limit: 500 });
      expect(present.items).toHaveLength(59);
      const deleted = await resources.list({ state: 'deleted' }, { limit: 500 });
      expect(deleted.items.map((resource) => resource.ref.name)).toEqual(['data-059']);
      expect((await resources.list({ state: 'all' }, { limit: 500 })).items).toHaveLength(60);
    });

    it('filters by class, account, region, kind and name prefix', async () => {
      const page = await resources.list(
        {
          encryptionClasses: ['kms_cmk'],
          accounts: ['prod'],
          regions: ['cn-hangzhou'],
          kinds: ['bucket'],
          namePrefix: 'logs',
        },
        { limit: 500 },
      );
      expect(page.items.length).toBeGreaterThan(0);
      for (const resource of page.items) {
        expect(resource.current?.encryptionClass).toBe('kms_cmk');
        expect(resource.ref).toMatchObject({ accountAlias: 'prod', region: 'cn-hangzhou', kind: 'bucket' });
        expect(resource.ref.name.startsWith('logs')).toBe(true);
      }
    });

    it('pages in id order without repeats', async () => {
      const ids: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await resources.list(
          { state: 'all' },
          { limit: 11, ...(cursor === undefined ? {} : { cursor }) },
        );
        ids.push(...page.items.map((resource) => resource.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(60);
    });
  });

  describe('SummaryRepository', () => {
    it('counts present resources per account, region, kind and class', async () => {
      const counts = await summary.postureCounts();
      expect(counts.resources.reduce((total, row) => total + row.count, 0)).toBe(59);
      const [{ count }] = await db.dataSource.query<[{ count: string }]>(
        `SELECT count(*) FROM "resources" WHERE "deleted_at" IS NULL AND "account_alias" = 'dev'
           AND "region" = 'cn-beijing' AND "encryption_class" = 'none'`,
      );
      const row = counts.resources.find(
        (entry) =>
          entry.accountAlias === 'dev' && entry.region === 'cn-beijing' && entry.encryptionClass === 'none',
      );
      expect(row?.count ?? 0).toBe(Number(count));
    });

    it('counts open findings per account, region, severity and rule', async () => {
      const counts = await summary.postureCounts();
      const open = (await findings.list({ status: 'open' }, { limit: 500 })).items;
      expect(counts.openFindings.reduce((total, row) => total + row.count, 0)).toBe(open.length);
    });

    it('gives each scan of the trend the findings open when it ended', async () => {
      const trend = await summary.scanTrend(10);
      expect(trend.map((point) => point.scanId)).toEqual(scans.map((scan) => scan.id));
      const all = await everyFinding();
      const openAt = (scan: ScanRecord) =>
        all.filter(
          (finding) =>
            finding.openedScanId <= scan.id &&
            (finding.resolvedScanId === null || finding.resolvedScanId > scan.id),
        ).length;
      expect(trend.map((point) => point.openFindings)).toEqual(scans.map(openAt));
      expect(trend[0]!.openFindings).not.toBe(trend[1]!.openFindings);
    });

    it('reads the numbers behind the gauges', async () => {
      const snapshot = await summary.metricsSnapshot();
      expect(snapshot.scansByStatus).toEqual([{ status: 'succeeded', count: 2 }]);
      expect(snapshot.lastFinishedScan).toMatchObject({
        id: scans[1]!.id,
        status: 'succeeded',
        durationSeconds: 600,
      });
      expect(snapshot.presentResources.reduce((total, row) => total + row.count, 0)).toBe(59);
      const open = (await findings.list({ status: 'open' }, { limit: 500 })).items;
      expect(snapshot.openFindingsBySeverity.reduce((total, row) => total + row.count, 0)).toBe(open.length);
    });

    it('refuses a trend longer than 100 scans', async () => {
      await expect(summary.scanTrend(101)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });
  });
});

describe('ResourceQueryRepository.lookup', () => {
  let db: TestDatabase;
  let resources: ResourceQueryRepository;
  const tableIn = (account: string) =>
    bucketRef('sales/orders', {
      kind: 'table',
      accountAlias: account,
      resourceKey: `acs:osstables:cn-hangzhou:${account}:bucket/lake/table/sales/orders`,
      parentKey: `acs:osstables:cn-hangzhou:${account}:bucket/lake`,
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    resources = new ResourceQueryRepository(db.dataSource);
    await recordScan(db.dataSource, night(1), [
      { ref: tableIn('111'), observation: observation('oss_aes256') },
      { ref: tableIn('222'), observation: observation('oss_aes256') },
      { ref: bucketRef('sales'), observation: observation('kms_cmk') },
    ]);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('returns every resource of an ambiguous name, one per account', async () => {
    const found = await resources.lookup({ name: 'sales/orders' }, 100);
    expect(found.map((resource) => resource.ref.accountAlias).sort()).toEqual(['111', '222']);
  });

  it('narrows a name to a kind, and finds one resource by its key', async () => {
    expect((await resources.lookup({ name: 'sales/orders', kind: 'bucket' }, 100)).length).toBe(0);
    const [bucket] = await resources.lookup({ name: 'sales', kind: 'bucket' }, 100);
    expect(bucket?.ref.resourceKey).toBe('oss:sales');
    const byKey = await resources.lookup({ resourceKey: tableIn('222').resourceKey }, 100);
    expect(byKey.map((resource) => resource.ref.accountAlias)).toEqual(['222']);
  });
});

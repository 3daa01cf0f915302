import { generateFleet } from '@app/oss-emulator';
import type { ScanRecord } from '@app/persistence';
import { startScanEnvironment, withHealthyKeys, type ScanEnvironment } from '@app/testing';
import type { z } from 'zod';

import type { FindingBody } from '../src/findings/findings.schemas';
import type { RESOURCE } from '../src/resources/resources.schemas';
import type { SUMMARY } from '../src/summary/summary.schemas';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

type ResourceBody = z.input<typeof RESOURCE>;
type SummaryBody = z.input<typeof SUMMARY>;

const LOST_REGION = 'cn-shanghai';

/**
 * What the API says about resources a scan could not prove, over three real scans of one account
 * in two regions: the first sees everything; in the second the table bucket listing of one region
 * fails, so its table buckets (and the keys only they name) are stale, shown as last observed and
 * flagged, never as current and never as gone; in the third the operator has removed that region,
 * so its resources leave the audit and their findings close as out of scope, not as fixed.
 */
describe('stale and out-of-scope resources in the API', () => {
  let scanning: ScanEnvironment;
  let api: ApiTestApp;
  let token: string;
  let first: ScanRecord;
  let second: ScanRecord;
  let third: ScanRecord;
  let afterSecond: {
    resources: ResourceBody[];
    staleListed: ResourceBody[];
    findings: FindingBody[];
    staleFindings: FindingBody[];
    summary: SummaryBody;
  };

  const get = (path: string) => api.http.get(path).set('Authorization', `Bearer ${token}`);
  const body = async <T>(path: string): Promise<T> => (await get(path).expect(200)).body as T;
  const resources = async (query: string) =>
    (await body<{ items: ResourceBody[] }>(`/v1/resources?limit=500&${query}`)).items;
  const findings = async (query: string) =>
    (await body<{ items: FindingBody[] }>(`/v1/findings?limit=500&${query}`)).items;

  beforeAll(async () => {
    const fleet = withHealthyKeys(
      generateFleet({
        accounts: 1,
        regions: ['cn-hangzhou', LOST_REGION],
        buckets: 8,
        tableBuckets: 6,
        seed: 23,
      }),
    );
    scanning = await startScanEnvironment({ fleet });
    api = await startApiTestApp(scanning);
    token = (await api.issueKey('reader')).token;
    first = await scanning.runScan();
    scanning.emulator.setFaults([
      { match: { region: LOST_REGION, operation: 'ListTableBuckets' }, fault: { kind: 'reset' } },
    ]);
    second = await scanning.runScan();
    afterSecond = {
      resources: await resources('state=all'),
      staleListed: await resources('stale=true'),
      findings: await findings('status=all'),
      staleFindings: await findings('stale=true'),
      summary: await body<SummaryBody>('/v1/summary'),
    };
    scanning.emulator.clearFaults();
    third = await scanning.runScanReconfigured((document) => ({
      ...document,
      accounts: (document.accounts as Record<string, unknown>[]).map((account) => ({
        ...account,
        regions: ['cn-hangzhou'],
      })),
    }));
  }, 240_000);

  afterAll(async () => {
    await api.close();
    await scanning.close();
  });

  describe('after a scan that could not list one region’s table buckets', () => {
    const staleOnes = () => afterSecond.resources.filter((resource) => resource.stale);

    it('is partial, and its coverage says which scope was not proved', () => {
      expect([first.status, second.status]).toEqual(['succeeded', 'partial']);
      const lost = second.coverage.filter((row) => !row.enumerationComplete);
      expect(lost.map((row) => [row.kind, row.region])).toEqual([['table_bucket', LOST_REGION]]);
    });

    it('keeps that region’s table buckets present but stale, as last observed by the first scan', () => {
      const tableBuckets = afterSecond.resources.filter(
        (resource) => resource.kind === 'table_bucket' && resource.region === LOST_REGION,
      );
      expect(tableBuckets.length).toBeGreaterThan(0);
      for (const tableBucket of tableBuckets) {
        expect(tableBucket).toMatchObject({
          state: 'present',
          stale: true,
          lastSeen: { scanId: first.id },
          deleted: null,
          outOfScope: null,
        });
      }
      // Everything stale is exactly what the second scan did not observe, and nothing of it is a bucket.
      expect(staleOnes().map((resource) => resource.id)).toEqual(
        afterSecond.resources
          .filter((resource) => resource.state === 'present' && resource.lastSeen.scanId === first.id)
          .map((resource) => resource.id),
      );
      expect(staleOnes().some((resource) => resource.kind === 'bucket')).toBe(false);
    });

    it('lists the stale resources, and only them, with stale=true (findings likewise)', () => {
      expect(afterSecond.staleListed).toEqual(staleOnes());
      expect(afterSecond.staleFindings).toEqual(afterSecond.findings.filter((finding) => finding.stale));
      expect(afterSecond.staleFindings.length).toBeGreaterThan(0);
    });

    it('flags the open findings of stale resources as stale, and no other', () => {
      const staleIds = new Set(staleOnes().map((resource) => resource.id));
      const open = afterSecond.findings.filter((finding) => finding.status === 'open');
      expect(open.some((finding) => finding.stale)).toBe(true);
      for (const finding of open)
        expect([finding.id, finding.stale]).toEqual([finding.id, staleIds.has(finding.resource.id)]);
    });

    it('counts them in the summary, since the oldest observation among them', () => {
      const stale = staleOnes();
      const oldest = stale.map((resource) => resource.lastSeen.at).sort()[0];
      expect(afterSecond.summary.stale).toEqual({
        resources: stale.length,
        openFindings: afterSecond.findings.filter((finding) => finding.status === 'open' && finding.stale)
          .length,
        since: oldest,
      });
    });
  });

  describe('after the region is removed from the configuration', () => {
    it('takes that region’s resources out of the audit, naming the scan that did', async () => {
      const leaving = afterSecond.resources.filter(
        (resource) => resource.state === 'present' && resource.region === LOST_REGION,
      );
      expect(leaving.length).toBeGreaterThan(0);
      const outOfScope = await resources('state=out_of_scope');
      expect(outOfScope.map((resource) => resource.id).sort()).toEqual(
        expect.arrayContaining(
          leaving
            .filter((resource) => resource.kind !== 'kms_key')
            .map((r) => r.id)
            .sort(),
        ),
      );
      for (const resource of outOfScope) {
        expect(resource).toMatchObject({
          state: 'out_of_scope',
          stale: false,
          outOfScope: { scanId: third.id },
        });
      }
      expect((await resources('state=present')).some((resource) => resource.region === LOST_REGION)).toBe(
        false,
      );
    });

    it('closes their findings as out_of_scope, never as fixed', async () => {
      const leavingIds = new Set(
        afterSecond.resources
          .filter((resource) => resource.region === LOST_REGION)
          .map((resource) => resource.id),
      );
      const closed = (await findings('status=resolved')).filter(
        (finding) => finding.resolvedScanId === third.id,
      );
      const ofLeaving = closed.filter((finding) => leavingIds.has(finding.resource.id));
      expect(ofLeaving.length).toBeGreaterThan(0);
      expect(new Set(ofLeaving.map((finding) => finding.resolution))).toEqual(new Set(['out_of_scope']));
    });

    it('has nothing stale left: the third scan proved every scope it planned', async () => {
      expect(third.status).toBe('succeeded');
      expect(await resources('stale=true')).toEqual([]);
      expect((await body<SummaryBody>('/v1/summary')).stale).toEqual({
        resources: 0,
        openFindings: 0,
        since: null,
      });
    });
  });
});

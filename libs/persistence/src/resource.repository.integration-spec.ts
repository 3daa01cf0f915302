import type { EncryptionObservation } from '@app/audit';
import { createTestDatabase, type TestDatabase } from '@app/testing';

import { ObservationRepository } from './observation.repository';
import { ResourceRepository } from './resource.repository';
import { ScanRepository } from './scan.repository';
import { bucketRef, night, observation, observed } from './testing/observations';

const SUMMARY = {
  resourcesByClass: {},
  findingsOpened: 0,
  findingsResolved: 0,
  driftEvents: 0,
  alertsQueued: 0,
  resourcesDisappeared: 0,
};

describe('ResourceRepository', () => {
  let db: TestDatabase;
  let resources: ResourceRepository;
  const ref = bucketRef('timeline');
  const scanIds: number[] = [];
  let resourceId: number;

  /** Nights 1..5: AES256, AES256, KMS (night 3), unknown (night 4), KMS again (night 5). */
  const timeline: [number, EncryptionObservation][] = [
    [1, observation('oss_aes256')],
    [2, observation('oss_aes256')],
    [3, observation('kms_cmk')],
    [4, observation('unknown')],
    [5, observation('kms_cmk')],
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    resources = new ResourceRepository(db.dataSource);
    const scans = new ScanRepository(db.dataSource);
    const observations = new ObservationRepository(db.dataSource);
    for (const [day, seen] of timeline) {
      const { scan } = await scans.startScan({ trigger: 'api', startedAt: night(day) });
      await observations.recordObservations(scan.id, night(day), [observed(ref, seen)]);
      await scans.finishScan(scan.id, {
        status: 'succeeded',
        coverage: [],
        summary: SUMMARY,
        finishedAt: night(day),
      });
      scanIds.push(scan.id);
    }
    resourceId = (await resources.findByKey(ref.resourceKey))!.id;
  });

  afterAll(async () => {
    await db.drop();
  });

  const classAt = async (at: Date) =>
    (await resources.stateAt(resourceId, at)).change?.observation.encryptionClass;

  it('knows nothing before the first observation', async () => {
    expect(await resources.stateAt(resourceId, new Date(night(1).getTime() - 1))).toEqual({
      change: null,
      lastObservation: null,
    });
  });

  it('answers with the observation valid at an instant, from the instant it was observed', async () => {
    expect(await classAt(night(1))).toBe('oss_aes256');
    expect(await classAt(new Date(night(3).getTime() - 1))).toBe('oss_aes256');
    expect(await classAt(night(3))).toBe('kms_cmk');
    expect(await classAt(new Date(night(4).getTime() + 3_600_000))).toBe('unknown');
    expect(await classAt(new Date('2027-01-01T00:00:00Z'))).toBe('kms_cmk');
  });

  it('names the last scan that observed the resource and the change it saw', async () => {
    const between = await resources.stateAt(resourceId, new Date(night(2).getTime() + 3_600_000));
    expect(between.lastObservation).toEqual({
      scanId: scanIds[1],
      scanStartedAt: night(2),
      changeId: between.change!.id,
    });
    expect(between.change).toMatchObject({ scanId: scanIds[0], observedAt: night(1) });
  });

  it('pages through the change log newest first, unchanged nights collapsed', async () => {
    const first = await resources.history(resourceId, { limit: 3 });
    const second = await resources.history(resourceId, { limit: 3, cursor: first.nextCursor! });

    expect(
      [...first.items, ...second.items].map((change) => [
        change.observation.encryptionClass,
        change.observedAt,
      ]),
    ).toEqual([
      ['kms_cmk', night(5)],
      ['unknown', night(4)],
      ['kms_cmk', night(3)],
      ['oss_aes256', night(1)],
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('returns the current state and the last complete change of a resource', async () => {
    const resource = await resources.findById(resourceId);
    const [latest] = (await resources.history(resourceId, { limit: 1 })).items;
    expect(resource).toMatchObject({
      ref,
      firstSeenScanId: scanIds[0],
      lastSeenScanId: scanIds[4],
      deletedAt: null,
      current: { changeId: latest!.id, encryptionClass: 'kms_cmk', kmsKeyId: 'key-1', since: night(5) },
      lastCompleteChangeId: latest!.id,
    });
  });
});

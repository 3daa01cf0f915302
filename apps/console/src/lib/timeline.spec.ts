import type { DriftEvent, ObservationChange } from '../api/types';
import { buildTimeline, differencesBetween } from './timeline';

const RESOURCE = {
  id: 5,
  kind: 'bucket' as const,
  resourceKey: 'oss:billing',
  accountAlias: 'prod',
  region: 'cn-hangzhou',
  name: 'billing',
};

function observation(
  changeId: number,
  at: string,
  encryption: Partial<ObservationChange['encryption']>,
): ObservationChange {
  return {
    changeId,
    scanId: changeId,
    observedAt: at,
    encryption: {
      class: 'kms_cmk',
      algorithm: 'KMS',
      kmsKeyId: 'key-1',
      kmsDataEncryption: null,
      ...encryption,
    },
    errorCode: null,
    errorMessage: null,
    requestId: `req-${changeId.toString()}`,
  };
}

function drift(id: number, type: DriftEvent['type'], at: string, afterChange: number | null): DriftEvent {
  return {
    id,
    type,
    direction: type === 'encryption_changed' ? 'weakened' : null,
    detectedAt: at,
    scanId: id,
    previousScanId: null,
    resource: RESOURCE,
    before: null,
    after:
      afterChange === null
        ? null
        : { class: 'none', algorithm: null, kmsKeyId: null, kmsDataEncryption: null, changeId: afterChange },
  };
}

const FIRST = observation(1, '2026-03-01T02:00:00.000Z', {});
const WEAKENED = observation(2, '2026-03-02T02:00:00.000Z', {
  class: 'none',
  algorithm: null,
  kmsKeyId: null,
});

describe('resource timeline', () => {
  it('names every field that changed, with before and after', () => {
    expect(differencesBetween(FIRST, WEAKENED)).toEqual([
      { field: 'class', before: 'kms_cmk', after: 'none' },
      { field: 'algorithm', before: 'KMS', after: null },
      { field: 'KMS key', before: 'key-1', after: null },
    ]);
    expect(differencesBetween(FIRST, FIRST)).toEqual([]);
  });

  it('pairs each observation with the one before it and the drift event it proves', () => {
    const events = [
      drift(10, 'encryption_changed', '2026-03-02T02:20:00.000Z', 2),
      drift(9, 'appeared', '2026-03-01T02:20:00.000Z', 1),
    ];
    const timeline = buildTimeline([WEAKENED, FIRST], events);
    expect(
      timeline.map((entry) =>
        entry.kind === 'observation'
          ? [entry.change.changeId, entry.previous?.changeId ?? null, entry.drift?.id ?? null]
          : null,
      ),
    ).toEqual([
      [2, 1, 10],
      [1, null, 9],
    ]);
  });

  it('puts a disappearance, which has no observation, in its place in time', () => {
    const gone = drift(11, 'disappeared', '2026-03-03T02:20:00.000Z', null);
    const timeline = buildTimeline([WEAKENED, FIRST], [gone]);
    expect(timeline.map((entry) => entry.kind)).toEqual(['drift', 'observation', 'observation']);
    expect(timeline[0]).toEqual({ kind: 'drift', at: gone.detectedAt, drift: gone });
  });
});

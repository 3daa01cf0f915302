import {
  createResourceEvaluator,
  DEFAULT_FINDING_POLICY,
  type EncryptionClass,
  observationHash,
  type ResourceRef,
} from '@app/audit';
import { seededRandom } from '@app/oss-emulator';
import {
  ApiKeyRepository,
  createDataSource,
  EvaluationRepository,
  ObservationRepository,
  type ObservedResource,
  runMigrations,
  ScanRepository,
} from '@app/persistence';
import { ApiKeyService } from '@apps/api';

import { syntheticObservation, syntheticRef, type SyntheticFleet } from './synthetic-resources';

/** 4 accounts, 4 regions; one resource in 20 is a table bucket. */
export const HISTORY_FLEET: SyntheticFleet = {
  accounts: [
    { alias: 'prod', id: '1000000000000001' },
    { alias: 'staging', id: '1000000000000002' },
    { alias: 'data', id: '1000000000000003' },
    { alias: 'logs', id: '1000000000000004' },
  ],
  regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen'],
  tableBucketEvery: 20,
};

/** Share of each class in the fleet; the rest of the weights' sum is `kms_cmk`. */
const CLASS_WEIGHTS: readonly [EncryptionClass, number][] = [
  ['kms_cmk', 45],
  ['kms_default', 15],
  ['oss_aes256', 22],
  ['oss_sm4', 5],
  ['none', 10],
  ['unknown', 3],
];

const RECORD_BATCH = 5_000;

export interface FleetHistoryOptions {
  readonly resources: number;
  readonly scans: number;
  /** Share of the fleet whose encryption changes each night after the first. */
  readonly nightlyChange: number;
  /** Name of the reader key made at the end. */
  readonly keyName: string;
}

function pickClass(draw: number): EncryptionClass {
  const total = CLASS_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = draw * total;
  for (const [encryptionClass, weight] of CLASS_WEIGHTS) {
    if (threshold < weight) return encryptionClass;
    threshold -= weight;
  }
  return 'kms_cmk';
}

function observedAs(ref: ResourceRef, encryptionClass: EncryptionClass, night: number): ObservedResource {
  const observation = syntheticObservation(ref, encryptionClass, `req-${night.toString()}-${ref.name}`);
  return { ref, observation, contentHash: observationHash(observation) };
}

/**
 * Nightly scans of a synthetic fleet written through the worker's own write path
 * (ObservationRepository + EvaluationRepository with the scanner's evaluator), on a migrated
 * database. The first scan observes the whole fleet; each later night `nightlyChange` of it changes
 * encryption and that night's scan observes those resources (observing the unchanged rest again
 * would add a per-scan record and move `last_seen`, which no read path reads, at two minutes a
 * night). So findings open and resolve, drift and the change log accumulate as in production.
 * Deterministic: the same options load the same data. Returns a reader key's token.
 */
export async function loadFleetHistory(
  databaseUrl: string,
  options: FleetHistoryOptions,
): Promise<{ token: string; loadSeconds: number }> {
  const started = Date.now();
  const dataSource = await createDataSource({ url: databaseUrl, poolSize: 4 }).initialize();
  try {
    await runMigrations(dataSource);
    const scans = new ScanRepository(dataSource);
    const observations = new ObservationRepository(dataSource);
    const evaluation = new EvaluationRepository(dataSource);
    const evaluate = createResourceEvaluator(DEFAULT_FINDING_POLICY);
    const draw = seededRandom(7);
    const refs = Array.from({ length: options.resources }, (_, index) => syntheticRef(HISTORY_FLEET, index));
    const classes = refs.map(() => pickClass(draw()));
    const firstNight = Date.UTC(2026, 0, 1, 2);
    for (let night = 0; night < options.scans; night += 1) {
      const observed = new Set<number>();
      if (night === 0) {
        refs.forEach((_, index) => observed.add(index));
      } else {
        for (let change = 0; change < options.resources * options.nightlyChange; change += 1) {
          const index = Math.floor(draw() * options.resources);
          classes[index] = pickClass(draw());
          observed.add(index);
        }
      }
      const at = new Date(firstNight + night * 86_400_000);
      const { scan } = await scans.startScan({ trigger: 'schedule', scheduleSlot: at, startedAt: at });
      const items = [...observed].sort((a, b) => a - b);
      for (let start = 0; start < items.length; start += RECORD_BATCH) {
        const batch = items
          .slice(start, start + RECORD_BATCH)
          .map((index) =>
            observedAs(refs[index] ?? syntheticRef(HISTORY_FLEET, index), classes[index] ?? 'none', night),
          );
        await observations.recordObservations(scan.id, at, batch);
      }
      await evaluation.evaluateAndFinishScan(scan.id, {
        evaluate,
        // Each night observes only what changed: the rest is neither gone nor out of scope.
        judgeUnseen: () => 'unproved',
        status: 'succeeded',
        coverage: [],
        evaluatedAt: new Date(at.getTime() + 20 * 60_000),
      });
      console.log(
        `night ${(night + 1).toString()}/${options.scans.toString()} loaded (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
    await dataSource.query('VACUUM ANALYZE');
    const { token } = await new ApiKeyService(new ApiKeyRepository(dataSource)).create(
      options.keyName,
      'reader',
    );
    return { token, loadSeconds: (Date.now() - started) / 1000 };
  } finally {
    await dataSource.destroy();
  }
}

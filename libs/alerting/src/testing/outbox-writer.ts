import {
  DEFAULT_FINDING_POLICY,
  type EncryptionClass,
  type EncryptionObservation,
  observationHash,
} from '@app/audit';
import { EvaluationRepository, ObservationRepository, ScanRepository } from '@app/persistence';
import { createResourceEvaluator } from '@app/scanner';
import type { DataSource } from 'typeorm';

/** One bucket as a scan saw it. */
export interface SeenBucket {
  readonly name: string;
  readonly encryptionClass: Exclude<EncryptionClass, 'unknown'>;
  readonly accountAlias?: string;
}

const ALGORITHM: Record<SeenBucket['encryptionClass'], string | null> = {
  kms_cmk: 'KMS',
  kms_default: 'KMS',
  oss_aes256: 'AES256',
  oss_sm4: 'SM4',
  none: null,
};

/**
 * Records one whole scan through the real write path: start, observations, then evaluation with
 * the scanner's own evaluator (which writes the alert outbox) and finish, in one transaction.
 * Returns the scan id.
 */
export async function recordScan(
  dataSource: DataSource,
  at: Date,
  buckets: readonly SeenBucket[],
): Promise<number> {
  const scans = new ScanRepository(dataSource);
  const { scan } = await scans.startScan({ trigger: 'cli', startedAt: at });
  await new ObservationRepository(dataSource).recordObservations(
    scan.id,
    at,
    buckets.map((bucket) => {
      const observation: EncryptionObservation = {
        encryptionClass: bucket.encryptionClass,
        algorithm: ALGORITHM[bucket.encryptionClass],
        kmsKeyId: bucket.encryptionClass === 'kms_cmk' ? 'key-1' : null,
        kmsDataEncryption: null,
        errorCode: null,
        errorMessage: null,
        requestId: null,
      };
      return {
        ref: {
          kind: 'bucket',
          resourceKey: `oss:${bucket.name}`,
          accountAlias: bucket.accountAlias ?? 'prod',
          region: 'cn-hangzhou',
          name: bucket.name,
        },
        observation,
        contentHash: observationHash(observation),
      };
    }),
  );
  await new EvaluationRepository(dataSource).evaluateAndFinishScan(scan.id, {
    evaluate: createResourceEvaluator(DEFAULT_FINDING_POLICY),
    vanishedScopes: [],
    status: 'succeeded',
    coverage: [],
    evaluatedAt: at,
  });
  return scan.id;
}

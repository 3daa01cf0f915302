import {
  createResourceEvaluator,
  DEFAULT_FINDING_POLICY,
  type EncryptionClass,
  type EncryptionObservation,
  observationHash,
  type ResourceRef,
} from '@app/audit';
import {
  EvaluationRepository,
  ObservationRepository,
  type ScanComplianceSettings,
  type ScanCoverage,
  type ScanRecord,
  ScanRepository,
} from '@app/persistence';
import type { DataSource } from 'typeorm';

/** One resource as a recorded scan sees it. */
export interface SeenResource {
  readonly ref: ResourceRef;
  readonly observation: EncryptionObservation;
}

export interface RecordScanOptions {
  /** When evaluation runs (default: ten minutes after the start). */
  readonly evaluatedAt?: Date;
  /**
   * Whether every account and kind seen counts as completely listed (default true), so that a
   * present resource left out of `seen` disappears.
   */
  readonly listingsComplete?: boolean;
  /** Judge controls and apply exceptions as the scanner does (default: findings only). */
  readonly compliance?: ScanComplianceSettings;
}

const ALGORITHM: Record<EncryptionClass, string | null> = {
  kms_cmk: 'KMS',
  kms_default: 'KMS',
  oss_aes256: 'AES256',
  oss_sm4: 'SM4',
  none: null,
  unknown: null,
};

/** A typical observation of a class (a customer key `key-1` for `kms_cmk`, AccessDenied for `unknown`). */
export function typicalObservation(
  encryptionClass: EncryptionClass,
  overrides: Partial<EncryptionObservation> = {},
): EncryptionObservation {
  return {
    encryptionClass,
    algorithm: ALGORITHM[encryptionClass],
    kmsKeyId: encryptionClass === 'kms_cmk' ? 'key-1' : null,
    kmsDataEncryption: null,
    errorCode: encryptionClass === 'unknown' ? 'AccessDenied' : null,
    errorMessage: encryptionClass === 'unknown' ? 'You have no right to access this bucket.' : null,
    requestId: 'req-0001',
    ...overrides,
  };
}

/** An OSS bucket of account `prod` in cn-hangzhou (unless overridden), seen with a typical observation. */
export function seenBucket(
  name: string,
  encryptionClass: EncryptionClass,
  ref: Partial<ResourceRef> = {},
): SeenResource {
  return {
    ref: {
      kind: 'bucket',
      resourceKey: `oss:${name}`,
      accountAlias: 'prod',
      region: 'cn-hangzhou',
      name,
      ...ref,
    },
    observation: typicalObservation(encryptionClass),
  };
}

/**
 * Writes one whole scan through the real write path, as the worker does: start, record the
 * observations, then evaluate with the audit's own evaluator (findings, drift, alert outbox) and
 * finish, in one transaction.
 */
export async function recordScan(
  dataSource: DataSource,
  startedAt: Date,
  seen: readonly SeenResource[],
  options: RecordScanOptions = {},
): Promise<ScanRecord> {
  const { scan } = await new ScanRepository(dataSource).startScan({ trigger: 'cli', startedAt });
  await new ObservationRepository(dataSource).recordObservations(
    scan.id,
    startedAt,
    seen.map(({ ref, observation }) => ({ ref, observation, contentHash: observationHash(observation) })),
  );
  const coverage = coverageOf(seen);
  const listed = new Set(coverage.map((scope) => `${scope.accountAlias}|${scope.kind}`));
  const evaluatedAt = options.evaluatedAt ?? new Date(startedAt.getTime() + 10 * 60_000);
  const { scan: finished } = await new EvaluationRepository(dataSource).evaluateAndFinishScan(scan.id, {
    evaluate: createResourceEvaluator(DEFAULT_FINDING_POLICY, evaluatedAt),
    judgeUnseen: ({ ref }) =>
      options.listingsComplete !== false && listed.has(`${ref.accountAlias}|${ref.kind}`)
        ? 'vanished'
        : 'unproved',
    status: 'succeeded',
    coverage,
    evaluatedAt,
    ...(options.compliance === undefined ? {} : { compliance: options.compliance }),
  });
  return finished;
}

function coverageOf(seen: readonly SeenResource[]): ScanCoverage[] {
  const scopes = new Map<string, ScanCoverage>();
  for (const { ref } of seen) {
    const key = `${ref.accountAlias}|${ref.region}|${ref.kind}`;
    const scope = scopes.get(key) ?? {
      accountAlias: ref.accountAlias,
      region: ref.region,
      kind: ref.kind,
      listed: 0,
      observed: 0,
      errorsByCode: {},
      enumerationComplete: true,
    };
    scopes.set(key, { ...scope, listed: scope.listed + 1, observed: scope.observed + 1 });
  }
  return [...scopes.values()];
}

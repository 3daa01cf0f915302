import { DEFAULT_FINDING_POLICY, type EncryptionObservation, type ResourceRef } from '@app/audit';
import { createResourceEvaluator } from '@app/scanner';
import type { DataSource } from 'typeorm';

import { EvaluationRepository } from '../evaluation.repository';
import { ObservationRepository } from '../observation.repository';
import type { ScanCoverage, ScanRecord } from '../scan.types';
import { ScanRepository } from '../scan.repository';
import { observed } from './observations';

/** One resource as a fixture scan sees it. */
export interface SeenResource {
  readonly ref: ResourceRef;
  readonly observation: EncryptionObservation;
}

/**
 * Writes one whole scan through the write-side repositories and the scanner's own evaluator, as
 * the worker does: start, record, then evaluate and finish in one transaction. Every account/kind
 * seen is treated as completely listed, so a resource left out of `seen` disappears.
 */
export async function recordFixtureScan(
  dataSource: DataSource,
  startedAt: Date,
  seen: readonly SeenResource[],
): Promise<ScanRecord> {
  const scans = new ScanRepository(dataSource);
  const { scan } = await scans.startScan({ trigger: 'cli', startedAt });
  await new ObservationRepository(dataSource).recordObservations(
    scan.id,
    startedAt,
    seen.map((item) => observed(item.ref, item.observation)),
  );
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
  const coverage = [...scopes.values()];
  const vanishedScopes = [...new Set(coverage.map((scope) => `${scope.accountAlias}|${scope.kind}`))].map(
    (key) => {
      const [accountAlias = '', kind = 'bucket'] = key.split('|');
      return { accountAlias, kind: kind as ResourceRef['kind'], regions: 'all' as const };
    },
  );
  const { scan: finished } = await new EvaluationRepository(dataSource).evaluateAndFinishScan(scan.id, {
    evaluate: createResourceEvaluator(DEFAULT_FINDING_POLICY),
    vanishedScopes,
    status: 'succeeded',
    coverage,
    evaluatedAt: new Date(startedAt.getTime() + 10 * 60_000),
  });
  return finished;
}

import { createPrivateKey } from 'node:crypto';

import type { CompliancePolicy } from '@app/compliance';
import type { Secret } from '@app/config';
import type { EvidencePeriod } from '@app/persistence';

import { EvidenceError } from './evidence-error';
import type { OcsfProduct } from './ocsf/ocsf-compliance-finding';
import { evidencePack } from './pack/evidence-pack';
import { periodSections, type PeriodSources } from './sections/period-sections';

/** Seed as the producer of exports and packs (kept equal to package.json's version by a test). */
export const SEED_PRODUCT: OcsfProduct = { name: 'Seed', vendorName: 'Seed', version: '0.1.0' };

export interface PeriodEvidencePackRequest {
  readonly period: EvidencePeriod;
  /** `evidence.signingKey` of the configuration. */
  readonly signingKey: Secret | null;
  readonly generatedAt: Date;
  /** `policy` of the configuration: the approved key the findings' remediation names. */
  readonly policy?: CompliancePolicy;
}

/**
 * The signed evidence pack of a period, as ZIP bytes to stream to a file or a response. Fails
 * before the first byte when no signing key is configured or the period is empty or reversed.
 */
export async function periodEvidencePack(
  sources: PeriodSources,
  request: PeriodEvidencePackRequest,
): Promise<AsyncGenerator<Uint8Array>> {
  if (request.signingKey === null) {
    throw new EvidenceError(
      'SIGNING_KEY_MISSING',
      'No evidence signing key is configured: set evidence.signingKeyFile or evidence.signingKeyEnv',
    );
  }
  const { period } = request;
  if (!(period.from < period.to)) {
    throw new EvidenceError('INVALID_PERIOD', 'The period is empty: from must be before to');
  }
  const signingKey = createPrivateKey(request.signingKey.reveal());
  const sections = await periodSections(sources, period, SEED_PRODUCT, request.policy);
  return evidencePack({
    header: {
      from: period.from,
      to: period.to,
      accounts: period.accountAliases ?? null,
      product: { name: SEED_PRODUCT.name, version: SEED_PRODUCT.version },
      generatedAt: request.generatedAt,
    },
    sections,
    signingKey,
    generatedAt: request.generatedAt,
  });
}

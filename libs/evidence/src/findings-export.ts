import { type CompliancePolicy, DEFAULT_COMPLIANCE_POLICY } from '@app/compliance';
import type { FindingFilter, FindingQueryRepository } from '@app/persistence';

import { findingResult, type ComplianceResult } from './compliance-result';
import { exportLines, type ExportFormat } from './export-format';
import { findingRemediation, remediationSummary } from './finding-remediation';
import { SEED_PRODUCT } from './period-evidence-pack';
import { EXPORT_PAGE_SIZE, everyRow } from './sections/paged';

/**
 * The findings matching `filter` (with its `at`), as export text streamed from keyset pages: the
 * findings query of the API, every page of it, one record at a time.
 */
export function findingsExport(
  findings: FindingQueryRepository,
  filter: FindingFilter,
  format: ExportFormat,
  policy: CompliancePolicy = DEFAULT_COMPLIANCE_POLICY,
): AsyncGenerator<string> {
  return exportLines(findingResults(findings, filter, policy), format, SEED_PRODUCT);
}

async function* findingResults(
  findings: FindingQueryRepository,
  filter: FindingFilter,
  policy: CompliancePolicy,
): AsyncGenerator<ComplianceResult> {
  const pages = everyRow((cursor) =>
    findings.list(filter, { limit: EXPORT_PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) }),
  );
  for await (const finding of pages) {
    yield findingResult(finding, remediationSummary(findingRemediation(finding, policy)), filter.at);
  }
}

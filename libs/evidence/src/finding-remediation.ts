import {
  type CompliancePolicy,
  type Remediation,
  remediationForFinding,
  type ResourceFacts,
} from '@app/compliance';
import type { FindingView } from '@app/persistence';

import type { ComplianceResult } from './compliance-result';

/**
 * The remediation guidance of a finding, from what the finding recorded: the resource, and the
 * encryption the service reported (class, algorithm, key id). Seed only reads: this is text for a
 * person to review and run, never applied. The key's DescribeKey facts are not on a finding, so the
 * guidance names the key the finding names (or the approved key, or a placeholder).
 */
export function findingRemediation(finding: FindingView, policy: CompliancePolicy): Remediation[] {
  const facts: ResourceFacts = {
    resource: {
      kind: finding.resource.kind,
      resourceKey: finding.resource.resourceKey,
      accountAlias: finding.resource.accountAlias,
      region: finding.resource.region,
      name: finding.resource.name,
    },
    accountUid: null,
    encryption: {
      encryptionClass: finding.encryptionClass,
      algorithm: finding.algorithm,
      kmsKeyId: finding.kmsKeyId,
      kmsDataEncryption: null,
      errorCode: null,
      errorMessage: null,
      requestId: null,
    },
    key:
      finding.kmsKeyId === null
        ? { kind: 'not_applicable' }
        : { kind: 'unknown', errorCode: 'NotRecordedOnFinding' },
  };
  return remediationForFinding(finding.rule, facts, policy);
}

/** The short form exports carry: each remedy's summary, and where the syntax of its steps was read. */
export function remediationSummary(remediations: readonly Remediation[]): ComplianceResult['remediation'] {
  if (remediations.length === 0) return null;
  return {
    summary: remediations.map((remediation) => remediation.summary).join(' '),
    references: [
      ...new Set(
        remediations.flatMap((remediation) =>
          remediation.steps.map((step) => step.source).filter((source) => /^https?:\/\//.test(source)),
        ),
      ),
    ],
  };
}

import type { ResourceKind, Severity } from '@app/audit';
import type { FindingView } from '@app/persistence';

/**
 * What every export speaks: one judgement of one resource against one check. Findings map onto it
 * now; control results (with `suppressed`) map onto it the same way, so OCSF and CSV need no
 * second path for them.
 */
export interface ComplianceResult {
  /** Id of this result (a finding's life, a control result). */
  readonly uid: string;
  /** Stable across scans: the same resource and check. */
  readonly lineageKey: string;
  readonly check: {
    /** `finding_rule` (Seed's finding rules) or `control` (the control catalogue). */
    readonly kind: 'finding_rule' | 'control';
    readonly id: string;
    readonly title: string;
    /** Frameworks the check answers (e.g. `cis-alibaba-v2.0.0`); empty for a plain rule. */
    readonly standards: readonly string[];
  };
  /** The verdict. `suppressed` keeps what it would have been in `suppressedStatus`. */
  readonly status: ComplianceStatus;
  readonly suppressedStatus: 'fail' | 'warning' | null;
  /** Whether the result still holds, and if not, why it ended. */
  readonly lifecycle: ResultLifecycle;
  readonly severity: Severity;
  readonly message: string;
  readonly resource: {
    readonly key: string;
    readonly kind: ResourceKind;
    readonly accountAlias: string;
    readonly region: string;
    readonly name: string;
  };
  /** Raw facts behind the verdict (scan ids, change ids, encryption). No secret ever goes here. */
  readonly evidence: Readonly<Record<string, string | number | boolean | null>>;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
  /** Remediation text, or null when none is known. */
  readonly remediation: { readonly summary: string; readonly references: readonly string[] } | null;
}

export type ComplianceStatus = 'pass' | 'fail' | 'warning' | 'suppressed';

export type ResultLifecycle =
  | { readonly state: 'open' }
  | {
      readonly state: 'closed';
      /** fixed: the check now passes; resource_deleted: gone; out_of_scope: no longer audited. */
      readonly reason: 'fixed' | 'resource_deleted' | 'out_of_scope';
      readonly at: Date;
    };

/**
 * A finding as a compliance result, as it stood at `at` (default: now). A finding that was open at
 * `at` and resolved later is open here: an export "as of" a date tells what was true then.
 * `unverifiable` is a warning (the encryption could not be read), every other rule a fail while open.
 */
export function findingResult(
  finding: FindingView,
  remediation: ComplianceResult['remediation'] = null,
  at?: Date,
): ComplianceResult {
  const { resolvedAt, resolution } = finding;
  const lifecycle: ResultLifecycle =
    resolvedAt !== null && resolution !== null && (at === undefined || resolvedAt <= at)
      ? { state: 'closed', reason: resolution, at: resolvedAt }
      : { state: 'open' };
  const openStatus = finding.rule === 'unverifiable' ? 'warning' : 'fail';
  // An accepted exception suppresses an open finding: shown as suppressed, never as a pass.
  const suppressed = lifecycle.state === 'open' && finding.exceptionId !== null;
  const lastSeenAt =
    at !== undefined && finding.lastSeenAt > at
      ? new Date(Math.max(at.getTime(), finding.openedAt.getTime()))
      : finding.lastSeenAt;
  return {
    uid: finding.id,
    lineageKey: finding.findingKey,
    check: { kind: 'finding_rule', id: finding.rule, title: finding.title, standards: [] },
    status:
      lifecycle.state === 'closed' && lifecycle.reason === 'fixed'
        ? 'pass'
        : suppressed
          ? 'suppressed'
          : openStatus,
    suppressedStatus: suppressed ? openStatus : null,
    lifecycle,
    severity: finding.severity,
    message: finding.message,
    resource: {
      key: finding.resource.resourceKey,
      kind: finding.resource.kind,
      accountAlias: finding.resource.accountAlias,
      region: finding.resource.region,
      name: finding.resource.name,
    },
    evidence: {
      encryptionClass: finding.encryptionClass,
      algorithm: finding.algorithm,
      kmsKeyId: finding.kmsKeyId,
      openedScanId: finding.openedScanId,
      lastSeenScanId: finding.lastSeenScanId,
      evidenceChangeId: finding.evidenceChangeId,
      resolvedScanId: finding.resolvedScanId,
      stale: finding.stale,
      exceptionId: finding.exceptionId,
    },
    firstSeenAt: finding.openedAt,
    lastSeenAt,
    remediation,
  };
}

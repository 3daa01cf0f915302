import type { Severity } from '@app/audit';

import type { ControlCatalogue, RuleId } from './catalogue/catalogue';
import { exceptionStateAt, scopeMatches, type ComplianceException } from './exceptions/exception';
import type { RemedyIntent } from './remediation/remedy-intent';
import type { ComplianceResourceKind, ResourceFacts } from './resource-facts';
import { DEFAULT_COMPLIANCE_POLICY, RULES, type CompliancePolicy, type Evidence } from './rules';

/** A control's answer for one resource. `suppressed`: an active exception accepted a fail or warning. */
export type ControlStatus = 'pass' | 'fail' | 'warning' | 'suppressed';

/** One control's result for one resource at one instant. */
export interface ControlResult {
  readonly controlId: string;
  readonly ruleId: RuleId;
  readonly catalogueVersion: string;
  readonly severity: Severity;
  readonly resourceKey: string;
  readonly resourceKind: ComplianceResourceKind;
  readonly status: ControlStatus;
  /** What a suppressed result would have been; null unless `suppressed`. */
  readonly suppressedStatus: 'fail' | 'warning' | null;
  /** The active exceptions that suppress it, by id; empty unless `suppressed`. */
  readonly exceptionIds: readonly string[];
  readonly reason: string;
  /** The facts the rule used, raw. */
  readonly evidence: Evidence;
  /** What would fix a fail or warning (kept when suppressed); empty for a pass. */
  readonly remedies: readonly RemedyIntent[];
  readonly evaluatedAt: Date;
}

/**
 * Judges one resource against every control of the catalogue that applies to its kind, at `at`. A control
 * whose rule finds it not applicable (a resource that names no key, a service key's rotation) gives no result;
 * every other gives exactly one. Missing inputs are warnings, never passes. A fail or warning that an active
 * exception covers becomes `suppressed` and keeps what it would have been; a suppression never makes a pass,
 * and a pass stays a pass whatever the exceptions.
 */
export function evaluateControls(
  facts: ResourceFacts,
  catalogue: ControlCatalogue,
  exceptions: readonly ComplianceException[],
  at: Date,
  policy: CompliancePolicy = DEFAULT_COMPLIANCE_POLICY,
): ControlResult[] {
  const resource = facts.resource;
  const covering = exceptions.filter(
    (exception) => exceptionStateAt(exception, at) === 'active' && scopeMatches(exception.scope, resource),
  );
  const results: ControlResult[] = [];
  for (const control of catalogue.controls) {
    if (!control.resourceKinds.includes(resource.kind)) continue;
    const verdict = RULES[control.ruleId](facts, { at, policy });
    if (verdict.status === 'not_applicable') continue;
    const suppressing =
      verdict.status === 'pass'
        ? []
        : covering.filter((exception) => exception.controlIds.includes(control.id));
    const suppressed = verdict.status !== 'pass' && suppressing.length > 0;
    results.push({
      controlId: control.id,
      ruleId: control.ruleId,
      catalogueVersion: catalogue.version,
      severity: control.severity,
      resourceKey: resource.resourceKey,
      resourceKind: resource.kind,
      status: suppressed ? 'suppressed' : verdict.status,
      suppressedStatus: suppressed ? verdict.status : null,
      exceptionIds: suppressed ? suppressing.map((exception) => exception.id) : [],
      reason: verdict.reason,
      evidence: verdict.evidence,
      remedies: verdict.remedies,
      evaluatedAt: at,
    });
  }
  return results;
}

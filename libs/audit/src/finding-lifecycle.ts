import { createHash } from 'node:crypto';

import type { EncryptionObservation, FindingRule, ResourceRef, Severity } from './domain';
import { isCompleteObservation, type RequiredFinding } from './finding-policy';

/**
 * Stable identity of the finding lineage of one rule on one resource: the first 32 hex characters of
 * sha256(`{resourceKey}\n{rule}`). A finding that resolves and fires again is a new finding with the
 * same key.
 */
export function findingKey(resourceKey: string, rule: FindingRule): string {
  return createHash('sha256').update(`${resourceKey}\n${rule}`, 'utf8').digest('hex').slice(0, 32);
}

/** What reconciliation needs of a currently open finding; persistence rows satisfy it as they are. */
export interface OpenFinding {
  readonly rule: FindingRule;
  readonly severity: Severity;
}

/** A finding to open now, with the key it is stored under. */
export interface NewFinding extends RequiredFinding {
  readonly findingKey: string;
}

/** An open finding the observation still calls for: its `last_seen` moves; title, message or severity may change. */
export interface StillOpenFinding<F extends OpenFinding> {
  readonly finding: F;
  readonly required: RequiredFinding;
  readonly severityChanged: boolean;
}

/** One resource's observation, the findings it requires and the findings open before it. */
export interface FindingReconciliationInput<F extends OpenFinding> {
  readonly resource: ResourceRef;
  readonly observation: EncryptionObservation;
  /** `evaluateFindings` of this observation. */
  readonly required: readonly RequiredFinding[];
  /**
   * Rules this evaluation could not judge (the key or the parent was unknown): their open findings
   * are left as they are, neither kept nor resolved.
   */
  readonly unjudged?: readonly FindingRule[];
  /** The resource's currently open findings (resolved ones are history and never reopen). */
  readonly open: readonly F[];
}

/** Every open finding given lands in exactly one of `stillOpen`, `resolve` and `notEvaluated`. */
export interface FindingReconciliation<F extends OpenFinding> {
  readonly open: readonly NewFinding[];
  readonly stillOpen: readonly StillOpenFinding<F>[];
  readonly resolve: readonly F[];
  /** Open findings an incomplete observation cannot speak to: left as they are, `last_seen` unmoved. */
  readonly notEvaluated: readonly F[];
}

/**
 * Decides the lifecycle step of one resource's findings after one observation. A complete observation
 * resolves every open finding it no longer requires. An incomplete (`unknown`) observation resolves
 * nothing and can only open or keep `unverifiable`: a resource that could not be observed must never
 * look clean. If several open findings share a rule (which storage should prevent), the first is kept
 * and the others are treated as no longer required.
 */
export function reconcileFindings<F extends OpenFinding>(
  input: FindingReconciliationInput<F>,
): FindingReconciliation<F> {
  const complete = isCompleteObservation(input.observation);
  const required = complete ? input.required : input.required.filter((f) => f.rule === 'unverifiable');
  const requiredByRule = new Map(required.map((finding) => [finding.rule, finding]));

  const stillOpen: StillOpenFinding<F>[] = [];
  const resolve: F[] = [];
  const notEvaluated: F[] = [];
  const kept = new Set<FindingRule>();
  const unjudged = new Set(input.unjudged ?? []);
  for (const finding of input.open) {
    const current = requiredByRule.get(finding.rule);
    if (current !== undefined && !kept.has(finding.rule)) {
      kept.add(finding.rule);
      stillOpen.push({ finding, required: current, severityChanged: current.severity !== finding.severity });
    } else {
      (complete && !unjudged.has(finding.rule) ? resolve : notEvaluated).push(finding);
    }
  }

  const open = [...requiredByRule.values()]
    .filter((finding) => !kept.has(finding.rule))
    .map((finding) => ({ ...finding, findingKey: findingKey(input.resource.resourceKey, finding.rule) }));
  return { open, stillOpen, resolve, notEvaluated };
}

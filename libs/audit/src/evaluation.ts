import {
  alertDedupeKey,
  alertResource,
  encryptionSummary,
  type AlertEventType,
  type AlertPayloads,
} from './alerts';
import type {
  DriftDirection,
  DriftKind,
  EncryptionClass,
  EncryptionObservation,
  FindingRule,
  ResourceRef,
  Severity,
} from './domain';
import { diffEncryption, isAlertableDrift, type DriftChange } from './drift';
import { reconcileFindings } from './finding-lifecycle';
import { isCompleteObservation, judgeResource, type FindingPolicy } from './finding-policy';
import type { KeyAssessment } from './key-facts';

/**
 * The evaluation contract: what the end of a scan knows of one resource (its observation in this
 * scan, its previous complete observation and its open findings) and what the audit decides for it
 * (findings to open, keep and resolve; a drift event; alerts). Storage loads the inputs and writes
 * the outputs; the decision is {@link evaluateResource}, pure.
 */

/** One row of the change log: an observation and the id it is stored under. */
export interface ObservedChange {
  readonly changeId: number;
  readonly observation: EncryptionObservation;
}

/** An open finding of the resource under evaluation. */
export interface OpenFindingRef {
  readonly id: string;
  readonly findingKey: string;
  readonly rule: FindingRule;
  readonly severity: Severity;
}

/** Everything evaluation needs to decide one resource's findings, drift and alerts. */
export interface ResourceEvaluationInput {
  readonly resourceId: number;
  readonly ref: ResourceRef;
  /** First scan ever to see the resource. */
  readonly firstSeenInThisScan: boolean;
  /** Seen again by this scan after an earlier scan had marked it deleted. */
  readonly reappearedInThisScan: boolean;
  /** The scan that saw the resource before this one (recorded on drift events); null if none. */
  readonly previousScanId: number | null;
  /** What this scan observed; null for a resource that disappeared or left the audit's scope. */
  readonly current: ObservedChange | null;
  /** Why there is no current observation: gone from a completely listed scope, or out of scope. */
  readonly absence: 'disappeared' | 'out_of_scope' | null;
  /**
   * The latest complete (non-`unknown`) change recorded before this scan: the "before" of drift.
   * When nothing changed it is the current change itself, so comparing observations finds no drift.
   */
  readonly previousComplete: ObservedChange | null;
  readonly openFindings: readonly OpenFindingRef[];
  /** The KMS key the current observation names, as this scan saw it. */
  readonly key: KeyAssessment;
  /** A table's table bucket, as currently observed; null otherwise. */
  readonly parent: EncryptionObservation | null;
  /** The account uid of the resource, when known. */
  readonly accountId: string | null;
}

/**
 * Why a finding stopped being open: the resource no longer needs it, the resource is gone, or the
 * configuration no longer covers the resource (never "fixed": nobody looked).
 */
export type FindingResolution = 'fixed' | 'resource_deleted' | 'out_of_scope';

export interface FindingToOpen {
  /** Stable key of the finding lineage (resource + rule): {@link findingKey}. */
  readonly findingKey: string;
  readonly rule: FindingRule;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
}

/** An open finding the current observation still calls for, with its current wording and severity. */
export interface FindingToKeep {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
}

export interface FindingToResolve {
  readonly id: string;
  readonly resolution: FindingResolution;
}

/** Encryption state on one side of a drift event (a KMS key's: also its state, rotation, protection). */
export interface DriftSnapshot {
  readonly encryptionClass: EncryptionClass;
  readonly algorithm: string | null;
  readonly kmsKeyId: string | null;
  readonly kmsDataEncryption: string | null;
  readonly changeId: number | null;
  readonly keyState?: string;
  readonly automaticRotation?: string | null;
  readonly deletionProtection?: string | null;
  readonly deleteDate?: string | null;
}

export interface DriftToRecord {
  readonly kind: DriftKind;
  /** Set for `encryption_changed`; null for appeared and disappeared. */
  readonly direction: DriftDirection | null;
  readonly before: DriftSnapshot | null;
  readonly after: DriftSnapshot | null;
}

/** An alert for the outbox, typed by its kind. */
export type AlertToQueue = {
  [Type in AlertEventType]: {
    /** Delivery is at-least-once per key: a second alert with the same key is dropped. */
    readonly dedupeKey: string;
    readonly eventType: Type;
    readonly severity: Severity;
    readonly payload: AlertPayloads[Type];
    /** Links the alert to a finding of this resource opened by this output. */
    readonly findingKey?: string;
    /** Links the alert to this output's drift event. */
    readonly drift?: boolean;
  };
}[AlertEventType];

/**
 * What evaluation decided for one resource. Every open finding of the input lands in exactly one of
 * `keepOpen` and `resolve`, or in neither when an incomplete observation cannot speak to it.
 */
export interface ResourceEvaluationOutput {
  readonly open: readonly FindingToOpen[];
  readonly keepOpen: readonly FindingToKeep[];
  readonly resolve: readonly FindingToResolve[];
  readonly drift: DriftToRecord | null;
  readonly alerts: readonly AlertToQueue[];
}

/** Decides a page of resources at once: one output per input, in the same order. */
export type ResourceEvaluator = (
  inputs: readonly ResourceEvaluationInput[],
) => readonly ResourceEvaluationOutput[];

/** The scan's decision function for a policy, evaluating at `at` (see {@link evaluateResource}). */
export function createResourceEvaluator(policy: FindingPolicy, at: Date = new Date()): ResourceEvaluator {
  return (inputs) => inputs.map((input) => evaluateResource(input, policy, at));
}

/**
 * Decides one resource's findings, drift and alerts. A resource that disappeared resolves its
 * findings (`resource_deleted`) and records `disappeared`; an observed one opens, keeps and resolves
 * findings as the policy and the finding lifecycle say, records drift between consecutive complete
 * observations, and alerts on transitions only: a finding that opens, or a drift the policy calls
 * alertable (a weakening, or a move to no encryption).
 */
export function evaluateResource(
  input: ResourceEvaluationInput,
  policy: FindingPolicy,
  at: Date = new Date(),
): ResourceEvaluationOutput {
  const { current } = input;
  if (current === null) {
    const leftScope = input.absence === 'out_of_scope';
    return {
      open: [],
      keepOpen: [],
      resolve: input.openFindings.map((finding) => ({
        id: finding.id,
        resolution: leftScope ? 'out_of_scope' : 'resource_deleted',
      })),
      drift: leftScope
        ? null
        : {
            kind: 'disappeared',
            direction: null,
            before: input.previousComplete === null ? null : snapshot(input.previousComplete),
            after: null,
          },
      alerts: [],
    };
  }

  const observation = current.observation;
  const judged = judgeResource(input.ref, observation, policy, {
    key: input.key,
    parent: input.parent,
    accountId: input.accountId,
    at,
  });
  const reconciliation = reconcileFindings({
    resource: input.ref,
    observation,
    required: judged.required,
    unjudged: judged.unjudged,
    open: input.openFindings,
  });
  const drift = driftOf(input, current);
  const resource = alertResource(input.ref);
  const alerts: AlertToQueue[] = reconciliation.open.map((finding) => ({
    dedupeKey: alertDedupeKey.findingOpened(finding.findingKey, current.changeId),
    eventType: 'finding_opened',
    severity: finding.severity,
    findingKey: finding.findingKey,
    payload: {
      ...resource,
      rule: finding.rule,
      title: finding.title,
      message: finding.message,
      encryption: encryptionSummary(observation),
    },
  }));
  if (drift !== null && drift.change.kind === 'encryption_changed' && isAlertableDrift(drift.change)) {
    const { before, after } = drift.change;
    alerts.push({
      dedupeKey: alertDedupeKey.encryptionWeakened(input.ref.resourceKey, current.changeId),
      eventType: 'encryption_weakened',
      severity:
        after?.encryptionClass === 'none'
          ? policy.weakeningAlertSeverity.toNone
          : policy.weakeningAlertSeverity.other,
      drift: true,
      payload: {
        ...resource,
        before: before === null ? null : encryptionSummary(before),
        after: after === null ? null : encryptionSummary(after),
        changedFields: drift.change.changedFields,
      },
    });
  }

  return {
    open: reconciliation.open.map(({ findingKey, rule, severity, title, message }) => ({
      findingKey,
      rule,
      severity,
      title,
      message,
    })),
    keepOpen: reconciliation.stillOpen.map(({ finding, required }) => ({
      id: finding.id,
      severity: required.severity,
      title: required.title,
      message: required.message,
    })),
    resolve: reconciliation.resolve.map((finding) => ({ id: finding.id, resolution: 'fixed' })),
    drift: drift?.record ?? null,
    alerts,
  };
}

/**
 * Drift compares consecutive complete observations. A resource seen for the first time (or again
 * after it had disappeared) `appeared`; an `unknown` observation is never a side of a diff.
 */
function driftOf(
  input: ResourceEvaluationInput,
  current: ObservedChange,
): { change: DriftChange; record: DriftToRecord } | null {
  if (!isCompleteObservation(current.observation)) return null;
  const appeared = input.firstSeenInThisScan || input.reappearedInThisScan;
  const before = appeared ? null : input.previousComplete;
  if (!appeared && before === null) return null;
  const change = diffEncryption(before?.observation ?? null, current.observation, input.ref.kind);
  if (change === null) return null;
  return {
    change,
    record: {
      kind: change.kind,
      direction: change.kind === 'encryption_changed' ? change.direction : null,
      before: before === null ? null : snapshot(before),
      after: snapshot(current),
    },
  };
}

function snapshot(change: ObservedChange): DriftSnapshot {
  const { encryptionClass, algorithm, kmsKeyId, kmsDataEncryption, keyFacts } = change.observation;
  const base = { encryptionClass, algorithm, kmsKeyId, kmsDataEncryption, changeId: change.changeId };
  return keyFacts == null
    ? base
    : {
        ...base,
        keyState: keyFacts.keyState,
        automaticRotation: keyFacts.automaticRotation,
        deletionProtection: keyFacts.deletionProtection,
        deleteDate: keyFacts.deleteDate,
      };
}

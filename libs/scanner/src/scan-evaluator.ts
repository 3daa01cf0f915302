import {
  diffEncryption,
  evaluateFindings,
  isAlertableDrift,
  isCompleteObservation,
  reconcileFindings,
  type DriftChange,
  type EncryptionObservation,
  type FindingPolicy,
} from '@app/audit';
import type {
  AlertToQueue,
  DriftSnapshot,
  DriftToRecord,
  ObservedChange,
  ResourceEvaluationInput,
  ResourceEvaluationOutput,
  ResourceEvaluator,
} from '@app/persistence';

/**
 * The scan's decision function, pure: for each resource, which findings open, stay open or
 * resolve, which drift event is recorded and which alerts are queued. Alerts fire on transitions
 * only: a finding that opens, or a drift that weakens encryption; their dedupe keys name the change
 * that caused them, so a re-run of the same evaluation queues nothing new and a finding that
 * resolves and reopens alerts again.
 */
export function createResourceEvaluator(policy: FindingPolicy): ResourceEvaluator {
  return (inputs) => inputs.map((input) => evaluateResource(input, policy));
}

function evaluateResource(input: ResourceEvaluationInput, policy: FindingPolicy): ResourceEvaluationOutput {
  const { current } = input;
  if (current === null) {
    return {
      open: [],
      keepOpen: [],
      resolve: input.openFindings.map((finding) => ({
        id: finding.id,
        resolution: 'resource_deleted' as const,
      })),
      drift: {
        kind: 'disappeared',
        direction: null,
        before: input.previousComplete === null ? null : snapshot(input.previousComplete),
        after: null,
      },
      alerts: [],
    };
  }

  const observation = current.observation;
  const required = evaluateFindings(input.ref, observation, policy);
  const reconciliation = reconcileFindings({
    resource: input.ref,
    observation,
    required,
    open: input.openFindings,
  });
  const drift = driftOf(input, current);
  // What every alert says of the resource it is about.
  const resource = {
    resourceKey: input.ref.resourceKey,
    resourceKind: input.ref.kind,
    accountAlias: input.ref.accountAlias,
    region: input.ref.region,
    name: input.ref.name,
  };
  const alerts: AlertToQueue[] = reconciliation.open.map((finding) => ({
    dedupeKey: `finding_opened:${finding.findingKey}:${current.changeId.toString()}`,
    eventType: 'finding_opened',
    severity: finding.severity,
    findingKey: finding.findingKey,
    payload: {
      ...resource,
      rule: finding.rule,
      title: finding.title,
      message: finding.message,
      encryption: describe(observation),
    },
  }));
  if (drift !== null && drift.change.kind === 'encryption_changed' && isAlertableDrift(drift.change)) {
    alerts.push({
      dedupeKey: `encryption_weakened:${input.ref.resourceKey}:${current.changeId.toString()}`,
      eventType: 'encryption_weakened',
      severity: drift.change.after?.encryptionClass === 'none' ? 'high' : 'medium',
      drift: true,
      payload: {
        ...resource,
        before: drift.change.before === null ? null : describe(drift.change.before),
        after: drift.change.after === null ? null : describe(drift.change.after),
        changedFields: drift.change.changedFields,
      },
    });
  }

  return {
    open: reconciliation.open.map((finding) => ({
      findingKey: finding.findingKey,
      rule: finding.rule,
      severity: finding.severity,
      title: finding.title,
      message: finding.message,
    })),
    keepOpen: reconciliation.stillOpen.map(({ finding, required: still }) => ({
      id: finding.id,
      severity: still.severity,
      title: still.title,
      message: still.message,
    })),
    resolve: reconciliation.resolve.map((finding) => ({ id: finding.id, resolution: 'fixed' as const })),
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
  const change = diffEncryption(before?.observation ?? null, current.observation);
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
  return {
    encryptionClass: change.observation.encryptionClass,
    algorithm: change.observation.algorithm,
    kmsKeyId: change.observation.kmsKeyId,
    kmsDataEncryption: change.observation.kmsDataEncryption,
    changeId: change.changeId,
  };
}

function describe(observation: EncryptionObservation): Record<string, string | null> {
  return {
    encryptionClass: observation.encryptionClass,
    algorithm: observation.algorithm,
    kmsKeyId: observation.kmsKeyId,
    kmsDataEncryption: observation.kmsDataEncryption,
  };
}

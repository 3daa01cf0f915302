import type {
  DriftSnapshot,
  DriftToRecord,
  ResourceEvaluationInput,
  ResourceEvaluationOutput,
} from '@app/audit';

import { PersistenceError } from './persistence-error';

/**
 * The writes of one evaluated chunk, one array per column, ready for `unnest`. Building it is pure.
 * The decisions are the audit's (`evaluateResource`, which keeps the finding lifecycle); storage
 * only checks that each output has the shape it can write: one per input, findings that belong to
 * the resource, and a drift event the table's constraint accepts.
 */
export interface EvaluationWritePlan {
  readonly resolve: {
    readonly ids: string[];
    readonly resolutions: string[];
  };
  readonly keep: {
    readonly ids: string[];
    readonly severities: string[];
    readonly titles: string[];
    readonly messages: string[];
    readonly encryptionClasses: string[];
    readonly algorithms: (string | null)[];
    readonly kmsKeyIds: (string | null)[];
    readonly evidenceChangeIds: number[];
  };
  readonly open: {
    readonly findingKeys: string[];
    readonly resourceIds: number[];
    readonly rules: string[];
    readonly severities: string[];
    readonly titles: string[];
    readonly messages: string[];
    readonly encryptionClasses: string[];
    readonly algorithms: (string | null)[];
    readonly kmsKeyIds: (string | null)[];
    readonly evidenceChangeIds: number[];
  };
  readonly drift: {
    readonly resourceIds: number[];
    readonly previousScanIds: (number | null)[];
    readonly kinds: string[];
    readonly directions: (string | null)[];
    readonly befores: (string | null)[];
    readonly afters: (string | null)[];
  };
  readonly alerts: {
    readonly dedupeKeys: string[];
    readonly eventTypes: string[];
    readonly severities: string[];
    readonly resourceIds: number[];
    readonly findingKeys: (string | null)[];
    readonly driftKinds: (string | null)[];
    readonly payloads: string[];
  };
}

export function planEvaluationWrites(
  inputs: readonly ResourceEvaluationInput[],
  outputs: readonly ResourceEvaluationOutput[],
): EvaluationWritePlan {
  if (outputs.length !== inputs.length) {
    invalid(`The evaluator returned ${outputs.length} outputs for ${inputs.length} inputs`);
  }
  const plan = emptyPlan();
  inputs.forEach((input, index) => {
    const output = outputs[index];
    if (output === undefined) {
      invalid(`No output for resource ${input.resourceId}`);
    }
    addResource(plan, input, output);
  });
  return plan;
}

function addResource(
  plan: EvaluationWritePlan,
  input: ResourceEvaluationInput,
  output: ResourceEvaluationOutput,
): void {
  const resource = `resource ${input.resourceId}`;
  const ownFindings = new Set(input.openFindings.map((finding) => finding.id));
  const checkOwn = (id: string): void => {
    if (!ownFindings.has(id)) invalid(`Finding ${id} is not an open finding of ${resource}`);
  };

  for (const finding of output.resolve) {
    checkOwn(finding.id);
    plan.resolve.ids.push(finding.id);
    plan.resolve.resolutions.push(finding.resolution);
  }

  const current = input.current;
  if (current === null) {
    if (output.open.length > 0 || output.keepOpen.length > 0) {
      invalid(`${resource} disappeared: its findings can only be resolved`);
    }
  } else {
    const seen = current.observation;
    for (const finding of output.keepOpen) {
      checkOwn(finding.id);
      plan.keep.ids.push(finding.id);
      plan.keep.severities.push(finding.severity);
      plan.keep.titles.push(finding.title);
      plan.keep.messages.push(finding.message);
      plan.keep.encryptionClasses.push(seen.encryptionClass);
      plan.keep.algorithms.push(seen.algorithm);
      plan.keep.kmsKeyIds.push(seen.kmsKeyId);
      plan.keep.evidenceChangeIds.push(current.changeId);
    }
    for (const finding of output.open) {
      plan.open.findingKeys.push(finding.findingKey);
      plan.open.resourceIds.push(input.resourceId);
      plan.open.rules.push(finding.rule);
      plan.open.severities.push(finding.severity);
      plan.open.titles.push(finding.title);
      plan.open.messages.push(finding.message);
      plan.open.encryptionClasses.push(seen.encryptionClass);
      plan.open.algorithms.push(seen.algorithm);
      plan.open.kmsKeyIds.push(seen.kmsKeyId);
      plan.open.evidenceChangeIds.push(current.changeId);
    }
  }

  if (output.drift !== null) {
    checkDriftShape(resource, output.drift);
    plan.drift.resourceIds.push(input.resourceId);
    plan.drift.previousScanIds.push(input.previousScanId);
    plan.drift.kinds.push(output.drift.kind);
    plan.drift.directions.push(output.drift.direction);
    plan.drift.befores.push(snapshotJson(output.drift.before));
    plan.drift.afters.push(snapshotJson(output.drift.after));
  }

  for (const alert of output.alerts) {
    if (alert.drift === true && output.drift === null) {
      invalid(`Alert ${alert.dedupeKey} links a drift event ${resource} does not have`);
    }
    plan.alerts.dedupeKeys.push(alert.dedupeKey);
    plan.alerts.eventTypes.push(alert.eventType);
    plan.alerts.severities.push(alert.severity);
    plan.alerts.resourceIds.push(input.resourceId);
    plan.alerts.findingKeys.push(alert.findingKey ?? null);
    plan.alerts.driftKinds.push(alert.drift === true && output.drift !== null ? output.drift.kind : null);
    plan.alerts.payloads.push(JSON.stringify(alert.payload));
  }
}

function checkDriftShape(resource: string, drift: DriftToRecord): void {
  const valid =
    drift.kind === 'encryption_changed'
      ? drift.direction !== null && drift.before !== null && drift.after !== null
      : drift.kind === 'appeared'
        ? drift.before === null
        : drift.after === null;
  if (!valid) {
    invalid(
      `Drift ${drift.kind} of ${resource} is malformed: encryption_changed needs a direction, before and after; ` +
        'appeared has no before; disappeared has no after',
    );
  }
}

function snapshotJson(snapshot: DriftSnapshot | null): string | null {
  return snapshot === null ? null : JSON.stringify(snapshot);
}

function invalid(message: string): never {
  throw new PersistenceError('INVALID_EVALUATION_OUTPUT', message);
}

function emptyPlan(): EvaluationWritePlan {
  return {
    resolve: { ids: [], resolutions: [] },
    keep: {
      ids: [],
      severities: [],
      titles: [],
      messages: [],
      encryptionClasses: [],
      algorithms: [],
      kmsKeyIds: [],
      evidenceChangeIds: [],
    },
    open: {
      findingKeys: [],
      resourceIds: [],
      rules: [],
      severities: [],
      titles: [],
      messages: [],
      encryptionClasses: [],
      algorithms: [],
      kmsKeyIds: [],
      evidenceChangeIds: [],
    },
    drift: { resourceIds: [], previousScanIds: [], kinds: [], directions: [], befores: [], afters: [] },
    alerts: {
      dedupeKeys: [],
      eventTypes: [],
      severities: [],
      resourceIds: [],
      findingKeys: [],
      driftKinds: [],
      payloads: [],
    },
  };
}

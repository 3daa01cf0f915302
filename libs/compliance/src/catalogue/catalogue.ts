import type { Severity } from '@app/audit';

import type { ComplianceResourceKind } from '../resource-facts';

/** The checks the evaluator implements; a control names one, and many controls may share one. */
export type RuleId =
  | 'sse_service_key'
  | 'sse_account_key'
  | 'sse_enabled'
  | 'sse_kms'
  | 'sse_customer_key'
  | 'key_rotation_enabled'
  | 'key_deletion_protection_enabled'
  | 'resource_encrypted'
  | 'not_weaker_than_table_bucket'
  | 'key_exists'
  | 'key_enabled'
  | 'key_approved'
  | 'encryption_verifiable';

/** Where a control comes from, with the public texts it was read from (repository + path, or URL). */
export interface ControlSource {
  /** The body that wrote the requirement: `CIS`, `Alibaba Cloud Config`, `Seed`. */
  readonly authority: string;
  /** The document, e.g. `CIS Alibaba Cloud Foundations Benchmark v2.0.0`. */
  readonly document: string;
  /** The requirement inside it: a recommendation number or a managed rule id. */
  readonly reference: string;
  readonly citations: readonly string[];
}

/** One control: what it asks, where it comes from, which resources it judges, and the rule that judges it. */
export interface Control {
  /** Stable id: lowercase letters, digits, `.` and `-`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly source: ControlSource;
  /** The kinds the control applies to; any other kind gets no result from it. */
  readonly resourceKinds: readonly ComplianceResourceKind[];
  readonly severity: Severity;
  readonly ruleId: RuleId;
}

/** One requirement of a framework and the controls that answer it. */
export interface FrameworkRequirement {
  /** The requirement as the framework's mapping names it (a CIS number, a Cloud Config rule id). */
  readonly id: string;
  readonly title: string;
  readonly controlIds: readonly string[];
}

/** A framework (benchmark or compliance pack) mapped onto controls. */
export interface Framework {
  readonly id: string;
  readonly title: string;
  /** Who publishes the mapping and where it was read. */
  readonly source: { readonly publisher: string; readonly citations: readonly string[] };
  /** Only the requirements our controls answer; the rest of the framework is out of Seed's scope. */
  readonly requirements: readonly FrameworkRequirement[];
  /** What the mapping leaves out, in a sentence. */
  readonly scopeNote: string;
}

/** A versioned set of controls and the frameworks mapped onto them. */
export interface ControlCatalogue {
  /** Changes whenever a control's meaning or a mapping changes: results record it as evidence. */
  readonly version: string;
  readonly controls: readonly Control[];
  readonly frameworks: readonly Framework[];
}

const CONTROL_ID = /^[a-z0-9][a-z0-9.-]*$/;

/**
 * Problems that make a catalogue unusable, empty when it is sound: malformed or duplicate ids, controls
 * without kinds or citations, frameworks that name unknown controls.
 */
export function catalogueProblems(catalogue: ControlCatalogue): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const control of catalogue.controls) {
    if (!CONTROL_ID.test(control.id)) {
      problems.push(`control id "${control.id}" must be lowercase letters, digits, "." and "-"`);
    }
    if (ids.has(control.id)) {
      problems.push(`control id "${control.id}" is used twice`);
    }
    ids.add(control.id);
    if (control.resourceKinds.length === 0) {
      problems.push(`control "${control.id}" applies to no resource kind`);
    }
    if (control.source.citations.length === 0) {
      problems.push(`control "${control.id}" cites no source`);
    }
  }
  const frameworkIds = new Set<string>();
  for (const framework of catalogue.frameworks) {
    if (frameworkIds.has(framework.id)) {
      problems.push(`framework id "${framework.id}" is used twice`);
    }
    frameworkIds.add(framework.id);
    for (const requirement of framework.requirements) {
      for (const controlId of requirement.controlIds) {
        if (!ids.has(controlId)) {
          problems.push(
            `framework "${framework.id}" requirement "${requirement.id}" names unknown control "${controlId}"`,
          );
        }
      }
    }
  }
  return problems;
}

/** The ids of the controls a framework maps, each once, in mapping order. */
export function frameworkControlIds(framework: Framework): string[] {
  return [...new Set(framework.requirements.flatMap((requirement) => requirement.controlIds))];
}

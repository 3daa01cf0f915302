import type {
  DriftDirection,
  DriftKind,
  EncryptionClass,
  EncryptionObservation,
  FindingRule,
  ResourceRef,
  Severity,
} from '@app/audit';

/** One row of the change log, as evaluation sees it. */
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
  /** What this scan observed; null for a resource that disappeared. */
  readonly current: ObservedChange | null;
  /**
   * The latest complete (non-`unknown`) change recorded before this scan: the "before" of drift.
   * When nothing changed it is the current change itself, so comparing observations finds no drift.
   */
  readonly previousComplete: ObservedChange | null;
  readonly openFindings: readonly OpenFindingRef[];
}

export type FindingResolution = 'fixed' | 'resource_deleted';

export type AlertEventType = 'finding_opened' | 'encryption_weakened';

export interface FindingToOpen {
  /** Stable key of the finding lineage (resource + rule): `findingKey` of @app/audit. */
  readonly findingKey: string;
  readonly rule: FindingRule;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
}

/** An open finding the current observation still calls for; title and message kept when omitted. */
export interface FindingToKeep {
  readonly id: string;
  readonly severity: Severity;
  readonly title?: string;
  readonly message?: string;
}

export interface FindingToResolve {
  readonly id: string;
  readonly resolution: FindingResolution;
}

/** Encryption state on one side of a drift event. */
export interface DriftSnapshot {
  readonly encryptionClass: EncryptionClass;
  readonly algorithm: string | null;
  readonly kmsKeyId: string | null;
  readonly kmsDataEncryption: string | null;
  readonly changeId: number | null;
}

export interface DriftToRecord {
  readonly kind: DriftKind;
  /** Required for `encryption_changed`; optional for appeared and disappeared. */
  readonly direction: DriftDirection | null;
  readonly before: DriftSnapshot | null;
  readonly after: DriftSnapshot | null;
}

export interface AlertToQueue {
  /** Delivery is at-least-once per key: a second alert with the same key is dropped. */
  readonly dedupeKey: string;
  readonly eventType: AlertEventType;
  readonly severity: Severity;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Links the alert to a finding of this resource: one opened by this output or already open. */
  readonly findingKey?: string;
  /** Links the alert to this output's drift event. */
  readonly drift?: boolean;
}

/** What evaluation decided for one resource. */
export interface ResourceEvaluationOutput {
  readonly open: readonly FindingToOpen[];
  readonly keepOpen: readonly FindingToKeep[];
  readonly resolve: readonly FindingToResolve[];
  readonly drift: DriftToRecord | null;
  readonly alerts: readonly AlertToQueue[];
}

/**
 * Pure decision function supplied by the scanner (built from @app/audit): one output per input,
 * in the same order. It must not do I/O: it runs inside the evaluation transaction.
 */
export type ResourceEvaluator = (
  inputs: readonly ResourceEvaluationInput[],
) => readonly ResourceEvaluationOutput[];

/** Rows an evaluation wrote (rows that already existed, on a re-run, are not counted). */
export interface EvaluationCounts {
  readonly evaluated: number;
  readonly opened: number;
  readonly kept: number;
  readonly resolved: number;
  readonly drift: number;
  readonly alerts: number;
}

/** A set of resources expected in a scan: present resources of it the scan did not see have vanished. */
export interface EnumerationScope {
  readonly accountAlias: string;
  readonly kind: ResourceRef['kind'];
  readonly regions: readonly string[] | 'all';
}

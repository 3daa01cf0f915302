import type { FindingRule, ResourceKind, ResourceRef, Severity } from './domain';
import type { EncryptionObservation } from './domain';

/**
 * Every kind of alert the audit raises: the one definition the outbox constraint, the alerting
 * channels and the API read. Alerts fire on transitions only.
 */
export const ALERT_EVENT_TYPES = [
  'finding_opened',
  'encryption_weakened',
  'exception_expiring',
  'exception_stale',
] as const;

/** A kind of alert (see {@link ALERT_EVENT_TYPES}). */
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/** What an alert says of the resource it is about. */
export interface AlertResourcePayload {
  readonly resourceKey: string;
  readonly resourceKind: ResourceKind;
  readonly accountAlias: string;
  readonly region: string;
  readonly name: string;
}

/** One side of an encryption state in an alert. */
export interface EncryptionSummary {
  readonly encryptionClass: string;
  readonly algorithm: string | null;
  readonly kmsKeyId: string | null;
  readonly kmsDataEncryption: string | null;
}

/** The stored payload of a `finding_opened` alert. */
export interface FindingOpenedPayload extends AlertResourcePayload {
  readonly rule: FindingRule;
  readonly title: string;
  readonly message: string;
  readonly encryption: EncryptionSummary;
}

/** The stored payload of an `encryption_weakened` alert. */
export interface EncryptionWeakenedPayload extends AlertResourcePayload {
  readonly before: EncryptionSummary | null;
  readonly after: EncryptionSummary | null;
  readonly changedFields: readonly string[];
}

/** Alerts about a resource; the others are about an accountable exception. */
export const RESOURCE_ALERT_EVENT_TYPES = ['finding_opened', 'encryption_weakened'] as const;

/** Which resources an exception covers, as an alert shows it. */
export type ExceptionScopePayload =
  | { readonly type: 'resource'; readonly resourceKey: string }
  | {
      readonly type: 'names';
      readonly accountAlias: string;
      readonly namePatterns: readonly string[];
      readonly region: string | null;
      readonly resourceKind: string | null;
    };

/** What an alert says of the accountable exception it is about. */
export interface ExceptionAlertPayload {
  readonly exceptionId: string;
  readonly scope: ExceptionScopePayload;
  /** The account the scope lies in: the scope's own, or the covered resource's; null when unknown. */
  readonly accountAlias: string | null;
  readonly controlIds: readonly string[];
  readonly findingRules: readonly FindingRule[];
  readonly owner: string;
  readonly approver: string;
  readonly ticketUrl: string;
  /** ISO 8601. */
  readonly expiresAt: string;
}

/** The stored payload of an `exception_stale` alert. */
export interface ExceptionStalePayload extends ExceptionAlertPayload {
  /** ISO 8601: the time of the scan that first found it covering nothing. */
  readonly staleSince: string;
  readonly staleScanId: number;
}

/** The payload each kind of alert carries. */
export interface AlertPayloads {
  readonly finding_opened: FindingOpenedPayload;
  readonly encryption_weakened: EncryptionWeakenedPayload;
  readonly exception_expiring: ExceptionAlertPayload;
  readonly exception_stale: ExceptionStalePayload;
}

/**
 * Dedupe keys name the change that caused an alert: a re-run of the same evaluation queues
 * nothing new, and a finding that resolves and opens again (a new change) alerts again.
 */
export const alertDedupeKey = {
  findingOpened: (findingKey: string, changeId: number): string =>
    `finding_opened:${findingKey}:${changeId.toString()}`,
  encryptionWeakened: (resourceKey: string, changeId: number): string =>
    `encryption_weakened:${resourceKey}:${changeId.toString()}`,
  /** Once per expiry date: an exception extended to a new date that enters the window again alerts again. */
  exceptionExpiring: (exceptionId: string, expiresAt: Date): string =>
    `exception_expiring:${exceptionId}:${expiresAt.toISOString()}`,
  /** Once per stale spell: it alerts again only after it covered something and went stale again. */
  exceptionStale: (exceptionId: string, staleScanId: number): string =>
    `exception_stale:${exceptionId}:${staleScanId.toString()}`,
};

/** The resource part of every alert payload. */
export function alertResource(ref: ResourceRef): AlertResourcePayload {
  return {
    resourceKey: ref.resourceKey,
    resourceKind: ref.kind,
    accountAlias: ref.accountAlias,
    region: ref.region,
    name: ref.name,
  };
}

/** The encryption fields an alert shows of an observation. */
export function encryptionSummary(observation: EncryptionObservation): EncryptionSummary {
  return {
    encryptionClass: observation.encryptionClass,
    algorithm: observation.algorithm,
    kmsKeyId: observation.kmsKeyId,
    kmsDataEncryption: observation.kmsDataEncryption,
  };
}

/** How severe a weakening alert is: by where the encryption landed. */
export interface WeakeningAlertSeverities {
  /** The encryption was removed (landed on `none`). */
  readonly toNone: Severity;
  /** Any other weakening. */
  readonly other: Severity;
}

/** How severe the alerts about accountable exceptions are. */
export interface ExceptionAlertSeverities {
  /** An active exception ends within the digest window. */
  readonly expiring: Severity;
  /** An exception covers none of the resources in scope any more. */
  readonly stale: Severity;
}

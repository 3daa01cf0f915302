import { FINDING_RULES, type FindingRule, type ResourceKind, type Severity } from '@app/audit';
import type { OutboxAlertRecord } from '@app/persistence';

/** The resource an alert is about. */
export interface AlertResource {
  readonly key: string;
  readonly kind: ResourceKind | null;
  readonly accountAlias: string | null;
  readonly region: string | null;
  readonly name: string;
}

/** One side of an encryption state, as the scanner described it. */
export interface EncryptionSummary {
  readonly encryptionClass: string;
  readonly algorithm: string | null;
  readonly kmsKeyId: string | null;
  readonly kmsDataEncryption: string | null;
}

interface AlertEventBase {
  readonly outboxId: number;
  /** The alert's own key: stable for one transition (a finding opening, a weakening, an expiry window). */
  readonly dedupeKey: string;
  readonly severity: Severity;
  readonly scanId: number;
  readonly createdAt: Date;
}

interface ResourceAlertBase extends AlertEventBase {
  readonly resource: AlertResource;
}

/** The accountable exception an alert is about. */
export interface AlertException {
  readonly id: string;
  /** e.g. `resource oss:logs`, or `account prod, cn-hangzhou, bucket names logs-*`. */
  readonly scope: string;
  /** The account the scope lies in; null when not known. */
  readonly accountAlias: string | null;
  readonly controlIds: readonly string[];
  readonly findingRules: readonly FindingRule[];
  readonly owner: string | null;
  readonly approver: string | null;
  readonly ticketUrl: string | null;
  /** ISO 8601, as stored; null when missing. */
  readonly expiresAt: string | null;
}

/** A finding opened (first seen, or again after it had resolved). */
export interface FindingOpenedAlert extends ResourceAlertBase {
  readonly type: 'finding_opened';
  readonly rule: FindingRule | null;
  readonly title: string | null;
  readonly message: string | null;
  readonly encryption: EncryptionSummary | null;
}

/** A resource's encryption weakened between two complete observations. */
export interface EncryptionWeakenedAlert extends ResourceAlertBase {
  readonly type: 'encryption_weakened';
  readonly before: EncryptionSummary | null;
  readonly after: EncryptionSummary | null;
  readonly changedFields: readonly string[];
}

/** An active exception ends within the expiry window. */
export interface ExceptionExpiringAlert extends AlertEventBase {
  readonly type: 'exception_expiring';
  readonly exception: AlertException;
}

/** An exception covers none of the resources in scope any more. */
export interface ExceptionStaleAlert extends AlertEventBase {
  readonly type: 'exception_stale';
  readonly exception: AlertException;
  /** ISO 8601; null when missing. */
  readonly staleSince: string | null;
  /** The scan that first found it covering nothing; null when missing. */
  readonly staleScanId: number | null;
}

/** An alert about a resource. */
export type ResourceAlertEvent = FindingOpenedAlert | EncryptionWeakenedAlert;

/** An alert about an accountable exception. */
export type ExceptionAlertEvent = ExceptionExpiringAlert | ExceptionStaleAlert;

/** An outbox row read for people: what routing, digests and messages work with. */
export type AlertEvent = ResourceAlertEvent | ExceptionAlertEvent;

/**
 * Reads an outbox row. The payload is the scan evaluation's (`createResourceEvaluator`,
 * `exceptionAlerts`); a field missing or of the wrong type reads as null rather than failing, so
 * one odd row can never block a channel.
 */
export function toAlertEvent(record: OutboxAlertRecord): AlertEvent {
  const payload = record.payload;
  const base: AlertEventBase = {
    outboxId: record.id,
    dedupeKey: record.dedupeKey,
    severity: record.severity,
    scanId: record.scanId,
    createdAt: record.createdAt,
  };
  switch (record.eventType) {
    case 'finding_opened':
      return {
        ...base,
        resource: alertResource(record),
        type: 'finding_opened',
        rule: findingRule(payload.rule),
        title: text(payload, 'title'),
        message: text(payload, 'message'),
        encryption: encryptionSummary(payload.encryption),
      };
    case 'encryption_weakened':
      return {
        ...base,
        resource: alertResource(record),
        type: 'encryption_weakened',
        before: encryptionSummary(payload.before),
        after: encryptionSummary(payload.after),
        changedFields: Array.isArray(payload.changedFields)
          ? payload.changedFields.filter((field): field is string => typeof field === 'string')
          : [],
      };
    case 'exception_expiring':
      return { ...base, type: 'exception_expiring', exception: alertException(record) };
    case 'exception_stale': {
      const staleScanId = payload.staleScanId;
      return {
        ...base,
        type: 'exception_stale',
        exception: alertException(record),
        staleSince: text(payload, 'staleSince'),
        staleScanId:
          typeof staleScanId === 'number' && Number.isSafeInteger(staleScanId) ? staleScanId : null,
      };
    }
  }
}

function alertResource(record: OutboxAlertRecord): AlertResource {
  const { payload } = record;
  const id = record.resourceId?.toString() ?? '?';
  return {
    key: text(payload, 'resourceKey') ?? `resource:${id}`,
    kind: resourceKind(payload.resourceKind),
    accountAlias: text(payload, 'accountAlias'),
    region: text(payload, 'region'),
    name: text(payload, 'name') ?? text(payload, 'resourceKey') ?? `resource ${id}`,
  };
}

function alertException(record: OutboxAlertRecord): AlertException {
  const { payload } = record;
  return {
    id: text(payload, 'exceptionId') ?? record.exceptionId ?? '?',
    scope: describeScope(payload.scope),
    accountAlias: text(payload, 'accountAlias'),
    controlIds: texts(payload.controlIds),
    findingRules: texts(payload.findingRules).flatMap((rule) => {
      const known = findingRule(rule);
      return known === null ? [] : [known];
    }),
    owner: text(payload, 'owner'),
    approver: text(payload, 'approver'),
    ticketUrl: text(payload, 'ticketUrl'),
    expiresAt: text(payload, 'expiresAt'),
  };
}

/** `resource oss:logs`, or `account prod, cn-hangzhou, table_bucket names logs-*, tmp-*`. */
function describeScope(scope: unknown): string {
  const resourceKey = text(scope, 'resourceKey');
  if (resourceKey !== null) {
    return `resource ${resourceKey}`;
  }
  const account = text(scope, 'accountAlias');
  const patterns = texts(
    typeof scope === 'object' && scope !== null ? (scope as Record<string, unknown>).namePatterns : null,
  );
  if (account === null || patterns.length === 0) {
    return 'unknown scope';
  }
  const kind = text(scope, 'resourceKind') ?? 'resource';
  return [`account ${account}`, text(scope, 'region'), `${kind} names ${patterns.join(', ')}`]
    .filter((part): part is string => part !== null)
    .join(', ');
}

function texts(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string' && item !== '')
    : [];
}

function text(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' ? field : null;
}

function resourceKind(value: unknown): ResourceKind | null {
  return value === 'bucket' || value === 'table_bucket' ? value : null;
}

function findingRule(value: unknown): FindingRule | null {
  return FINDING_RULES.find((rule) => rule === value) ?? null;
}

function encryptionSummary(value: unknown): EncryptionSummary | null {
  const encryptionClass = text(value, 'encryptionClass');
  if (encryptionClass === null) {
    return null;
  }
  return {
    encryptionClass,
    algorithm: text(value, 'algorithm'),
    kmsKeyId: text(value, 'kmsKeyId'),
    kmsDataEncryption: text(value, 'kmsDataEncryption'),
  };
}

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
  /** The alert's own key: stable for one finding opening or one weakening. */
  readonly dedupeKey: string;
  readonly severity: Severity;
  readonly scanId: number;
  readonly createdAt: Date;
  readonly resource: AlertResource;
}

/** A finding opened (first seen, or again after it had resolved). */
export interface FindingOpenedAlert extends AlertEventBase {
  readonly type: 'finding_opened';
  readonly rule: FindingRule | null;
  readonly title: string | null;
  readonly message: string | null;
  readonly encryption: EncryptionSummary | null;
}

/** A resource's encryption weakened between two complete observations. */
export interface EncryptionWeakenedAlert extends AlertEventBase {
  readonly type: 'encryption_weakened';
  readonly before: EncryptionSummary | null;
  readonly after: EncryptionSummary | null;
  readonly changedFields: readonly string[];
}

/** An outbox row read for people: what routing, digests and messages work with. */
export type AlertEvent = FindingOpenedAlert | EncryptionWeakenedAlert;

/**
 * Reads an outbox row. The payload is the scanner's (`createResourceEvaluator`); a field missing or
 * of the wrong type reads as null rather than failing, so one odd row can never block a channel.
 */
export function toAlertEvent(record: OutboxAlertRecord): AlertEvent {
  const payload = record.payload;
  const base: AlertEventBase = {
    outboxId: record.id,
    dedupeKey: record.dedupeKey,
    severity: record.severity,
    scanId: record.scanId,
    createdAt: record.createdAt,
    resource: {
      key: text(payload, 'resourceKey') ?? `resource:${record.resourceId.toString()}`,
      kind: resourceKind(payload.resourceKind),
      accountAlias: text(payload, 'accountAlias'),
      region: text(payload, 'region'),
      name:
        text(payload, 'name') ?? text(payload, 'resourceKey') ?? `resource ${record.resourceId.toString()}`,
    },
  };
  switch (record.eventType) {
    case 'finding_opened':
      return {
        ...base,
        type: 'finding_opened',
        rule: findingRule(payload.rule),
        title: text(payload, 'title'),
        message: text(payload, 'message'),
        encryption: encryptionSummary(payload.encryption),
      };
    case 'encryption_weakened':
      return {
        ...base,
        type: 'encryption_weakened',
        before: encryptionSummary(payload.before),
        after: encryptionSummary(payload.after),
        changedFields: Array.isArray(payload.changedFields)
          ? payload.changedFields.filter((field): field is string => typeof field === 'string')
          : [],
      };
  }
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

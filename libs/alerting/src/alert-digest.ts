import { compareSeverity, SEVERITIES, type Severity } from '@app/audit';

import type { AlertEvent, EncryptionSummary } from './alert-event';
import { AlertingError } from './alerting-error';

/** Alerts listed in one message by default; the rest are counted ("and N more") and linked. */
export const DEFAULT_DIGEST_SIZE = 20;

/** The delivery a digest is the message of. */
export interface DigestDelivery {
  readonly id: number;
  readonly dedupeKey: string;
  readonly channel: string;
  readonly scanId: number;
  readonly createdAt: Date;
  readonly alertCount: number;
  readonly maxSeverity: Severity;
}

export interface DigestInput {
  readonly delivery: DigestDelivery;
  /** Alerts of the delivery per severity, all of them. */
  readonly severityCounts: Readonly<Partial<Record<Severity, number>>>;
  /** At least the first `size` alerts of the delivery, most severe first. */
  readonly alerts: readonly AlertEvent[];
  readonly size: number;
  /** `api.publicBaseUrl`: null leaves the message without a link. */
  readonly publicBaseUrl: string | null;
}

/** One severity and how many alerts of the digest have it. */
export interface SeverityCount {
  readonly severity: Severity;
  readonly count: number;
}

/** One message's content, whatever channel it goes to. */
export interface AlertDigest {
  readonly deliveryId: number;
  /** Stable across attempts; receivers drop repeats by it. */
  readonly dedupeKey: string;
  readonly channel: string;
  readonly scanId: number;
  readonly createdAt: Date;
  /** e.g. `Seed: 3 new encryption alerts`. */
  readonly title: string;
  readonly total: number;
  readonly maxSeverity: Severity;
  /** Most severe first; severities without alerts left out. */
  readonly severityCounts: readonly SeverityCount[];
  /** The alerts listed, at most `size`: most severe first, then by account, region and name. */
  readonly alerts: readonly AlertEvent[];
  /** Alerts not listed. */
  readonly omitted: number;
  /** The API query listing every alert of the message; null without a public base URL. */
  readonly link: string | null;
}

/** How an alert reads in a message line. */
export interface AlertLine {
  readonly severity: Severity;
  /** e.g. `bucket logs-archive`. */
  readonly subject: string;
  /** e.g. `account prod, cn-hangzhou`; null when the payload named neither. */
  readonly where: string | null;
  /** e.g. `Bucket has no server-side encryption`. */
  readonly what: string;
}

/** Builds the message of one delivery: capped list, counts, link. */
export function buildDigest(input: DigestInput): AlertDigest {
  if (!Number.isInteger(input.size) || input.size < 1) {
    throw new AlertingError(
      'INVALID_OPTIONS',
      `Digest size must be a positive integer, got ${String(input.size)}`,
    );
  }
  const { delivery } = input;
  const alerts = [...input.alerts].sort(compareForDigest).slice(0, input.size);
  const total = Math.max(delivery.alertCount, alerts.length);
  return {
    deliveryId: delivery.id,
    dedupeKey: delivery.dedupeKey,
    channel: delivery.channel,
    scanId: delivery.scanId,
    createdAt: delivery.createdAt,
    title: `Seed: ${total.toString()} new encryption alert${total === 1 ? '' : 's'}`,
    total,
    maxSeverity: delivery.maxSeverity,
    severityCounts: [...SEVERITIES]
      .reverse()
      .map((severity) => ({ severity, count: input.severityCounts[severity] ?? 0 }))
      .filter((entry) => entry.count > 0),
    alerts,
    omitted: total - alerts.length,
    link: deliveryAlertsLink(input.publicBaseUrl, delivery.id),
  };
}

/**
 * `{publicBaseUrl}/v1/alerts/{deliveryId}/items`: the API query that lists every alert of one
 * message (`GET /v1/alerts/{id}/items`, paginated); null without a public base URL.
 */
export function deliveryAlertsLink(publicBaseUrl: string | null, deliveryId: number): string | null {
  if (publicBaseUrl === null) {
    return null;
  }
  return `${publicBaseUrl.replace(/\/+$/, '')}/v1/alerts/${deliveryId.toString()}/items`;
}

/** `2 high, 1 medium`. */
export function describeSeverityCounts(counts: readonly SeverityCount[]): string {
  return counts.map((entry) => `${entry.count.toString()} ${entry.severity}`).join(', ');
}

/** The parts of an alert's line in a message. */
export function describeAlert(event: AlertEvent): AlertLine {
  switch (event.type) {
    case 'finding_opened':
    case 'encryption_weakened': {
      const { resource } = event;
      const kind = resource.kind === 'table_bucket' ? 'table bucket' : 'bucket';
      const place = [
        resource.accountAlias === null ? null : `account ${resource.accountAlias}`,
        resource.region,
      ]
        .filter((part): part is string => part !== null)
        .join(', ');
      return {
        severity: event.severity,
        subject: `${kind} ${resource.name}`,
        where: place === '' ? null : place,
        what:
          event.type === 'finding_opened'
            ? (event.title ?? `new ${event.rule ?? 'encryption'} finding`)
            : `encryption weakened from ${describeEncryption(event.before)} to ${describeEncryption(event.after)}`,
      };
    }
    case 'exception_expiring':
    case 'exception_stale': {
      const { exception } = event;
      return {
        severity: event.severity,
        subject: `Exception ${exception.id}`,
        where: exception.owner === null ? null : `owner ${exception.owner}`,
        what:
          event.type === 'exception_expiring'
            ? `expires on ${exception.expiresAt?.slice(0, 10) ?? 'an unknown date'} (${exception.scope})`
            : `matches no resource since scan #${event.staleScanId?.toString() ?? '?'} (${exception.scope})`,
      };
    }
  }
}

/** Where an alert is placed in a digest's order: account, region, name. */
function placeOf(event: AlertEvent): readonly [string | null, string | null, string] {
  return event.type === 'finding_opened' || event.type === 'encryption_weakened'
    ? [event.resource.accountAlias, event.resource.region, event.resource.name]
    : [event.exception.accountAlias, null, event.exception.id];
}

const CLASS_LABELS: Readonly<Record<string, string>> = {
  kms_cmk: 'KMS with a customer key',
  kms_default: 'KMS with the default key',
  oss_aes256: 'OSS-managed AES256',
  oss_sm4: 'OSS-managed SM4',
  none: 'no encryption',
};

function describeEncryption(state: EncryptionSummary | null): string {
  if (state === null) {
    return 'an unknown state';
  }
  return CLASS_LABELS[state.encryptionClass] ?? state.encryptionClass;
}

function compareForDigest(a: AlertEvent, b: AlertEvent): number {
  const [accountA, regionA, nameA] = placeOf(a);
  const [accountB, regionB, nameB] = placeOf(b);
  return (
    compareSeverity(b.severity, a.severity) ||
    compareText(accountA, accountB) ||
    compareText(regionA, regionB) ||
    compareText(nameA, nameB) ||
    a.outboxId - b.outboxId
  );
}

function compareText(a: string | null, b: string | null): number {
  const left = a ?? '';
  const right = b ?? '';
  return left < right ? -1 : left > right ? 1 : 0;
}

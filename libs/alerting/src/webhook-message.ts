import type { Severity } from '@app/audit';

import type { AlertDigest } from './alert-digest';
import type { AlertEvent, AlertException, AlertResource, EncryptionSummary } from './alert-event';
import { type ChannelRequest, USER_AGENT } from './channel-request';
import { webhookSignature } from './message-signing';

/** Header naming the message; receivers drop a message whose key they have seen (at-least-once delivery). */
export const DELIVERY_HEADER = 'x-seed-delivery';
/** Header with the signing time, Unix seconds. */
export const TIMESTAMP_HEADER = 'x-seed-timestamp';
/** Header with the signature (`webhookSignature`). */
export const SIGNATURE_HEADER = 'x-signature';

/** The generic webhook's JSON body, version 1. */
export interface WebhookDigestBody {
  readonly type: 'seed.alert_digest';
  readonly version: 1;
  /** Same as the `X-Seed-Delivery` header. */
  readonly deliveryKey: string;
  readonly channel: string;
  readonly scanId: number;
  readonly createdAt: string;
  readonly title: string;
  readonly total: number;
  /** Alerts counted in `total` but not listed in `alerts`: follow `link` for them. */
  readonly omitted: number;
  readonly maxSeverity: Severity;
  readonly severityCounts: Readonly<Partial<Record<Severity, number>>>;
  readonly link: string | null;
  readonly alerts: readonly WebhookAlert[];
}

/** One alert in a webhook body: about a resource, or about an accountable exception. */
export type WebhookAlert =
  | (WebhookAlertBase & {
      readonly type: 'finding_opened';
      readonly resource: AlertResource;
      readonly rule: string | null;
      readonly title: string | null;
      readonly message: string | null;
      readonly encryption: EncryptionSummary | null;
    })
  | (WebhookAlertBase & {
      readonly type: 'encryption_weakened';
      readonly resource: AlertResource;
      readonly before: EncryptionSummary | null;
      readonly after: EncryptionSummary | null;
      readonly changedFields: readonly string[];
    })
  | (WebhookAlertBase & {
      readonly type: 'exception_expiring';
      readonly exception: AlertException;
    })
  | (WebhookAlertBase & {
      readonly type: 'exception_stale';
      readonly exception: AlertException;
      readonly staleSince: string | null;
      readonly staleScanId: number | null;
    });

interface WebhookAlertBase {
  /** The alert's own key: a consumer that stores alerts one by one dedupes on it. */
  readonly dedupeKey: string;
  readonly severity: Severity;
  readonly createdAt: string;
}

/**
 * The generic webhook request: JSON body (`WebhookDigestBody`), `X-Seed-Delivery`,
 * `X-Seed-Timestamp` (Unix seconds of `signedAt`) and `X-Signature` (`webhookSignature`).
 */
export function webhookRequest(
  url: string,
  secret: string,
  digest: AlertDigest,
  signedAt: Date,
): ChannelRequest {
  const body = JSON.stringify(webhookBody(digest));
  const timestamp = Math.floor(signedAt.getTime() / 1000).toString();
  return {
    url,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': USER_AGENT,
      [DELIVERY_HEADER]: digest.dedupeKey,
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: webhookSignature(secret, timestamp, body),
    },
    body,
  };
}

/** The webhook body of a digest. */
export function webhookBody(digest: AlertDigest): WebhookDigestBody {
  return {
    type: 'seed.alert_digest',
    version: 1,
    deliveryKey: digest.dedupeKey,
    channel: digest.channel,
    scanId: digest.scanId,
    createdAt: digest.createdAt.toISOString(),
    title: digest.title,
    total: digest.total,
    omitted: digest.omitted,
    maxSeverity: digest.maxSeverity,
    severityCounts: Object.fromEntries(digest.severityCounts.map((entry) => [entry.severity, entry.count])),
    link: digest.link,
    alerts: digest.alerts.map(webhookAlert),
  };
}

/** One alert in the webhook's shape (also the API's). */
export function webhookAlert(event: AlertEvent): WebhookAlert {
  const base: WebhookAlertBase = {
    dedupeKey: event.dedupeKey,
    severity: event.severity,
    createdAt: event.createdAt.toISOString(),
  };
  switch (event.type) {
    case 'finding_opened':
      return {
        ...base,
        type: 'finding_opened',
        resource: event.resource,
        rule: event.rule,
        title: event.title,
        message: event.message,
        encryption: event.encryption,
      };
    case 'encryption_weakened':
      return {
        ...base,
        type: 'encryption_weakened',
        resource: event.resource,
        before: event.before,
        after: event.after,
        changedFields: event.changedFields,
      };
    case 'exception_expiring':
      return { ...base, type: 'exception_expiring', exception: event.exception };
    case 'exception_stale':
      return {
        ...base,
        type: 'exception_stale',
        exception: event.exception,
        staleSince: event.staleSince,
        staleScanId: event.staleScanId,
      };
  }
}

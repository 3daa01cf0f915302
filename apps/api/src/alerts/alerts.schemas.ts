import { ALERT_EVENT_TYPES, FINDING_RULES } from '@app/audit';
import { type AlertEvent, webhookAlert } from '@app/alerting';
import type { AlertDeliveryRecord, OutboxAlertRecord } from '@app/persistence';
import { z } from 'zod';

import {
  enumParameter,
  integerParameter,
  PAGE_PARAMETERS,
  RESOURCE_KIND_VALUES,
  SEVERITY_VALUES,
} from '../http/parameters';
import { iso, isoOrNull, pageOf, TIMESTAMP } from '../http/response-schemas';

const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
const CHANNEL_TYPES = ['webhook', 'dingtalk', 'slack'] as const;

/** Query of `GET /v1/alerts`. */
export const ALERTS_QUERY = z.strictObject({
  status: enumParameter(DELIVERY_STATUSES, 'Delivery status').optional(),
  channel: z
    .string({ error: 'must be a single channel name' })
    .regex(/^[a-z0-9-]{1,63}$/, { error: 'must be a channel name: lowercase letters, digits and -' })
    .optional()
    .meta({ description: 'Channel name (alerts.channels[].name)' }),
  ...PAGE_PARAMETERS,
});

/** Query of `GET /v1/alerts/{id}/items`. */
export const ALERT_ITEMS_QUERY = z.strictObject({ ...PAGE_PARAMETERS });

/** The `{id}` of a delivery. */
export const DELIVERY_ID_PARAMETERS = z.strictObject({
  id: integerParameter({ min: 1, max: Number.MAX_SAFE_INTEGER, description: 'Delivery id' }),
});

export const ALERT_DELIVERY = z
  .object({
    id: z.number().int(),
    dedupeKey: z.string().meta({
      description:
        'Sent with every attempt (`X-Seed-Delivery`, or in the message text): receivers dedupe on it',
    }),
    channel: z.string(),
    channelType: z.enum(CHANNEL_TYPES),
    scanId: z.number().int(),
    status: z.enum(DELIVERY_STATUSES),
    alertCount: z.number().int(),
    maxSeverity: z.enum(SEVERITY_VALUES),
    attempts: z.number().int(),
    nextAttemptAt: TIMESTAMP.nullable(),
    lastAttemptAt: TIMESTAMP.nullable(),
    lastError: z.string().nullable(),
    createdAt: TIMESTAMP,
    deliveredAt: TIMESTAMP.nullable(),
  })
  .meta({ id: 'AlertDelivery', description: 'One digest message of one scan to one channel' });

const ENCRYPTION_SUMMARY = z
  .object({
    encryptionClass: z.string(),
    algorithm: z.string().nullable(),
    kmsKeyId: z.string().nullable(),
    kmsDataEncryption: z.string().nullable(),
  })
  .meta({ id: 'AlertEncryption' });

const FINDING_RULE_VALUES = FINDING_RULES as readonly [string, ...string[]];

const ALERT_COMMON = {
  id: z.number().int(),
  scanId: z.number().int(),
  resourceId: z.number().int().nullable().meta({ description: 'Null on an alert about an exception' }),
  findingId: z.string().nullable(),
  driftEventId: z.number().int().nullable(),
  exceptionId: z.string().nullable().meta({ description: 'Set on an alert about an exception only' }),
  dedupeKey: z.string(),
  severity: z.enum(SEVERITY_VALUES),
  createdAt: TIMESTAMP,
};

const ALERT_RESOURCE = z.object({
  key: z.string(),
  kind: z.enum(RESOURCE_KIND_VALUES).nullable(),
  accountAlias: z.string().nullable(),
  region: z.string().nullable(),
  name: z.string(),
});

const ALERT_EXCEPTION = z
  .object({
    id: z.string(),
    scope: z.string().meta({ description: 'The resource key, or the account, region, kind and name globs' }),
    accountAlias: z.string().nullable(),
    controlIds: z.array(z.string()).readonly(),
    findingRules: z.array(z.enum(FINDING_RULE_VALUES)).readonly(),
    owner: z.string().nullable(),
    approver: z.string().nullable(),
    ticketUrl: z.string().nullable(),
    expiresAt: TIMESTAMP.nullable(),
  })
  .meta({ id: 'AlertException', description: 'The accountable exception an alert is about' });

const [FINDING_OPENED, ENCRYPTION_WEAKENED, EXCEPTION_EXPIRING, EXCEPTION_STALE] = ALERT_EVENT_TYPES;

export const ALERT_ITEM = z
  .discriminatedUnion('type', [
    z.object({
      ...ALERT_COMMON,
      type: z.literal(FINDING_OPENED),
      resource: ALERT_RESOURCE,
      rule: z.enum(FINDING_RULE_VALUES).nullable(),
      title: z.string().nullable(),
      message: z.string().nullable(),
      encryption: ENCRYPTION_SUMMARY.nullable(),
    }),
    z.object({
      ...ALERT_COMMON,
      type: z.literal(ENCRYPTION_WEAKENED),
      resource: ALERT_RESOURCE,
      before: ENCRYPTION_SUMMARY.nullable(),
      after: ENCRYPTION_SUMMARY.nullable(),
      changedFields: z.array(z.string()).readonly(),
    }),
    z.object({
      ...ALERT_COMMON,
      type: z.literal(EXCEPTION_EXPIRING),
      exception: ALERT_EXCEPTION,
    }),
    z.object({
      ...ALERT_COMMON,
      type: z.literal(EXCEPTION_STALE),
      exception: ALERT_EXCEPTION,
      staleSince: TIMESTAMP.nullable(),
      staleScanId: z.number().int().nullable(),
    }),
  ])
  .meta({ id: 'AlertItem', description: 'One alert of a delivery, in the generic webhook’s shape' });

export const ALERT_DELIVERIES_PAGE = pageOf(ALERT_DELIVERY, 'Alert deliveries, newest first');
export const ALERT_ITEMS_PAGE = pageOf(ALERT_ITEM, 'Alerts of one delivery, oldest first');

export function presentDelivery(delivery: AlertDeliveryRecord): z.input<typeof ALERT_DELIVERY> {
  return {
    id: delivery.id,
    dedupeKey: delivery.dedupeKey,
    channel: delivery.channel,
    channelType: delivery.channelType,
    scanId: delivery.scanId,
    status: delivery.status,
    alertCount: delivery.alertCount,
    maxSeverity: delivery.maxSeverity,
    attempts: delivery.attempts,
    nextAttemptAt: isoOrNull(delivery.nextAttemptAt),
    lastAttemptAt: isoOrNull(delivery.lastAttemptAt),
    lastError: delivery.lastError,
    createdAt: iso(delivery.createdAt),
    deliveredAt: isoOrNull(delivery.deliveredAt),
  };
}

export function presentAlertItem(record: OutboxAlertRecord, event: AlertEvent): z.input<typeof ALERT_ITEM> {
  return {
    id: record.id,
    scanId: record.scanId,
    resourceId: record.resourceId,
    findingId: record.findingId,
    driftEventId: record.driftEventId,
    exceptionId: record.exceptionId,
    ...webhookAlert(event),
  };
}

import { compareSeverity, SEVERITIES, type Severity } from '@app/audit';
import type { DataSource } from 'typeorm';

import { keysetCursor, keysetPage, type Page, pageSize } from './cursor';
import type { AlertEventType } from '@app/audit';
import { PersistenceError } from './persistence-error';
import { type SqlSession, toSafeInteger, withSession, withTransaction } from './sql';
import type { Row } from './schema/tables';

/** The kinds of alert channel. */
export type AlertChannelType = 'webhook' | 'dingtalk' | 'slack';

/** `pending`: waiting for its first or next attempt; `failed`: given up (see `lastError`). */
export type AlertDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One `alert_outbox` row: an alert the scan's evaluation queued. */
export interface OutboxAlertRecord {
  readonly id: number;
  /** The alert's own key (one per finding opening or weakening), as the evaluator wrote it. */
  readonly dedupeKey: string;
  readonly scanId: number;
  readonly eventType: AlertEventType;
  readonly severity: Severity;
  /** The resource a resource alert is about; null on an exception alert. */
  readonly resourceId: number | null;
  readonly findingId: string | null;
  readonly driftEventId: number | null;
  /** The accountable exception an exception alert is about; null on a resource alert. */
  readonly exceptionId: string | null;
  /** As the scan's evaluation wrote it. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

/** One message to one channel: the digest of the new alerts of one scan, with its retry state. */
export interface AlertDeliveryRecord {
  readonly id: number;
  /** Stable across attempts: receivers drop a message whose key they have already seen. */
  readonly dedupeKey: string;
  readonly channel: string;
  readonly channelType: AlertChannelType;
  readonly scanId: number;
  readonly alertCount: number;
  readonly maxSeverity: Severity;
  readonly status: AlertDeliveryStatus;
  readonly attempts: number;
  /** Set while `pending`. */
  readonly nextAttemptAt: Date | null;
  readonly lastAttemptAt: Date | null;
  /** What went wrong last (never a URL or a secret); kept after a later success. */
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

/** A delivery claimed for an attempt, with what its message shows. */
export interface DueAlertDelivery {
  readonly delivery: AlertDeliveryRecord;
  /** Alerts of the delivery per severity (all of them, not only the preview). */
  readonly severityCounts: Readonly<Partial<Record<Severity, number>>>;
  /** The first alerts of the delivery, most severe first, then oldest: what the message lists. */
  readonly preview: readonly OutboxAlertRecord[];
}

/**
 * How an attempt ended. `nextSendAt` is when the channel may be sent to again (its rate limit, or a
 * pause the receiver asked for); null leaves the channel free.
 */
export type DeliveryAttemptResult =
  | { readonly status: 'delivered'; readonly attemptedAt: Date; readonly nextSendAt: Date | null }
  | {
      readonly status: 'pending';
      readonly attemptedAt: Date;
      readonly error: string;
      readonly nextAttemptAt: Date;
      readonly nextSendAt: Date | null;
    }
  | {
      readonly status: 'failed';
      readonly attemptedAt: Date;
      readonly error: string;
      readonly nextSendAt: Date | null;
    };

/**
 * What `deliverNext` did. `busy`: another dispatcher holds the channel; `rate_limited`: a delivery
 * will be due when the channel may be sent to again (`until`); `idle`: nothing is due.
 */
export type DeliverNextResult =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'rate_limited'; readonly until: Date }
  | { readonly kind: 'attempted'; readonly delivery: AlertDeliveryRecord };

/** Decides, for each outbox row given, whether the channel is told about it. One answer per row, in order. */
export type AlertRouter = (alerts: readonly OutboxAlertRecord[]) => readonly boolean[];

export interface PlanDeliveriesRequest {
  readonly channel: string;
  readonly channelType: AlertChannelType;
  readonly plannedAt: Date;
  /**
   * For a channel seen for the first time: alerts created from this instant on are its first
   * (older ones are history it is never sent); the channel's later runs ignore it.
   */
  readonly backfillFrom: Date;
  /** Outbox rows read per statement (default 1000). */
  readonly pageSize?: number;
}

export interface PlanDeliveriesResult {
  /** False when another dispatcher was planning this channel: nothing was done. */
  readonly locked: boolean;
  /** Outbox rows this call handled for the channel (sent or left out). */
  readonly considered: number;
  readonly deliveries: readonly AlertDeliveryRecord[];
}

export interface ListDeliveriesQuery {
  readonly status?: AlertDeliveryStatus;
  readonly channel?: string;
  readonly limit: number;
  readonly cursor?: string;
}

/** Deliveries not yet delivered, per channel and status, for metrics. */
export interface AlertBacklogRow {
  readonly channel: string;
  readonly status: 'pending' | 'failed';
  readonly count: number;
  readonly oldestCreatedAt: Date;
}

type OutboxRow = Omit<Row<'alert_outbox'>, 'payload'> & { payload: Record<string, unknown> };

type DeliveryRow = Row<'alert_deliveries'>;

const OUTBOX_COLUMNS = `o."id", o."dedupe_key", o."scan_id", o."event_type", o."severity", o."resource_id",
  o."finding_id", o."drift_event_id", o."exception_id", o."payload", o."created_at"`;

const DELIVERY_COLUMNS = `"id", "dedupe_key", "channel", "channel_type", "scan_id", "alert_count", "max_severity",
  "status", "attempts", "next_attempt_at", "last_attempt_at", "last_error", "created_at", "delivered_at"`;

/** Most severe first: the order of a digest's preview. */
const SEVERITY_RANK = `array_position(ARRAY[${[...SEVERITIES]
  .reverse()
  .map((severity) => `'${severity}'`)
  .join(', ')}]::text[], o."severity")`;

/** First key of `pg_try_advisory_xact_lock(int, int)` while a channel's deliveries are planned. */
const ALERT_PLANNING_LOCK = 0x5eed_a1e7;

const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 10_000;
const MAX_PREVIEW = 1000;
/** The id of the last delivery of a page (bigint). */
const DELIVERY_CURSOR = keysetCursor('int8');
/** The outbox id of the last alert of a delivery's page (bigint). */
const OUTBOX_CURSOR = keysetCursor('int8');

/**
 * Delivery of the alert outbox to channels. Planning turns a channel's new outbox rows into
 * deliveries (one per scan) under a per-channel lock; sending claims one due delivery at a time
 * with `FOR NO KEY UPDATE SKIP LOCKED` on the channel row, so several dispatchers share the work,
 * never send the same delivery twice at once, and respect one rate limit per channel between them.
 * Every state change is in Postgres: a dispatcher that stops loses nothing.
 */
export class AlertDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Handles every outbox row the channel has not handled yet, in one transaction: `route` says
   * which ones it is told about; those become one delivery per scan, due at `plannedAt`. A channel
   * seen for the first time is registered first (see `backfillFrom`).
   */
  async planDeliveries(request: PlanDeliveriesRequest, route: AlertRouter): Promise<PlanDeliveriesResult> {
    const limit = request.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new PersistenceError('INVALID_INPUT', `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    return withTransaction(this.dataSource, async (sql) => {
      const [lock] = await sql.rows<{ acquired: boolean }>(
        `SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS "acquired"`,
        [ALERT_PLANNING_LOCK, request.channel],
      );
      if (lock?.acquired !== true) {
        return { locked: false, considered: 0, deliveries: [] };
      }
      const firstOutboxId = await registerChannel(sql, request);
      const routed = new Map<number, { outboxIds: number[]; maxSeverity: Severity }>();
      const skipped: number[] = [];
      let after = 0;
      for (;;) {
        const rows = await sql.rows<OutboxRow>(
          `SELECT ${OUTBOX_COLUMNS} FROM "alert_outbox" o
           WHERE o."id" >= $2 AND o."id" > $3
             AND NOT EXISTS (
               SELECT 1 FROM "alert_delivery_items" i WHERE i."channel" = $1 AND i."outbox_id" = o."id"
             )
           ORDER BY o."id"
           LIMIT $4`,
          [request.channel, firstOutboxId, after, limit],
        );
        const alerts = rows.map(toOutboxAlert);
        const verdicts = route(alerts);
        if (verdicts.length !== alerts.length) {
          throw new PersistenceError('INVALID_INPUT', 'The router must answer once per alert');
        }
        alerts.forEach((alert, index) => {
          if (verdicts[index] !== true) {
            skipped.push(alert.id);
            return;
          }
          const group = routed.get(alert.scanId);
          if (group === undefined) {
            routed.set(alert.scanId, { outboxIds: [alert.id], maxSeverity: alert.severity });
          } else {
            group.outboxIds.push(alert.id);
            if (compareSeverity(alert.severity, group.maxSeverity) > 0) {
              group.maxSeverity = alert.severity;
            }
          }
        });
        const last = alerts.at(-1);
        if (last === undefined || alerts.length < limit) {
          break;
        }
        after = last.id;
      }
      if (routed.size === 0 && skipped.length === 0) {
        return { locked: true, considered: 0, deliveries: [] };
      }
      const groups = [...routed.entries()].sort(([a], [b]) => a - b);
      const deliveries = await sql.rows<DeliveryRow>(
        `INSERT INTO "alert_deliveries" (
           "dedupe_key", "channel", "channel_type", "scan_id", "alert_count", "max_severity", "status",
           "next_attempt_at", "created_at"
         )
         SELECT gen_random_uuid(), $1, $2, x."scan_id", x."alert_count", x."max_severity", 'pending',
           $3::timestamptz, $3::timestamptz
         FROM unnest($4::integer[], $5::integer[], $6::text[]) WITH ORDINALITY AS x("scan_id", "alert_count", "max_severity", "n")
         ORDER BY x."n"
         RETURNING ${DELIVERY_COLUMNS}`,
        [
          request.channel,
          request.channelType,
          request.plannedAt,
          groups.map(([scanId]) => scanId),
          groups.map(([, group]) => group.outboxIds.length),
          groups.map(([, group]) => group.maxSeverity),
        ],
      );
      const deliveryOfScan = new Map(deliveries.map((row) => [row.scan_id, toSafeInteger(row.id)]));
      const items = [
        ...groups.flatMap(([scanId, group]) =>
          group.outboxIds.map((outboxId) => [outboxId, deliveryOfScan.get(scanId) ?? null] as const),
        ),
        ...skipped.map((outboxId) => [outboxId, null] as const),
      ];
      await sql.affected(
        `INSERT INTO "alert_delivery_items" ("channel", "outbox_id", "delivery_id")
         SELECT $1, x."outbox_id", x."delivery_id" FROM unnest($2::bigint[], $3::bigint[]) AS x("outbox_id", "delivery_id")`,
        [request.channel, items.map(([outboxId]) => outboxId), items.map(([, deliveryId]) => deliveryId)],
      );
      return { locked: true, considered: items.length, deliveries: deliveries.map(toDeliveryRecord) };
    });
  }

  /**
   * Claims the channel's most overdue delivery due at `now` and runs `attempt` on it while holding
   * the claim (the channel row and the delivery row stay locked, so no other dispatcher sends to
   * this channel meanwhile), then records the result, all in one transaction. If the process dies
   * mid-attempt the locks go with its connection and the delivery is due again as it was: delivery
   * is at-least-once. `attempt` must not throw for a failed send: it reports the failure.
   */
  async deliverNext(
    channel: string,
    now: Date,
    previewLimit: number,
    attempt: (due: DueAlertDelivery) => Promise<DeliveryAttemptResult>,
  ): Promise<DeliverNextResult> {
    if (!Number.isInteger(previewLimit) || previewLimit < 1 || previewLimit > MAX_PREVIEW) {
      throw new PersistenceError('INVALID_INPUT', `previewLimit must be an integer from 1 to ${MAX_PREVIEW}`);
    }
    return withTransaction(this.dataSource, async (sql) => {
      const [claimed] = await sql.rows<{ next_send_at: Date | null }>(
        `SELECT "next_send_at" FROM "alert_channels" WHERE "name" = $1 FOR NO KEY UPDATE SKIP LOCKED`,
        [channel],
      );
      if (claimed === undefined) {
        const [known] = await sql.rows<{ found: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM "alert_channels" WHERE "name" = $1) AS "found"`,
          [channel],
        );
        return known?.found === true ? { kind: 'busy' } : { kind: 'idle' };
      }
      if (claimed.next_send_at !== null && claimed.next_send_at > now) {
        const [waiting] = await sql.rows<{ found: boolean }>(
          `SELECT EXISTS (
             SELECT 1 FROM "alert_deliveries"
             WHERE "channel" = $1 AND "status" = 'pending' AND "next_attempt_at" <= $2
           ) AS "found"`,
          [channel, claimed.next_send_at],
        );
        return waiting?.found === true
          ? { kind: 'rate_limited', until: claimed.next_send_at }
          : { kind: 'idle' };
      }
      const [row] = await sql.rows<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM "alert_deliveries"
         WHERE "channel" = $1 AND "status" = 'pending' AND "next_attempt_at" <= $2
         ORDER BY "next_attempt_at", "id"
         LIMIT 1
         FOR NO KEY UPDATE SKIP LOCKED`,
        [channel, now],
      );
      if (row === undefined) {
        return { kind: 'idle' };
      }
      const delivery = toDeliveryRecord(row);
      const due = await loadDue(sql, delivery, previewLimit);
      const result = await attempt(due);
      const [updated] = await sql.rows<DeliveryRow>(
        `UPDATE "alert_deliveries"
         SET "status" = $2, "attempts" = "attempts" + 1, "last_attempt_at" = $3,
           "next_attempt_at" = $4, "last_error" = coalesce($5, "last_error"), "delivered_at" = $6
         WHERE "id" = $1
         RETURNING ${DELIVERY_COLUMNS}`,
        [
          delivery.id,
          result.status,
          result.attemptedAt,
          result.status === 'pending' ? result.nextAttemptAt : null,
          result.status === 'delivered' ? null : result.error,
          result.status === 'delivered' ? result.attemptedAt : null,
        ],
      );
      await sql.affected(`UPDATE "alert_channels" SET "next_send_at" = $2 WHERE "name" = $1`, [
        channel,
        result.nextSendAt,
      ]);
      if (updated === undefined) {
        throw new PersistenceError('INVALID_INPUT', `Delivery ${delivery.id} vanished while it was sent`);
      }
      return { kind: 'attempted', delivery: toDeliveryRecord(updated) };
    });
  }

  /** Deliveries, newest first, optionally of one status and one channel. */
  async listDeliveries(query: ListDeliveriesQuery): Promise<Page<AlertDeliveryRecord>> {
    const limit = pageSize(query.limit);
    const before = query.cursor === undefined ? null : DELIVERY_CURSOR.decode(query.cursor)[0];
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM "alert_deliveries"
         WHERE ($1::text IS NULL OR "status" = $1::text)
           AND ($2::text IS NULL OR "channel" = $2::text)
           AND ($3::bigint IS NULL OR "id" < $3::bigint)
         ORDER BY "id" DESC
         LIMIT $4`,
        [query.status ?? null, query.channel ?? null, before, limit + 1],
      );
      return keysetPage(rows, limit, toDeliveryRecord, (_row, item) => DELIVERY_CURSOR.encode([item.id]));
    });
  }

  async findDelivery(id: number): Promise<AlertDeliveryRecord | null> {
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM "alert_deliveries" WHERE "id" = $1`,
        [id],
      );
      return row === undefined ? null : toDeliveryRecord(row);
    });
  }

  /** Every alert of one delivery, oldest first. */
  async listDeliveryAlerts(
    deliveryId: number,
    query: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<OutboxAlertRecord>> {
    const limit = pageSize(query.limit);
    const after = query.cursor === undefined ? 0 : OUTBOX_CURSOR.decode(query.cursor)[0];
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<OutboxRow>(
        `SELECT ${OUTBOX_COLUMNS} FROM "alert_delivery_items" i
         JOIN "alert_outbox" o ON o."id" = i."outbox_id"
         WHERE i."delivery_id" = $1 AND i."outbox_id" > $2
         ORDER BY i."outbox_id"
         LIMIT $3`,
        [deliveryId, after, limit + 1],
      );
      return keysetPage(rows, limit, toOutboxAlert, (_row, item) => OUTBOX_CURSOR.encode([item.id]));
    });
  }

  /** Pending and failed deliveries per channel, with the age of the oldest. */
  async deliveryBacklog(): Promise<AlertBacklogRow[]> {
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<{
        channel: string;
        status: 'pending' | 'failed';
        count: number;
        oldest: Date;
      }>(
        `SELECT "channel", "status", count(*)::integer AS "count", min("created_at") AS "oldest"
         FROM "alert_deliveries"
         WHERE "status" IN ('pending', 'failed')
         GROUP BY "channel", "status"
         ORDER BY "channel", "status"`,
      );
      return rows.map((row) => ({
        channel: row.channel,
        status: row.status,
        count: row.count,
        oldestCreatedAt: row.oldest,
      }));
    });
  }
}

/**
 * Registers a channel seen for the first time: its first alert is the oldest created since
 * `backfillFrom`, or the next one queued. Returns the channel's first outbox id.
 */
async function registerChannel(sql: SqlSession, request: PlanDeliveriesRequest): Promise<number> {
  await sql.affected(
    `INSERT INTO "alert_channels" ("name", "first_outbox_id", "registered_at")
     SELECT $1, coalesce(
       (SELECT min("id") FROM "alert_outbox" WHERE "created_at" >= $3),
       (SELECT coalesce(max("id"), 0) + 1 FROM "alert_outbox")
     ), $2
     ON CONFLICT ("name") DO NOTHING`,
    [request.channel, request.plannedAt, request.backfillFrom],
  );
  const [channel] = await sql.rows<{ first_outbox_id: string }>(
    `SELECT "first_outbox_id" FROM "alert_channels" WHERE "name" = $1`,
    [request.channel],
  );
  if (channel === undefined) {
    throw new PersistenceError('INVALID_INPUT', `Alert channel ${request.channel} could not be registered`);
  }
  return toSafeInteger(channel.first_outbox_id);
}

async function loadDue(
  sql: SqlSession,
  delivery: AlertDeliveryRecord,
  previewLimit: number,
): Promise<DueAlertDelivery> {
  const counts = await sql.rows<{ severity: Severity; count: number }>(
    `SELECT o."severity", count(*)::integer AS "count"
     FROM "alert_delivery_items" i JOIN "alert_outbox" o ON o."id" = i."outbox_id"
     WHERE i."delivery_id" = $1
     GROUP BY o."severity"`,
    [delivery.id],
  );
  const preview = await sql.rows<OutboxRow>(
    `SELECT ${OUTBOX_COLUMNS}
     FROM "alert_delivery_items" i JOIN "alert_outbox" o ON o."id" = i."outbox_id"
     WHERE i."delivery_id" = $1
     ORDER BY ${SEVERITY_RANK}, o."id"
     LIMIT $2`,
    [delivery.id, previewLimit],
  );
  return {
    delivery,
    severityCounts: Object.fromEntries(counts.map((row) => [row.severity, row.count])),
    preview: preview.map(toOutboxAlert),
  };
}

function toOutboxAlert(row: OutboxRow): OutboxAlertRecord {
  return {
    id: toSafeInteger(row.id),
    dedupeKey: row.dedupe_key,
    scanId: row.scan_id,
    eventType: row.event_type,
    severity: row.severity,
    resourceId: row.resource_id === null ? null : toSafeInteger(row.resource_id),
    findingId: row.finding_id,
    driftEventId: row.drift_event_id === null ? null : toSafeInteger(row.drift_event_id),
    exceptionId: row.exception_id,
    payload: row.payload,
    createdAt: row.created_at,
  };
}

function toDeliveryRecord(row: DeliveryRow): AlertDeliveryRecord {
  return {
    id: toSafeInteger(row.id),
    dedupeKey: row.dedupe_key,
    channel: row.channel,
    channelType: row.channel_type,
    scanId: row.scan_id,
    alertCount: row.alert_count,
    maxSeverity: row.max_severity,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery state of alerts, per channel. `alert_outbox` (written in the scan's evaluation
 * transaction) says what happened; these tables say who was told, and how that went.
 *
 * - `alert_channels`: one row per configured channel name, the first time a dispatcher sees it.
 *   `first_outbox_id` keeps a channel added later from receiving the whole alert history, and
 *   `next_send_at` is the channel's rate limit, shared by every worker replica.
 * - `alert_deliveries`: one message (a digest of one scan's new alerts) to one channel, with its
 *   retry state. The message's membership is fixed when it is planned, so every attempt sends the
 *   same alerts under the same `dedupe_key`, which receivers use to drop repeats.
 * - `alert_delivery_items`: which outbox rows each channel has handled: in a delivery, or left out
 *   by the channel's routing (`delivery_id` null). Its primary key makes planning idempotent.
 */
export class AlertDeliveries1795300001000 implements MigrationInterface {
  name = 'AlertDeliveries1795300001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) {
      await queryRunner.query(statement);
    }
  }
}

const UP: readonly string[] = [
  `CREATE TABLE "alert_channels" (
    "name" text NOT NULL,
    "first_outbox_id" bigint NOT NULL,
    "registered_at" timestamptz NOT NULL,
    "next_send_at" timestamptz,
    CONSTRAINT "alert_channels_pkey" PRIMARY KEY ("name")
  )`,

  `CREATE TABLE "alert_deliveries" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "dedupe_key" uuid NOT NULL,
    "channel" text NOT NULL,
    "channel_type" text NOT NULL,
    "scan_id" integer NOT NULL,
    "alert_count" integer NOT NULL,
    "max_severity" text NOT NULL,
    "status" text NOT NULL,
    "attempts" integer NOT NULL DEFAULT 0,
    "next_attempt_at" timestamptz,
    "last_attempt_at" timestamptz,
    "last_error" text,
    "created_at" timestamptz NOT NULL,
    "delivered_at" timestamptz,
    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alert_deliveries_dedupe_key_key" UNIQUE ("dedupe_key"),
    CONSTRAINT "alert_deliveries_channel_fkey" FOREIGN KEY ("channel") REFERENCES "alert_channels" ("name"),
    CONSTRAINT "alert_deliveries_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "alert_deliveries_channel_type_check" CHECK ("channel_type" IN ('webhook', 'dingtalk', 'slack')),
    CONSTRAINT "alert_deliveries_max_severity_check" CHECK ("max_severity" IN ('info', 'low', 'medium', 'high', 'critical')),
    CONSTRAINT "alert_deliveries_status_check" CHECK ("status" IN ('pending', 'delivered', 'failed')),
    CONSTRAINT "alert_deliveries_alert_count_check" CHECK ("alert_count" > 0),
    CONSTRAINT "alert_deliveries_state_check" CHECK (
      ("status" = 'pending') = ("next_attempt_at" IS NOT NULL)
      AND ("status" = 'delivered') = ("delivered_at" IS NOT NULL)
    )
  )`,
  // The dispatcher's poll: due messages of one channel.
  `CREATE INDEX "alert_deliveries_due_idx" ON "alert_deliveries" ("channel", "next_attempt_at") WHERE "status" = 'pending'`,
  // GET /v1/alerts pages newest first, optionally by status or channel.
  `CREATE INDEX "alert_deliveries_status_id_idx" ON "alert_deliveries" ("status", "id")`,
  `CREATE INDEX "alert_deliveries_channel_id_idx" ON "alert_deliveries" ("channel", "id")`,

  `CREATE TABLE "alert_delivery_items" (
    "channel" text NOT NULL,
    "outbox_id" bigint NOT NULL,
    "delivery_id" bigint,
    CONSTRAINT "alert_delivery_items_pkey" PRIMARY KEY ("channel", "outbox_id"),
    CONSTRAINT "alert_delivery_items_channel_fkey" FOREIGN KEY ("channel") REFERENCES "alert_channels" ("name"),
    CONSTRAINT "alert_delivery_items_outbox_id_fkey" FOREIGN KEY ("outbox_id") REFERENCES "alert_outbox" ("id"),
    CONSTRAINT "alert_delivery_items_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "alert_deliveries" ("id")
  )`,
  `CREATE INDEX "alert_delivery_items_delivery_id_idx" ON "alert_delivery_items" ("delivery_id", "outbox_id") WHERE "delivery_id" IS NOT NULL`,
];

const DOWN: readonly string[] = [
  `DROP TABLE "alert_delivery_items"`,
  `DROP TABLE "alert_deliveries"`,
  `DROP TABLE "alert_channels"`,
];

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The auditor's whole schema. Value lists in CHECK constraints are written out here on purpose: a
 * migration is frozen history and must not follow later edits of the domain constants.
 *
 * `observation_changes` is range-partitioned by month on `observed_at`. Postgres 15 (the oldest
 * server we support) has no identity columns on partitioned tables, so its id comes from an owned
 * sequence, and its primary key has to include the partition key: nothing can reference a change
 * by id alone, so `change_id` columns elsewhere carry no foreign key.
 */
export class InitialSchema1795296451186 implements MigrationInterface {
  name = 'InitialSchema1795296451186';

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

const ENCRYPTION_CLASSES = `'kms_cmk', 'kms_default', 'oss_aes256', 'oss_sm4', 'none', 'unknown'`;
const SEVERITIES = `'info', 'low', 'medium', 'high', 'critical'`;
const RESOURCE_KINDS = `'bucket', 'table_bucket'`;

const UP: readonly string[] = [
  `CREATE TABLE "scans" (
    "id" integer GENERATED ALWAYS AS IDENTITY,
    "trigger" text NOT NULL,
    "schedule_slot" timestamptz,
    "status" text NOT NULL,
    "started_at" timestamptz NOT NULL,
    "finished_at" timestamptz,
    "coverage" jsonb NOT NULL DEFAULT '[]',
    "summary" jsonb,
    "failure_reason" text,
    CONSTRAINT "scans_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "scans_trigger_check" CHECK ("trigger" IN ('schedule', 'api', 'cli')),
    CONSTRAINT "scans_status_check" CHECK ("status" IN ('running', 'succeeded', 'partial', 'failed')),
    CONSTRAINT "scans_schedule_slot_check" CHECK (("trigger" = 'schedule') = ("schedule_slot" IS NOT NULL)),
    CONSTRAINT "scans_finished_at_check" CHECK (("status" = 'running') = ("finished_at" IS NULL)),
    CONSTRAINT "scans_coverage_check" CHECK (jsonb_typeof("coverage") = 'array')
  )`,
  // One scan per cron slot, however many replicas fire the cron.
  `CREATE UNIQUE INDEX "scans_schedule_slot_key" ON "scans" ("schedule_slot") WHERE "schedule_slot" IS NOT NULL`,
  // Every row in this partial index has the same key, so it admits at most one running scan.
  `CREATE UNIQUE INDEX "scans_single_running_key" ON "scans" ("status") WHERE "status" = 'running'`,
  `CREATE INDEX "scans_started_at_idx" ON "scans" ("started_at")`,

  `CREATE TABLE "scan_tasks" (
    "scan_id" integer NOT NULL,
    "task_key" text NOT NULL,
    "kind" text NOT NULL,
    "account_alias" text NOT NULL,
    "region" text NOT NULL,
    "resource_kind" text NOT NULL,
    "status" text NOT NULL DEFAULT 'pending',
    "payload" jsonb,
    "result" jsonb,
    "updated_at" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT "scan_tasks_pkey" PRIMARY KEY ("scan_id", "task_key"),
    CONSTRAINT "scan_tasks_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans" ("id") ON DELETE CASCADE,
    CONSTRAINT "scan_tasks_kind_check" CHECK ("kind" IN ('enumerate', 'audit')),
    CONSTRAINT "scan_tasks_resource_kind_check" CHECK ("resource_kind" IN (${RESOURCE_KINDS})),
    CONSTRAINT "scan_tasks_status_check" CHECK ("status" IN ('pending', 'done', 'failed')),
    CONSTRAINT "scan_tasks_result_check" CHECK ("status" <> 'pending' OR "result" IS NULL)
  )`,
  `CREATE INDEX "scan_tasks_pending_idx" ON "scan_tasks" ("scan_id") WHERE "status" = 'pending'`,

  `CREATE TABLE "resources" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "resource_key" text NOT NULL,
    "kind" text NOT NULL,
    "account_alias" text NOT NULL,
    "region" text NOT NULL,
    "name" text NOT NULL,
    "first_seen_scan_id" integer NOT NULL,
    "first_seen_at" timestamptz NOT NULL,
    "last_seen_scan_id" integer NOT NULL,
    "last_seen_at" timestamptz NOT NULL,
    "previous_seen_scan_id" integer,
    "reappeared_scan_id" integer,
    "deleted_scan_id" integer,
    "deleted_at" timestamptz,
    "latest_change_id" bigint,
    "last_complete_change_id" bigint,
    "content_hash" bytea,
    "encryption_class" text,
    "algorithm" text,
    "kms_key_id" text,
    "kms_data_encryption" text,
    "error_code" text,
    "state_since" timestamptz,
    CONSTRAINT "resources_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "resources_resource_key_key" UNIQUE ("resource_key"),
    CONSTRAINT "resources_first_seen_scan_id_fkey" FOREIGN KEY ("first_seen_scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "resources_last_seen_scan_id_fkey" FOREIGN KEY ("last_seen_scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "resources_deleted_scan_id_fkey" FOREIGN KEY ("deleted_scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "resources_kind_check" CHECK ("kind" IN (${RESOURCE_KINDS})),
    CONSTRAINT "resources_encryption_class_check" CHECK ("encryption_class" IN (${ENCRYPTION_CLASSES})),
    CONSTRAINT "resources_deleted_check" CHECK (("deleted_at" IS NULL) = ("deleted_scan_id" IS NULL)),
    CONSTRAINT "resources_state_check" CHECK (
      ("latest_change_id" IS NULL) = ("encryption_class" IS NULL)
      AND ("latest_change_id" IS NULL) = ("content_hash" IS NULL)
      AND ("latest_change_id" IS NULL) = ("state_since" IS NULL)
    )
  ) WITH (fillfactor = 80)`,
  // Every scan rewrites every row it sees (last seen); free space on each page keeps those updates
  // HOT (no index writes) as long as no indexed column changes.
  `CREATE INDEX "resources_scope_idx" ON "resources" ("account_alias", "kind", "region")`,
  `CREATE INDEX "resources_region_idx" ON "resources" ("region")`,
  `CREATE INDEX "resources_encryption_class_idx" ON "resources" ("encryption_class", "kind")`,
  // text_pattern_ops serves `name LIKE 'prefix%'` whatever the database collation is.
  `CREATE INDEX "resources_name_pattern_idx" ON "resources" ("name" text_pattern_ops)`,

  `CREATE SEQUENCE "observation_changes_id_seq" AS bigint`,
  `CREATE TABLE "observation_changes" (
    "id" bigint NOT NULL DEFAULT nextval('observation_changes_id_seq'),
    "resource_id" bigint NOT NULL,
    "scan_id" integer NOT NULL,
    "observed_at" timestamptz NOT NULL,
    "encryption_class" text NOT NULL,
    "algorithm" text,
    "kms_key_id" text,
    "kms_data_encryption" text,
    "error_code" text,
    "error_message" text,
    "request_id" text,
    "content_hash" bytea NOT NULL,
    CONSTRAINT "observation_changes_pkey" PRIMARY KEY ("id", "observed_at"),
    CONSTRAINT "observation_changes_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources" ("id"),
    CONSTRAINT "observation_changes_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "observation_changes_encryption_class_check" CHECK ("encryption_class" IN (${ENCRYPTION_CLASSES}))
  ) PARTITION BY RANGE ("observed_at")`,
  `ALTER SEQUENCE "observation_changes_id_seq" OWNED BY "observation_changes"."id"`,
  `CREATE TABLE "observation_changes_default" PARTITION OF "observation_changes" DEFAULT`,
  `CREATE INDEX "observation_changes_resource_observed_idx" ON "observation_changes" ("resource_id", "observed_at" DESC, "id" DESC)`,
  // Creates the month's partition if it is missing. Rows that reached the default partition because
  // the month had none are moved in first, under a lock that keeps new ones out meanwhile.
  `CREATE FUNCTION "ensure_observation_changes_partition"("at" timestamptz) RETURNS text
  LANGUAGE plpgsql AS $$
  DECLARE
    month_start timestamp := date_trunc('month', "at" AT TIME ZONE 'UTC');
    lower_bound timestamptz := month_start AT TIME ZONE 'UTC';
    upper_bound timestamptz := (month_start + interval '1 month') AT TIME ZONE 'UTC';
    partition_name text := 'observation_changes_p' || to_char(month_start, 'YYYYMM');
  BEGIN
    IF to_regclass(format('%I', partition_name)) IS NOT NULL THEN
      RETURN partition_name;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('observation_changes partitions'));
    -- Taking a table lock also makes this session see catalog changes committed while it waited.
    LOCK TABLE "observation_changes_default" IN EXCLUSIVE MODE;
    IF to_regclass(format('%I', partition_name)) IS NOT NULL THEN
      RETURN partition_name;
    END IF;
    EXECUTE format(
      'CREATE TABLE %I (LIKE "observation_changes" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
      partition_name
    );
    EXECUTE format(
      'WITH moved AS (DELETE FROM "observation_changes_default" WHERE "observed_at" >= %L AND "observed_at" < %L RETURNING *) '
      'INSERT INTO %I SELECT * FROM moved',
      lower_bound, upper_bound, partition_name
    );
    EXECUTE format(
      'ALTER TABLE "observation_changes" ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
      partition_name, lower_bound, upper_bound
    );
    RETURN partition_name;
  END
  $$`,
  // Retention: drops every monthly partition that ends at or before the month of "cutoff" and
  // empties the default partition below it. Changes still needed to answer "what was true at the
  // boundary" and the rows the resources point at are re-inserted first, with the same id, as valid
  // from the boundary, so nothing that references a change id dangles and later answers stay exact.
  `CREATE FUNCTION "drop_observation_changes_before"("cutoff" timestamptz) RETURNS integer
  LANGUAGE plpgsql AS $$
  DECLARE
    month_start timestamp := date_trunc('month', "cutoff" AT TIME ZONE 'UTC');
    boundary timestamptz := month_start AT TIME ZONE 'UTC';
    old_partition record;
    dropped integer := 0;
  BEGIN
    PERFORM "ensure_observation_changes_partition"(boundary);
    PERFORM pg_advisory_xact_lock(hashtext('observation_changes partitions'));
    INSERT INTO "observation_changes" (
      "id", "resource_id", "scan_id", "observed_at", "encryption_class", "algorithm", "kms_key_id",
      "kms_data_encryption", "error_code", "error_message", "request_id", "content_hash"
    )
    SELECT c."id", c."resource_id", c."scan_id", boundary, c."encryption_class", c."algorithm", c."kms_key_id",
      c."kms_data_encryption", c."error_code", c."error_message", c."request_id", c."content_hash"
    FROM "observation_changes" c
    WHERE c."observed_at" < boundary
      AND (
        EXISTS (
          SELECT 1 FROM "resources" r
          WHERE r."id" = c."resource_id" AND c."id" IN (r."latest_change_id", r."last_complete_change_id")
        )
        OR (
          NOT EXISTS (
            SELECT 1 FROM "observation_changes" later
            WHERE later."resource_id" = c."resource_id"
              AND later."observed_at" <= boundary
              AND (later."observed_at", later."id") > (c."observed_at", c."id")
          )
        )
      );
    DELETE FROM "observation_changes_default" WHERE "observed_at" < boundary;
    FOR old_partition IN
      SELECT child."relname"
      FROM pg_inherits inh
      JOIN pg_class child ON child."oid" = inh."inhrelid"
      WHERE inh."inhparent" = '"observation_changes"'::regclass
        AND child."relname" ~ '^observation_changes_p[0-9]{6}$'
        AND to_date(right(child."relname", 6), 'YYYYMM')::timestamp + interval '1 month' <= month_start
    LOOP
      EXECUTE format('DROP TABLE %I', old_partition."relname");
      dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
  END
  $$`,

  `CREATE TABLE "scan_observations" (
    "resource_id" bigint NOT NULL,
    "change_id" bigint NOT NULL,
    "scan_id" integer NOT NULL,
    CONSTRAINT "scan_observations_pkey" PRIMARY KEY ("scan_id", "resource_id"),
    CONSTRAINT "scan_observations_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "scan_observations_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources" ("id")
  )`,

  `CREATE TABLE "findings" (
    "id" uuid NOT NULL DEFAULT gen_random_uuid(),
    "finding_key" text NOT NULL,
    "resource_id" bigint NOT NULL,
    "rule" text NOT NULL,
    "severity" text NOT NULL,
    "status" text NOT NULL,
    "title" text NOT NULL,
    "message" text NOT NULL,
    "encryption_class" text NOT NULL,
    "algorithm" text,
    "kms_key_id" text,
    "opened_scan_id" integer NOT NULL,
    "opened_at" timestamptz NOT NULL,
    "last_seen_scan_id" integer NOT NULL,
    "last_seen_at" timestamptz NOT NULL,
    "evidence_change_id" bigint NOT NULL,
    "resolved_scan_id" integer,
    "resolved_at" timestamptz,
    "resolution" text,
    CONSTRAINT "findings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "findings_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources" ("id"),
    CONSTRAINT "findings_opened_scan_id_fkey" FOREIGN KEY ("opened_scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "findings_last_seen_scan_id_fkey" FOREIGN KEY ("last_seen_scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "findings_resolved_scan_id_fkey" FOREIGN KEY ("resolved_scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "findings_rule_check" CHECK (
      "rule" IN ('unencrypted', 'non_kms', 'kms_default_key', 'kms_key_not_approved', 'unverifiable')
    ),
    CONSTRAINT "findings_severity_check" CHECK ("severity" IN (${SEVERITIES})),
    CONSTRAINT "findings_status_check" CHECK ("status" IN ('open', 'resolved')),
    CONSTRAINT "findings_encryption_class_check" CHECK ("encryption_class" IN (${ENCRYPTION_CLASSES})),
    CONSTRAINT "findings_resolution_check" CHECK ("resolution" IN ('fixed', 'resource_deleted')),
    CONSTRAINT "findings_resolved_check" CHECK (
      ("status" = 'open' AND "resolved_scan_id" IS NULL AND "resolved_at" IS NULL AND "resolution" IS NULL)
      OR ("status" = 'resolved' AND "resolved_scan_id" IS NOT NULL AND "resolved_at" IS NOT NULL AND "resolution" IS NOT NULL)
    )
  )`,
  // A finding key has at most one open life at a time; resolved lives are history.
  `CREATE UNIQUE INDEX "findings_open_finding_key_key" ON "findings" ("finding_key") WHERE "status" = 'open'`,
  `CREATE INDEX "findings_finding_key_idx" ON "findings" ("finding_key", "opened_at")`,
  `CREATE INDEX "findings_status_severity_opened_idx" ON "findings" ("status", "severity", "opened_at")`,
  `CREATE INDEX "findings_rule_status_idx" ON "findings" ("rule", "status")`,
  `CREATE INDEX "findings_resource_id_idx" ON "findings" ("resource_id")`,

  `CREATE TABLE "drift_events" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "resource_id" bigint NOT NULL,
    "scan_id" integer NOT NULL,
    "previous_scan_id" integer,
    "detected_at" timestamptz NOT NULL,
    "kind" text NOT NULL,
    "direction" text,
    "before" jsonb,
    "after" jsonb,
    CONSTRAINT "drift_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "drift_events_scan_resource_kind_key" UNIQUE ("scan_id", "resource_id", "kind"),
    CONSTRAINT "drift_events_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources" ("id"),
    CONSTRAINT "drift_events_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "drift_events_previous_scan_id_fkey" FOREIGN KEY ("previous_scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "drift_events_kind_check" CHECK ("kind" IN ('encryption_changed', 'appeared', 'disappeared')),
    CONSTRAINT "drift_events_direction_check" CHECK ("direction" IN ('weakened', 'strengthened', 'changed')),
    CONSTRAINT "drift_events_shape_check" CHECK (
      ("kind" = 'encryption_changed' AND "direction" IS NOT NULL AND "before" IS NOT NULL AND "after" IS NOT NULL)
      OR ("kind" = 'appeared' AND "before" IS NULL)
      OR ("kind" = 'disappeared' AND "after" IS NULL)
    )
  )`,
  `CREATE INDEX "drift_events_detected_at_idx" ON "drift_events" ("detected_at")`,
  `CREATE INDEX "drift_events_resource_detected_idx" ON "drift_events" ("resource_id", "detected_at")`,

  `CREATE TABLE "alert_outbox" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "dedupe_key" text NOT NULL,
    "scan_id" integer NOT NULL,
    "event_type" text NOT NULL,
    "severity" text NOT NULL,
    "resource_id" bigint NOT NULL,
    "finding_id" uuid,
    "drift_event_id" bigint,
    "payload" jsonb NOT NULL,
    "created_at" timestamptz NOT NULL,
    CONSTRAINT "alert_outbox_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alert_outbox_dedupe_key_key" UNIQUE ("dedupe_key"),
    CONSTRAINT "alert_outbox_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans" ("id"),
    CONSTRAINT "alert_outbox_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources" ("id"),
    CONSTRAINT "alert_outbox_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "findings" ("id"),
    CONSTRAINT "alert_outbox_drift_event_id_fkey" FOREIGN KEY ("drift_event_id") REFERENCES "drift_events" ("id"),
    CONSTRAINT "alert_outbox_event_type_check" CHECK ("event_type" IN ('finding_opened', 'encryption_weakened')),
    CONSTRAINT "alert_outbox_severity_check" CHECK ("severity" IN (${SEVERITIES}))
  )`,
];

const DOWN: readonly string[] = [
  `DROP TABLE "alert_outbox"`,
  `DROP TABLE "drift_events"`,
  `DROP TABLE "findings"`,
  `DROP TABLE "scan_observations"`,
  `DROP FUNCTION "drop_observation_changes_before"(timestamptz)`,
  `DROP FUNCTION "ensure_observation_changes_partition"(timestamptz)`,
  // Drops every partition and the owned id sequence with it.
  `DROP TABLE "observation_changes"`,
  `DROP TABLE "resources"`,
  `DROP TABLE "scan_tasks"`,
  `DROP TABLE "scans"`,
];

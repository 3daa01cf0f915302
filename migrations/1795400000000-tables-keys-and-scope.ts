import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables, KMS keys and scope.
 *
 * - Two more resource kinds: `table` (the child of a table bucket, `parent_resource_key`) and
 *   `kms_key` (observed for every key an audited resource names; `key_resource_key` on the
 *   resource says which). A key's facts (state, creator, rotation, ...) are part of its
 *   observation: `key_facts` in the change log and on the current state.
 * - `account_id`: the account uid a resource belongs to, when known (tells a cross-account key).
 * - Scope: a resource whose (account, kind, region, name) the configuration no longer covers leaves
 *   the audit (`scope_left_*`); its findings close as `out_of_scope`, never as fixed.
 * - The finding rules of table and key health.
 * - `scans.plan`: the scopes a scan set out to cover, as the configuration said when it started, so
 *   its end judges what vanished or left the scope by its own plan, not by a configuration changed
 *   since.
 *
 * Value lists are written out: a migration is frozen history.
 */
export class TablesKeysAndScope1795400000000 implements MigrationInterface {
  name = 'TablesKeysAndScope1795400000000';

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

const KINDS = `'bucket', 'table_bucket', 'table', 'kms_key'`;
const OLD_KINDS = `'bucket', 'table_bucket'`;
const RULES = `'unencrypted', 'non_kms', 'kms_default_key', 'kms_key_not_approved', 'unverifiable',
  'table_weaker_than_bucket', 'kms_key_disabled', 'kms_key_pending_deletion', 'kms_key_not_found',
  'kms_key_cross_account', 'kms_key_rotation_disabled', 'kms_key_deletion_protection_disabled'`;
const OLD_RULES = `'unencrypted', 'non_kms', 'kms_default_key', 'kms_key_not_approved', 'unverifiable'`;

const UP: readonly string[] = [
  `ALTER TABLE "scans" ADD COLUMN "plan" jsonb`,
  `ALTER TABLE "resources" DROP CONSTRAINT "resources_kind_check"`,
  `ALTER TABLE "resources" ADD CONSTRAINT "resources_kind_check" CHECK ("kind" IN (${KINDS}))`,
  `ALTER TABLE "resources"
    ADD COLUMN "parent_resource_key" text,
    ADD COLUMN "account_id" text,
    ADD COLUMN "key_resource_key" text,
    ADD COLUMN "key_facts" jsonb,
    ADD COLUMN "scope_left_scan_id" integer,
    ADD COLUMN "scope_left_at" timestamptz,
    ADD CONSTRAINT "resources_scope_left_scan_id_fkey" FOREIGN KEY ("scope_left_scan_id") REFERENCES "scans" ("id"),
    ADD CONSTRAINT "resources_scope_left_check" CHECK (("scope_left_at" IS NULL) = ("scope_left_scan_id" IS NULL)),
    ADD CONSTRAINT "resources_parent_check" CHECK (("kind" = 'table') = ("parent_resource_key" IS NOT NULL))`,
  `CREATE INDEX "resources_parent_resource_key_idx" ON "resources" ("parent_resource_key")
    WHERE "parent_resource_key" IS NOT NULL`,
  `CREATE INDEX "resources_key_resource_key_idx" ON "resources" ("key_resource_key")
    WHERE "key_resource_key" IS NOT NULL`,
  // What a scan's end walks: present resources it may have to mark gone or out of scope.
  `CREATE INDEX "resources_present_last_seen_idx" ON "resources" ("last_seen_scan_id", "id")
    WHERE "deleted_at" IS NULL AND "scope_left_at" IS NULL`,
  // Present now also means in scope: the summary counts stay served by their index alone.
  `DROP INDEX "resources_present_summary_idx"`,
  `CREATE INDEX "resources_present_summary_idx" ON "resources" ("account_alias", "region", "kind", "encryption_class")
    WHERE "deleted_at" IS NULL AND "scope_left_at" IS NULL`,

  `ALTER TABLE "observation_changes" ADD COLUMN "key_facts" jsonb`,
  // Retention re-inserts the changes it must keep: with their key facts now.
  `CREATE OR REPLACE FUNCTION "drop_observation_changes_before"("cutoff" timestamptz) RETURNS integer
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
      "kms_data_encryption", "error_code", "error_message", "request_id", "content_hash", "key_facts"
    )
    SELECT c."id", c."resource_id", c."scan_id", boundary, c."encryption_class", c."algorithm", c."kms_key_id",
      c."kms_data_encryption", c."error_code", c."error_message", c."request_id", c."content_hash", c."key_facts"
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

  `ALTER TABLE "scan_tasks" DROP CONSTRAINT "scan_tasks_resource_kind_check"`,
  `ALTER TABLE "scan_tasks" ADD CONSTRAINT "scan_tasks_resource_kind_check" CHECK ("resource_kind" IN (${KINDS}))`,

  `ALTER TABLE "findings" DROP CONSTRAINT "findings_rule_check"`,
  `ALTER TABLE "findings" ADD CONSTRAINT "findings_rule_check" CHECK ("rule" IN (${RULES}))`,
  `ALTER TABLE "findings" DROP CONSTRAINT "findings_resolution_check"`,
  `ALTER TABLE "findings" ADD CONSTRAINT "findings_resolution_check"
    CHECK ("resolution" IN ('fixed', 'resource_deleted', 'out_of_scope'))`,
];

const DOWN: readonly string[] = [
  `ALTER TABLE "findings" DROP CONSTRAINT "findings_resolution_check"`,
  `ALTER TABLE "findings" ADD CONSTRAINT "findings_resolution_check" CHECK ("resolution" IN ('fixed', 'resource_deleted'))`,
  `ALTER TABLE "findings" DROP CONSTRAINT "findings_rule_check"`,
  `ALTER TABLE "findings" ADD CONSTRAINT "findings_rule_check" CHECK ("rule" IN (${OLD_RULES}))`,
  `ALTER TABLE "scan_tasks" DROP CONSTRAINT "scan_tasks_resource_kind_check"`,
  `ALTER TABLE "scan_tasks" ADD CONSTRAINT "scan_tasks_resource_kind_check" CHECK ("resource_kind" IN (${OLD_KINDS}))`,
  `CREATE OR REPLACE FUNCTION "drop_observation_changes_before"("cutoff" timestamptz) RETURNS integer
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
  `ALTER TABLE "observation_changes" DROP COLUMN "key_facts"`,
  `DROP INDEX "resources_present_summary_idx"`,
  `CREATE INDEX "resources_present_summary_idx" ON "resources" ("account_alias", "region", "kind", "encryption_class")
    WHERE "deleted_at" IS NULL`,
  `DROP INDEX "resources_present_last_seen_idx"`,
  `DROP INDEX "resources_key_resource_key_idx"`,
  `DROP INDEX "resources_parent_resource_key_idx"`,
  `ALTER TABLE "resources"
    DROP CONSTRAINT "resources_parent_check",
    DROP CONSTRAINT "resources_scope_left_check",
    DROP CONSTRAINT "resources_scope_left_scan_id_fkey",
    DROP COLUMN "scope_left_at",
    DROP COLUMN "scope_left_scan_id",
    DROP COLUMN "key_facts",
    DROP COLUMN "key_resource_key",
    DROP COLUMN "account_id",
    DROP COLUMN "parent_resource_key"`,
  `ALTER TABLE "resources" DROP CONSTRAINT "resources_kind_check"`,
  `ALTER TABLE "resources" ADD CONSTRAINT "resources_kind_check" CHECK ("kind" IN (${OLD_KINDS}))`,
  `ALTER TABLE "scans" DROP COLUMN "plan"`,
];

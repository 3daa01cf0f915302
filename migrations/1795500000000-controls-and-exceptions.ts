import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Controls and accountable exceptions (docs/compliance.md).
 *
 * - `compliance_exceptions`: accepted risks, from the API or the exceptions file, one shape. Their
 *   state (pending, active, expired, revoked) is derived at an instant, never stored. `removed_at`: a
 *   file entry taken out of the file (kept, for the record and the findings it suppressed; it no
 *   longer applies). `stale_*`: since which scan an exception covers none of the resources in scope.
 * - `exception_changes`: every change to an exception (who, when, before, after). Append-only, and
 *   the database enforces it: a trigger refuses UPDATE and DELETE, so not even a bug can rewrite
 *   the record an auditor reads.
 * - `control_results`: per scan, resource and control, what the catalogue decided (pass, fail,
 *   warning, suppressed) with its reason, evidence and the exceptions that suppressed it.
 * - `findings.exception_id`: the active exception a finding is suppressed by; a suppressed finding
 *   stays open (visible) but out of open counts and alerts. When the suppression ends the finding
 *   counts again and one alert fires (its outbox dedupe key names the finding and the exception).
 *
 * Value lists are written out: a migration is frozen history.
 */
export class ControlsAndExceptions1795500000000 implements MigrationInterface {
  name = 'ControlsAndExceptions1795500000000';

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
  `CREATE TABLE "compliance_exceptions" (
    "id" text NOT NULL,
    "source" text NOT NULL,
    "scope" jsonb NOT NULL,
    "control_ids" text[] NOT NULL,
    "finding_rules" text[] NOT NULL,
    "reason" text NOT NULL,
    "owner" text NOT NULL,
    "approver" text NOT NULL,
    "ticket_url" text NOT NULL,
    "created_by" text NOT NULL,
    "created_at" timestamptz NOT NULL,
    "expires_at" timestamptz NOT NULL,
    "approved_by" text,
    "approved_at" timestamptz,
    "revoked_by" text,
    "revoked_at" timestamptz,
    "revocation_reason" text,
    "removed_at" timestamptz,
    "stale_since" timestamptz,
    "stale_scan_id" integer,
    CONSTRAINT "compliance_exceptions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "compliance_exceptions_source_check" CHECK ("source" IN ('api', 'file')),
    CONSTRAINT "compliance_exceptions_expiry_check" CHECK ("expires_at" > "created_at"),
    CONSTRAINT "compliance_exceptions_stale_scan_id_fkey" FOREIGN KEY ("stale_scan_id") REFERENCES "scans" ("id")
  )`,
  `CREATE INDEX "compliance_exceptions_expires_at_idx" ON "compliance_exceptions" ("expires_at")`,

  `CREATE TABLE "exception_changes" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "exception_id" text NOT NULL,
    "action" text NOT NULL,
    "actor" text NOT NULL,
    "at" timestamptz NOT NULL,
    "before" jsonb,
    "after" jsonb,
    "changed_fields" text[] NOT NULL,
    "note" text,
    CONSTRAINT "exception_changes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "exception_changes_action_check"
      CHECK ("action" IN ('created', 'approved', 'revoked', 'file_added', 'file_changed', 'file_removed'))
  )`,
  `CREATE INDEX "exception_changes_exception_idx" ON "exception_changes" ("exception_id", "id")`,
  `CREATE INDEX "exception_changes_at_idx" ON "exception_changes" ("at", "id")`,
  `CREATE FUNCTION "refuse_exception_change_rewrite"() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'exception_changes is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
  END;
  $$`,
  `CREATE TRIGGER "exception_changes_append_only" BEFORE UPDATE OR DELETE ON "exception_changes"
    FOR EACH ROW EXECUTE FUNCTION "refuse_exception_change_rewrite"()`,

  `CREATE TABLE "control_results" (
    "scan_id" integer NOT NULL,
    "resource_id" bigint NOT NULL,
    "control_id" text NOT NULL,
    "rule_id" text NOT NULL,
    "catalogue_version" text NOT NULL,
    "status" text NOT NULL,
    "suppressed_status" text,
    "severity" text NOT NULL,
    "reason" text NOT NULL,
    "evidence" jsonb NOT NULL,
    "remedies" jsonb NOT NULL,
    "exception_ids" text[] NOT NULL,
    "account_alias" text NOT NULL,
    "evaluated_at" timestamptz NOT NULL,
    CONSTRAINT "control_results_pkey" PRIMARY KEY ("scan_id", "resource_id", "control_id"),
    CONSTRAINT "control_results_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans" ("id") ON DELETE CASCADE,
    CONSTRAINT "control_results_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources" ("id") ON DELETE CASCADE,
    CONSTRAINT "control_results_status_check" CHECK ("status" IN ('pass', 'fail', 'warning', 'suppressed')),
    CONSTRAINT "control_results_suppressed_check"
      CHECK (("status" = 'suppressed') = ("suppressed_status" IS NOT NULL)
        AND ("suppressed_status" IS NULL OR "suppressed_status" IN ('fail', 'warning')))
  )`,
  `CREATE INDEX "control_results_control_idx" ON "control_results" ("control_id", "scan_id")`,
  `CREATE INDEX "control_results_evaluated_idx" ON "control_results" ("evaluated_at", "scan_id")`,
  `CREATE INDEX "control_results_resource_idx" ON "control_results" ("resource_id", "scan_id")`,

  `ALTER TABLE "findings" ADD COLUMN "exception_id" text,
    ADD CONSTRAINT "findings_exception_id_fkey" FOREIGN KEY ("exception_id") REFERENCES "compliance_exceptions" ("id")`,
  `CREATE INDEX "findings_exception_id_idx" ON "findings" ("exception_id") WHERE "exception_id" IS NOT NULL`,
];

const DOWN: readonly string[] = [
  `DROP INDEX "findings_exception_id_idx"`,
  `ALTER TABLE "findings" DROP COLUMN "exception_id"`,
  `DROP TABLE "control_results"`,
  `DROP TRIGGER "exception_changes_append_only" ON "exception_changes"`,
  `DROP FUNCTION "refuse_exception_change_rewrite"()`,
  `DROP TABLE "exception_changes"`,
  `DROP TABLE "compliance_exceptions"`,
];

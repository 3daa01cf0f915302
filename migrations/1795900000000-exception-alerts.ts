import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts about accountable exceptions (docs/compliance.md): an exception entering the expiry
 * window (`exception_expiring`) and one that covers nothing any more (`exception_stale`) go out
 * through the alert outbox like the resource alerts. Such a row names its exception and no
 * resource, so `resource_id` becomes nullable and the shape check says which kind of row needs
 * which reference. The value lists are written out: a migration is frozen history.
 */
export class ExceptionAlerts1795900000000 implements MigrationInterface {
  name = 'ExceptionAlerts1795900000000';

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

const UP = [
  `ALTER TABLE "alert_outbox"
    ALTER COLUMN "resource_id" DROP NOT NULL,
    ADD COLUMN "exception_id" text,
    ADD CONSTRAINT "alert_outbox_exception_id_fkey"
      FOREIGN KEY ("exception_id") REFERENCES "compliance_exceptions" ("id"),
    DROP CONSTRAINT "alert_outbox_event_type_check",
    ADD CONSTRAINT "alert_outbox_event_type_check" CHECK (
      "event_type" IN ('finding_opened', 'encryption_weakened', 'exception_expiring', 'exception_stale')
    ),
    ADD CONSTRAINT "alert_outbox_subject_check" CHECK (
      ("event_type" IN ('finding_opened', 'encryption_weakened') AND "resource_id" IS NOT NULL
        AND "exception_id" IS NULL)
      OR ("event_type" IN ('exception_expiring', 'exception_stale') AND "exception_id" IS NOT NULL
        AND "resource_id" IS NULL AND "finding_id" IS NULL AND "drift_event_id" IS NULL)
    )`,
  `CREATE INDEX "alert_outbox_exception_id_idx" ON "alert_outbox" ("exception_id") WHERE "exception_id" IS NOT NULL`,
];

const DOWN = [
  `DELETE FROM "alert_delivery_items" WHERE "outbox_id" IN (
     SELECT "id" FROM "alert_outbox" WHERE "exception_id" IS NOT NULL
   )`,
  `DELETE FROM "alert_outbox" WHERE "exception_id" IS NOT NULL`,
  `DROP INDEX "alert_outbox_exception_id_idx"`,
  `ALTER TABLE "alert_outbox"
    DROP CONSTRAINT "alert_outbox_subject_check",
    DROP CONSTRAINT "alert_outbox_event_type_check",
    ADD CONSTRAINT "alert_outbox_event_type_check" CHECK ("event_type" IN ('finding_opened', 'encryption_weakened')),
    DROP COLUMN "exception_id",
    ALTER COLUMN "resource_id" SET NOT NULL`,
];

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys of the REST API, and the indexes its read paths need.
 *
 * A key is stored as the SHA-256 of the whole token plus a short prefix of it: the prefix finds the
 * row, the hash proves the token. The token itself is shown once, when the key is created.
 *
 * The read indexes match the keyset orders of the API's lists, so a page is a short index range
 * whatever the table size: findings newest first (per status, and across statuses), drift events
 * newest first, the "what changed after scan N" lookups of the summary trend, and one partial
 * covering index from which the per-account, per-region, per-class counts of present resources are
 * read without touching the table.
 */
export class ApiKeys1795300000000 implements MigrationInterface {
  name = 'ApiKeys1795300000000';

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
  `CREATE TABLE "api_keys" (
    "id" integer GENERATED ALWAYS AS IDENTITY,
    "name" text NOT NULL,
    "role" text NOT NULL,
    "key_prefix" text NOT NULL,
    "key_hash" bytea NOT NULL,
    "created_at" timestamptz NOT NULL DEFAULT now(),
    "revoked_at" timestamptz,
    "last_used_at" timestamptz,
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "api_keys_key_prefix_key" UNIQUE ("key_prefix"),
    CONSTRAINT "api_keys_role_check" CHECK ("role" IN ('reader', 'admin')),
    CONSTRAINT "api_keys_key_hash_check" CHECK (octet_length("key_hash") = 32),
    CONSTRAINT "api_keys_name_check" CHECK (length("name") BETWEEN 1 AND 100)
  )`,
  `CREATE INDEX "findings_status_opened_idx" ON "findings" ("status", "opened_at", "id")`,
  `CREATE INDEX "findings_opened_idx" ON "findings" ("opened_at", "id")`,
  `CREATE INDEX "findings_opened_scan_id_idx" ON "findings" ("opened_scan_id")`,
  `CREATE INDEX "findings_resolved_scan_id_idx" ON "findings" ("resolved_scan_id") WHERE "resolved_scan_id" IS NOT NULL`,
  `CREATE INDEX "drift_events_detected_id_idx" ON "drift_events" ("detected_at", "id")`,
  `CREATE INDEX "resources_present_summary_idx" ON "resources" ("account_alias", "region", "kind", "encryption_class") WHERE "deleted_at" IS NULL`,
];

const DOWN: readonly string[] = [
  `DROP INDEX "resources_present_summary_idx"`,
  `DROP INDEX "drift_events_detected_id_idx"`,
  `DROP INDEX "findings_resolved_scan_id_idx"`,
  `DROP INDEX "findings_opened_scan_id_idx"`,
  `DROP INDEX "findings_opened_idx"`,
  `DROP INDEX "findings_status_opened_idx"`,
  `DROP TABLE "api_keys"`,
];

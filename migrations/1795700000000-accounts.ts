import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts as a first-class list: every account a scan planned, configured in the file or
 * discovered in a Resource Directory, with where it came from, whether the latest plan still
 * covers it (a member gone from the directory, or filtered out, leaves it: `left_at`), and what the
 * latest scan that covered it could reach (`last_reached_at`, `last_error`, `last_coverage`).
 */
export class Accounts1795700000000 implements MigrationInterface {
  name = 'Accounts1795700000000';

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
  `CREATE TABLE "accounts" (
    "alias" text NOT NULL,
    "account_id" text,
    "source" text NOT NULL,
    "name" text,
    "folder_id" text,
    "first_planned_at" timestamptz NOT NULL,
    "in_scope" boolean NOT NULL,
    "left_at" timestamptz,
    "last_scan_id" integer,
    "last_reached_at" timestamptz,
    "last_error" jsonb,
    "last_coverage" jsonb,
    CONSTRAINT "accounts_pkey" PRIMARY KEY ("alias"),
    CONSTRAINT "accounts_source_check" CHECK ("source" IN ('configured', 'discovered')),
    CONSTRAINT "accounts_left_check" CHECK ("in_scope" = ("left_at" IS NULL)),
    CONSTRAINT "accounts_last_scan_id_fkey" FOREIGN KEY ("last_scan_id") REFERENCES "scans" ("id") ON DELETE SET NULL
  )`,
];

const DOWN = [`DROP TABLE "accounts"`];

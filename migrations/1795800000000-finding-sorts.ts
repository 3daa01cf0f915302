import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The findings list's sort orders as indexes, so each page stays an index range: most severe first
 * (per status, and across statuses) and, for the resource-name order and the lookup by name, the
 * resources by (name, id).
 *
 * Severity is text; `finding_severity_rank` orders it (info 1 to critical 5). The function is
 * IMMUTABLE and inlined by the planner, so the index expression and the queries' `ORDER BY` are the
 * same expression.
 */
export class FindingSorts1795800000000 implements MigrationInterface {
  name = 'FindingSorts1795800000000';

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
  `CREATE FUNCTION "finding_severity_rank"("severity" text) RETURNS smallint
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT CASE "severity" WHEN 'info' THEN 1 WHEN 'low' THEN 2 WHEN 'medium' THEN 3
       WHEN 'high' THEN 4 WHEN 'critical' THEN 5 END::smallint $$`,
  `CREATE INDEX "findings_status_severity_rank_opened_idx"
     ON "findings" ("status", "finding_severity_rank"("severity"), "opened_at", "id")`,
  `CREATE INDEX "findings_severity_rank_opened_idx"
     ON "findings" ("finding_severity_rank"("severity"), "opened_at", "id")`,
  `CREATE INDEX "resources_name_id_idx" ON "resources" ("name", "id")`,
];

const DOWN: readonly string[] = [
  `DROP INDEX "resources_name_id_idx"`,
  `DROP INDEX "findings_severity_rank_opened_idx"`,
  `DROP INDEX "findings_status_severity_rank_opened_idx"`,
  `DROP FUNCTION "finding_severity_rank"(text)`,
];

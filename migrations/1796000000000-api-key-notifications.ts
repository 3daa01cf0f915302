import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to a key that can make a trusted key untrusted (revoked, its role, name, hash or
 * prefix changed, the row deleted, the table truncated) is announced on the `api_keys_changed`
 * channel when its transaction commits, whoever made it: the CLI, another replica, an operator's
 * SQL; the payload is the statement (UPDATE, DELETE, TRUNCATE). API processes listening there drop the key rows they hold (ApiKeyService), so they can skip
 * the row read on every request without trusting a revoked key. `last_used_at`, which the API
 * itself writes as keys are used, is not among the columns: it changes no verdict.
 */
export class ApiKeyNotifications1796000000000 implements MigrationInterface {
  name = 'ApiKeyNotifications1796000000000';

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
  `CREATE FUNCTION "api_keys_announce_change"() RETURNS trigger
     LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM pg_notify('api_keys_changed', TG_OP);
       RETURN NULL;
     END
   $$`,
  `CREATE TRIGGER "api_keys_changed"
     AFTER UPDATE OF "revoked_at", "role", "name", "key_hash", "key_prefix" OR DELETE OR TRUNCATE
     ON "api_keys" FOR EACH STATEMENT EXECUTE FUNCTION "api_keys_announce_change"()`,
];

const DOWN: readonly string[] = [
  `DROP TRIGGER "api_keys_changed" ON "api_keys"`,
  `DROP FUNCTION "api_keys_announce_change"()`,
];

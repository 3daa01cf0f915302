import type { DataSource } from 'typeorm';

import { PersistenceError } from './persistence-error';
import { withSession } from './sql';
import type { Row } from './schema/tables';

/** What an API key may do: `reader` reads; `admin` also starts scans. */
export type ApiKeyRole = 'reader' | 'admin';

/** An API key as listed: never its hash, never its token. */
export interface ApiKeyRecord {
  readonly id: number;
  readonly name: string;
  readonly role: ApiKeyRole;
  /** The start of the token, enough to tell keys apart; not a secret. */
  readonly prefix: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** A key with the hash its token must match, for authentication only. */
export interface ApiKeyCredential extends ApiKeyRecord {
  /** SHA-256 of the token (32 bytes). */
  readonly hash: Buffer;
}

export interface NewApiKey {
  readonly name: string;
  readonly role: ApiKeyRole;
  readonly prefix: string;
  /** SHA-256 of the token (32 bytes); the token itself is never stored. */
  readonly hash: Buffer;
}

type ApiKeyRow = Omit<Row<'api_keys'>, 'key_hash'>;

const KEY_COLUMNS = `"id", "name", "role", "key_prefix", "created_at", "revoked_at", "last_used_at"`;

/** The `api_keys` aggregate. Hashes go in once and come out only for authentication. */
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a new key; null when its prefix is taken already (the caller draws another token). */
  async create(key: NewApiKey): Promise<ApiKeyRecord | null> {
    if (key.hash.length !== 32) {
      throw new PersistenceError('INVALID_INPUT', 'An API key hash is a 32-byte SHA-256 digest');
    }
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<ApiKeyRow>(
        `INSERT INTO "api_keys" ("name", "role", "key_prefix", "key_hash")
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT "api_keys_key_prefix_key" DO NOTHING
         RETURNING ${KEY_COLUMNS}`,
        [key.name, key.role, key.prefix, key.hash],
      );
      return row === undefined ? null : toRecord(row);
    });
  }

  /** The key with this prefix, revoked or not, with its hash; null when there is none. */
  async findCredential(prefix: string): Promise<ApiKeyCredential | null> {
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<ApiKeyRow & { key_hash: Buffer }>(
        `SELECT ${KEY_COLUMNS}, "key_hash" FROM "api_keys" WHERE "key_prefix" = $1`,
        [prefix],
      );
      return row === undefined ? null : { ...toRecord(row), hash: row.key_hash };
    });
  }

  /** Every key, oldest first, without secrets. */
  async list(): Promise<ApiKeyRecord[]> {
    return withSession(this.dataSource, async (sql) => {
      const rows = await sql.rows<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM "api_keys" ORDER BY "id"`);
      return rows.map(toRecord);
    });
  }

  /** Revokes a key; revoking it again keeps the first revocation time. Null when there is no such key. */
  async revoke(id: number, at?: Date): Promise<ApiKeyRecord | null> {
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<ApiKeyRow>(
        `UPDATE "api_keys" SET "revoked_at" = coalesce("revoked_at", $2::timestamptz, now())
         WHERE "id" = $1
         RETURNING ${KEY_COLUMNS}`,
        [id, at ?? null],
      );
      return row === undefined ? null : toRecord(row);
    });
  }

  /** Records that the key was used (callers throttle this: it is a write). */
  async recordUse(id: number, at?: Date): Promise<void> {
    await withSession(this.dataSource, (sql) =>
      sql.affected(
        `UPDATE "api_keys" SET "last_used_at" = coalesce($2::timestamptz, now()) WHERE "id" = $1`,
        [id, at ?? null],
      ),
    );
  }
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.key_prefix,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

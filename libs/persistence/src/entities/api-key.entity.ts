import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** Schema mirror of `api_keys`: REST API keys, stored as a SHA-256 hash and a public prefix. */
@Entity({ name: 'api_keys' })
@Unique('api_keys_key_prefix_key', ['keyPrefix'])
@Check('api_keys_role_check', `"role" IN ('reader', 'admin')`)
@Check('api_keys_key_hash_check', `octet_length("key_hash") = 32`)
@Check('api_keys_name_check', `length("name") BETWEEN 1 AND 100`)
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'integer',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'api_keys_pkey',
  })
  id!: number;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'role', type: 'text' })
  role!: string;

  @Column({ name: 'key_prefix', type: 'text' })
  keyPrefix!: string;

  @Column({ name: 'key_hash', type: 'bytea' })
  keyHash!: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}

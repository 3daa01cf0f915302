import type { DenySpec, TableBucketEncryptionSpec } from './fleet.types';

/**
 * What a table bucket holds (OSS Tables: table bucket > namespace > table). A table keeps the
 * encryption it was created with; the table bucket's default only applies to tables created later.
 */

/** A table's encryption: `AES256` (empty or absent `kmsKeyArn`) or `KMS` with a key ARN. */
export type TableEncryptionSpec = TableBucketEncryptionSpec;

export interface TableSpec {
  /** 1-255 characters: lowercase letters, digits and `_`, starting and ending with a letter or digit. */
  readonly name: string;
  /** Default: the namespace's `createdAt`. */
  readonly createdAt?: string;
  /** Default: `createdAt`. */
  readonly modifiedAt?: string;
  /** The id in the table ARN `.../table/{tableId}`; default a UUID derived from the names. */
  readonly tableId?: string;
  /**
   * Absent: the table bucket's encryption when the table is created (loaded or added), as the
   * service does. null: no encryption (a table created before the bucket had a default).
   */
  readonly encryption?: TableEncryptionSpec | null;
  /** Operations on this table answered with 403 (only `GetTableEncryption` addresses a table). */
  readonly deny?: DenySpec;
}

export interface NamespaceSpec {
  /** 1-255 characters: lowercase letters, digits and `_`, not starting or ending with `_`, no reserved prefix. */
  readonly name: string;
  /** Default: the table bucket's `createdAt`. */
  readonly createdAt?: string;
  /** Default: a UUID derived from the names. */
  readonly namespaceId?: string;
  readonly tables?: readonly TableSpec[];
}

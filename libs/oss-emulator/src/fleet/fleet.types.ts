import type { FaultRule } from '../faults/fault.types';

import type { OperationName } from '../protocol/operation-name';

import type { OrganizationSpec } from './resource-directory';

export type { OperationName };
export type { MemberSpec, OrganizationSpec, RoleSpec } from './resource-directory';

/** `all`, or the operations answered with 403 AccessDenied. */
export type DenySpec = 'all' | readonly OperationName[];

export interface AccessKeySpec {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

/** Temporary credentials as STS would issue them: the token must accompany the key. */
export interface StsCredentialSpec extends AccessKeySpec {
  readonly securityToken: string;
  /** ISO time after which the token is rejected as expired; never expires when absent. */
  readonly expiresAt?: string;
}

export interface BucketEncryptionSpec {
  readonly sseAlgorithm: 'KMS' | 'AES256' | 'SM4';
  readonly kmsMasterKeyId?: string;
  readonly kmsDataEncryption?: 'SM4';
}

export interface BucketSpec {
  readonly name: string;
  /** Region id, e.g. `cn-hangzhou` (the `oss-` prefixed form is derived). */
  readonly region: string;
  readonly creationDate?: string;
  readonly storageClass?: string;
  readonly resourceGroupId?: string;
  /** null or absent: no server-side encryption rule (404 NoSuchServerSideEncryptionRule). */
  readonly encryption?: BucketEncryptionSpec | null;
  readonly deny?: DenySpec;
}

export interface TableBucketEncryptionSpec {
  readonly sseAlgorithm: string;
  readonly kmsKeyArn?: string;
}

export interface TableBucketSpec {
  readonly name: string;
  readonly region: string;
  readonly createdAt?: string;
  readonly tableBucketId?: string;
  /** null or absent: no encryption configured. */
  readonly encryption?: TableBucketEncryptionSpec | null;
  readonly deny?: DenySpec;
  /** Namespaces and their tables; none when absent. */
  readonly namespaces?: readonly NamespaceSpec[];
}

/** KMS key states (KMS "Impact of CMK status on API calls"); only Enabled keys encrypt or decrypt. */
export type KmsKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';

/**
 * A KMS key as DescribeKey (2016-01-20) shows it; absent fields take service-like defaults
 * (docs/wire/kms-and-acs3.md §2). Key ids are unique across the fleet, aliases per account and region.
 */
export interface KmsKeySpec {
  /** e.g. `key-hzz630494463ejqjx0001` or a UUID (older keys). */
  readonly keyId: string;
  readonly region: string;
  /** Default `Enabled`. `PendingDeletion` needs `deleteDate`; `PendingImport` needs origin `EXTERNAL`. */
  readonly keyState?: KmsKeyState;
  /** Default the account uid (a customer key); a service name such as `Oss` for a service key. */
  readonly creator?: string;
  /** Default `Aliyun_KMS`; `EXTERNAL` for imported (BYOK) key material. */
  readonly origin?: 'Aliyun_KMS' | 'EXTERNAL';
  /** Default `SOFTWARE`. */
  readonly protectionLevel?: 'SOFTWARE' | 'HSM';
  /** Default `Aliyun_AES_256`. */
  readonly keySpec?: string;
  /** Default `ENCRYPT/DECRYPT`. */
  readonly keyUsage?: string;
  readonly description?: string;
  /** ISO time; default 2024-01-01T00:00:00Z. */
  readonly creationDate?: string;
  /** Default `Disabled`. */
  readonly automaticRotation?: 'Enabled' | 'Disabled' | 'Suspended';
  /** e.g. `31536000s` (default when rotation is on). */
  readonly rotationInterval?: string;
  readonly lastRotationDate?: string;
  readonly nextRotationDate?: string;
  /** Default `Disabled`. */
  readonly deletionProtection?: 'Enabled' | 'Disabled';
  readonly deletionProtectionDescription?: string;
  /** ISO time of the scheduled deletion; only with `PendingDeletion`. */
  readonly deleteDate?: string;
  /** ISO time the imported material expires; only with origin `EXTERNAL`. */
  readonly materialExpireTime?: string;
  readonly primaryKeyVersion?: string;
  /** `alias/...` names bound to the key, e.g. `alias/acs/oss` for the OSS service key. */
  readonly aliases?: readonly string[];
  /** `all` or `[DescribeKey]`: a key policy that denies the caller (403 Forbidden.NoPermission). */
  readonly deny?: DenySpec;
}

export interface AccountSpec {
  /** Account uid (digits), as in table bucket ARNs and ListBuckets Owner/ID. */
  readonly id: string;
  readonly displayName?: string;
  readonly accessKeys: readonly AccessKeySpec[];
  readonly stsCredentials?: readonly StsCredentialSpec[];
  readonly deny?: DenySpec;
  readonly buckets: readonly BucketSpec[];
  readonly tableBuckets: readonly TableBucketSpec[];
  /** The account's KMS keys, in any region. */
  readonly kmsKeys?: readonly KmsKeySpec[];
}

/** A whole emulated organisation: the fixture file's shape and the generator's output. */
export interface FleetSpec {
  readonly accounts: readonly AccountSpec[];
  /** Faults active from start-up (the fleet file's `faults:` section). */
  readonly faults?: readonly FaultRule[];
  /** Initial server clock skew in ms (positive: the server clock runs ahead). */
  readonly clockSkewMs?: number;
  /**
   * How GetTableBucketEncryption answers for a table bucket without encryption; the real service's
   * behaviour is unconfirmed. Default `empty-configuration` (200 `{"encryptionConfiguration":{}}`).
   */
  readonly tableBucketWithoutEncryption?: TableBucketWithoutEncryptionMode;
  /**
   * Most entries any listing page holds, whatever the client asks for (1-1000; default 1000), so
   * tests can force many small pages.
   */
  readonly maxPageSize?: number;
  /** A Resource Directory over some of the accounts: ListAccounts and STS AssumeRole answer from it. */
  readonly organization?: OrganizationSpec;
}

/**
 * 200 with an empty configuration, or 404 `NotFoundException`. GetTableEncryption answers a table
 * without encryption the same way.
 */
export type TableBucketWithoutEncryptionMode = 'empty-configuration' | 'not-found';

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

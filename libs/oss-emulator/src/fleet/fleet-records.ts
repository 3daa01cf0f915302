import type {
  AccessKeySpec,
  BucketEncryptionSpec,
  DenySpec,
  StsCredentialSpec,
  TableBucketEncryptionSpec,
} from './fleet.types';

/** A bucket as served, with its response fragments rendered once. */
export interface BucketRecord {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly creationDate: string;
  readonly storageClass: string;
  readonly resourceGroupId: string;
  readonly encryption: BucketEncryptionSpec | null;
  readonly deny: DenySpec | undefined;
  /** GetBucketEncryption 200 body; undefined when no rule is configured. */
  readonly encryptionXml: Buffer | undefined;
  readonly listEntryXml: string;
}

export interface TableBucketRecord {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly createdAt: string;
  readonly tableBucketId: string;
  readonly encryption: TableBucketEncryptionSpec | null;
  readonly deny: DenySpec | undefined;
  readonly listEntryJson: string;
  /** GetTableBucketEncryption 200 body (empty configuration when none). */
  readonly encryptionJson: Buffer;
}

export interface AccountRecord {
  readonly id: string;
  readonly displayName: string;
  readonly deny: DenySpec | undefined;
  readonly accessKeys: readonly AccessKeySpec[];
  readonly stsCredentials: readonly StsCredentialSpec[];
}

/** What an AccessKey id resolves to; also the verifier's credential record, as is. */
export interface AccessKeyRecord {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  /** From this instant on the STS token is rejected as expired. */
  readonly securityTokenExpiresAt?: Date;
}

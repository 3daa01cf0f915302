import { createHash, randomBytes } from 'node:crypto';

import { EmulatorError } from '../emulator-error';
import {
  ossExtranetEndpoint,
  ossIntranetEndpoint,
  ossLocation,
  tableBucketArn as buildTableBucketArn,
} from '../protocol/endpoints';
import { renderBucketEntry, renderEncryptionRule } from '../protocol/oss-xml';
import { isValidBucketName, isValidRegionId, isValidTableBucketName } from '../protocol/request-routing';
import { renderTableBucketEntry, renderTableEncryption } from '../protocol/tables-json';
import { TableCatalog } from './table-catalog';
import { insertSorted, pageOfNames, removeSorted, stableUuid, upperBound, type Page } from './sorted-names';
import { KmsKeyStore } from './kms-keys';
import { ResourceDirectory } from './resource-directory';
import type { AccessKeyRecord, AccountRecord, BucketRecord, TableBucketRecord } from './fleet-records';

export type { AccessKeyRecord, AccountRecord, BucketRecord, TableBucketRecord };
import type {
  AccountSpec,
  BucketEncryptionSpec,
  BucketSpec,
  DenySpec,
  FleetSpec,
  KmsKeySpec,
  OperationName,
  TableBucketEncryptionSpec,
  TableBucketSpec,
} from './fleet.types';

const DEFAULT_CREATION_DATE = '2024-01-01T00:00:00.000Z';
const DEFAULT_TABLE_CREATED_AT = '2025-01-01T00:00:00.000000+00:00';

export interface ListBucketsQuery {
  readonly prefix: string;
  readonly marker: string;
  readonly maxKeys: number;
}

export interface ListTableBucketsQuery {
  readonly prefix: string;
  /** Resume after this name (decoded continuation token). */
  readonly after: string | undefined;
  readonly maxBuckets: number;
}

interface MutableAccount extends AccountRecord {
  /** Where buckets without an explicit resource group sit. */
  readonly defaultResourceGroupId: string;
  /** Bucket names of the account across all regions, sorted (ListBuckets order). */
  readonly bucketNames: string[];
  /** Table bucket names per region, sorted. */
  readonly tableBucketNames: Map<string, string[]>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type { Page } from './sorted-names';

export function isDenied(deny: DenySpec | undefined, operation: OperationName): boolean {
  return deny !== undefined && (deny === 'all' || deny.includes(operation));
}

function defaultResourceGroupId(accountId: string): string {
  return `rg-acfm${createHash('sha256').update(accountId).digest('hex').slice(0, 11)}`;
}

/**
 * The emulated organisation, live: what requests read and change. Built from a FleetSpec and
 * validated on the way in; `toSpec()` gives the current state back as a FleetSpec.
 */
export class FleetState {
  private readonly accountsById = new Map<string, MutableAccount>();
  private readonly bucketsByName = new Map<string, Mutable<BucketRecord>>();
  private readonly tableBucketsByArn = new Map<string, Mutable<TableBucketRecord>>();
  private readonly credentialsById = new Map<string, AccessKeyRecord>();
  private readonly catalog = new TableCatalog();
  /** The fleet's KMS keys (DescribeKey). */
  readonly kmsKeys = new KmsKeyStore();

  /** The Resource Directory over the fleet's accounts, when the fleet has one. */
  readonly directory: ResourceDirectory | null;

  constructor(spec: FleetSpec) {
    for (const account of spec.accounts) this.addAccount(account);
    this.directory =
      spec.organization === undefined
        ? null
        : new ResourceDirectory(spec.organization, (id) => this.accountsById.get(id)?.displayName);
  }

  /**
   * Temporary credentials of an account, as STS issues them: accepted by OSS, OSS Tables and KMS
   * until `expiresAt`, then refused as expired (SecurityTokenExpired, InvalidSecurityToken.Expired).
   */
  issueTemporaryCredentials(accountId: string, expiresAt: Date): AccessKeyRecord {
    this.requireAccount(accountId);
    const record: AccessKeyRecord = {
      accountId,
      accessKeyId: `STS.${randomBytes(12).toString('hex')}`,
      accessKeySecret: randomBytes(24).toString('base64url'),
      securityToken: `CAIS${randomBytes(48).toString('base64url')}`,
      securityTokenExpiresAt: expiresAt,
    };
    this.addCredential(record);
    return record;
  }

  get accounts(): ReadonlyMap<string, AccountRecord> {
    return this.accountsById;
  }

  get buckets(): ReadonlyMap<string, BucketRecord> {
    return this.bucketsByName;
  }

  /** Keyed by ARN. */
  get tableBuckets(): ReadonlyMap<string, TableBucketRecord> {
    return this.tableBucketsByArn;
  }

  /** The namespaces and tables of every table bucket. */
  get tableCatalog(): TableCatalog {
    return this.catalog;
  }

  accessKey(accessKeyId: string): AccessKeyRecord | undefined {
    return this.credentialsById.get(accessKeyId);
  }

  addBucket(accountId: string, spec: BucketSpec): BucketRecord {
    const account = this.requireAccount(accountId);
    if (!isValidBucketName(spec.name)) {
      throw new EmulatorError('INVALID_FLEET', `Invalid bucket name "${spec.name}".`);
    }
    if (!isValidRegionId(spec.region)) {
      throw new EmulatorError('INVALID_FLEET', `Invalid region "${spec.region}" for bucket "${spec.name}".`);
    }
    if (this.bucketsByName.has(spec.name)) {
      throw new EmulatorError('DUPLICATE_BUCKET', `Bucket "${spec.name}" exists already (names are global).`);
    }
    const record: Mutable<BucketRecord> = {
      name: spec.name,
      region: spec.region,
      accountId,
      creationDate: spec.creationDate ?? DEFAULT_CREATION_DATE,
      storageClass: spec.storageClass ?? 'Standard',
      resourceGroupId: spec.resourceGroupId ?? account.defaultResourceGroupId,
      encryption: null,
      deny: spec.deny,
      encryptionXml: undefined,
      listEntryXml: '',
    };
    record.listEntryXml = renderBucketEntry({
      name: record.name,
      creationDate: record.creationDate,
      location: ossLocation(record.region),
      region: record.region,
      extranetEndpoint: ossExtranetEndpoint(record.region),
      intranetEndpoint: ossIntranetEndpoint(record.region),
      storageClass: record.storageClass,
      resourceGroupId: record.resourceGroupId,
    });
    this.applyBucketEncryption(record, spec.encryption ?? null);
    this.bucketsByName.set(record.name, record);
    insertSorted(account.bucketNames, record.name);
    return record;
  }

  removeBucket(name: string): boolean {
    const record = this.bucketsByName.get(name);
    if (record === undefined) return false;
    this.bucketsByName.delete(name);
    const account = this.accountsById.get(record.accountId);
    if (account !== undefined) removeSorted(account.bucketNames, name);
    return true;
  }

  /** Replaces the bucket's rule (null removes it); false when the bucket does not exist. */
  setBucketEncryption(name: string, encryption: BucketEncryptionSpec | null): boolean {
    const record = this.bucketsByName.get(name);
    if (record === undefined) return false;
    this.applyBucketEncryption(record, encryption);
    return true;
  }

  addTableBucket(accountId: string, spec: TableBucketSpec): TableBucketRecord {
    const account = this.requireAccount(accountId);
    if (!isValidTableBucketName(spec.name)) {
      throw new EmulatorError('INVALID_FLEET', `Invalid table bucket name "${spec.name}".`);
    }
    if (!isValidRegionId(spec.region)) {
      throw new EmulatorError(
        'INVALID_FLEET',
        `Invalid region "${spec.region}" for table bucket "${spec.name}".`,
      );
    }
    const arn = buildTableBucketArn(spec.region, accountId, spec.name);
    if (this.tableBucketsByArn.has(arn)) {
      throw new EmulatorError('DUPLICATE_TABLE_BUCKET', `Table bucket ${arn} exists already.`);
    }
    const record: Mutable<TableBucketRecord> = {
      arn,
      name: spec.name,
      region: spec.region,
      accountId,
      createdAt: spec.createdAt ?? DEFAULT_TABLE_CREATED_AT,
      tableBucketId: spec.tableBucketId ?? stableUuid(arn),
      encryption: null,
      deny: spec.deny,
      listEntryJson: '',
      encryptionJson: Buffer.alloc(0),
    };
    record.listEntryJson = renderTableBucketEntry({
      arn,
      createdAt: record.createdAt,
      name: record.name,
      ownerAccountId: accountId,
      tableBucketId: record.tableBucketId,
    });
    this.applyTableEncryption(record, spec.encryption ?? null);
    this.catalog.attach(record, spec.namespaces ?? []);
    this.tableBucketsByArn.set(arn, record);
    let names = account.tableBucketNames.get(spec.region);
    if (names === undefined) {
      names = [];
      account.tableBucketNames.set(spec.region, names);
    }
    insertSorted(names, spec.name);
    return record;
  }

  removeTableBucket(arn: string): boolean {
    const record = this.tableBucketsByArn.get(arn);
    if (record === undefined) return false;
    this.tableBucketsByArn.delete(arn);
    this.catalog.detach(arn);
    const names = this.accountsById.get(record.accountId)?.tableBucketNames.get(record.region);
    if (names !== undefined) removeSorted(names, record.name);
    return true;
  }

  setTableBucketEncryption(arn: string, encryption: TableBucketEncryptionSpec | null): boolean {
    const record = this.tableBucketsByArn.get(arn);
    if (record === undefined) return false;
    this.applyTableEncryption(record, encryption);
    return true;
  }

  /** Adds a KMS key to an existing account (admin API). */
  addKmsKey(accountId: string, spec: KmsKeySpec): KmsKeySpec {
    this.requireAccount(accountId);
    this.kmsKeys.add(accountId, spec);
    return this.kmsKeys.specsOf(accountId).find((key) => key.keyId === spec.keyId) ?? spec;
  }

  /** ListBuckets: the account's buckets of every region, by name, after `marker`. */
  listBuckets(accountId: string, query: ListBucketsQuery): Page<BucketRecord> {
    const names = this.accountsById.get(accountId)?.bucketNames ?? [];
    const page = pageOfNames(names, upperBound(names, query.marker), query.prefix, query.maxKeys);
    return { items: page.items.map((name) => this.bucketOrThrow(name)), truncated: page.truncated };
  }

  /** ListTableBuckets: the account's table buckets in one region, by name. */
  listTableBuckets(accountId: string, region: string, query: ListTableBucketsQuery): Page<TableBucketRecord> {
    const names = this.accountsById.get(accountId)?.tableBucketNames.get(region) ?? [];
    const start = query.after === undefined ? 0 : upperBound(names, query.after);
    const page = pageOfNames(names, start, query.prefix, query.maxBuckets);
    return {
      items: page.items.map((name) => this.tableBucketOrThrow(buildTableBucketArn(region, accountId, name))),
      truncated: page.truncated,
    };
  }

  /** The current state as a FleetSpec (accounts in creation order, buckets by name). */
  toSpec(): FleetSpec {
    const accounts: AccountSpec[] = [];
    for (const account of this.accountsById.values()) {
      const tableBuckets: TableBucketSpec[] = [];
      for (const [region, names] of account.tableBucketNames) {
        for (const name of names) {
          const record = this.tableBucketOrThrow(buildTableBucketArn(region, account.id, name));
          const namespaces = this.catalog.namespaceSpecs(record.arn);
          tableBuckets.push({
            name: record.name,
            region: record.region,
            createdAt: record.createdAt,
            tableBucketId: record.tableBucketId,
            encryption: record.encryption,
            ...(record.deny === undefined ? {} : { deny: record.deny }),
            ...(namespaces.length === 0 ? {} : { namespaces }),
          });
        }
      }
      accounts.push({
        id: account.id,
        displayName: account.displayName,
        accessKeys: account.accessKeys,
        stsCredentials: account.stsCredentials,
        ...(account.deny === undefined ? {} : { deny: account.deny }),
        buckets: account.bucketNames.map((name) => {
          const record = this.bucketOrThrow(name);
          return {
            name: record.name,
            region: record.region,
            creationDate: record.creationDate,
            storageClass: record.storageClass,
            resourceGroupId: record.resourceGroupId,
            encryption: record.encryption,
            ...(record.deny === undefined ? {} : { deny: record.deny }),
          };
        }),
        tableBuckets,
        ...this.kmsKeySpecs(account.id),
      });
    }
    return this.directory === null ? { accounts } : { accounts, organization: this.directory.toSpec() };
  }

  /** Adds an account (and its keys and resources) to the running fleet. */
  addAccount(spec: AccountSpec): void {
    if (!/^\d+$/.test(spec.id))
      throw new EmulatorError('INVALID_FLEET', `Account id "${spec.id}" must be digits.`);
    if (this.accountsById.has(spec.id)) {
      throw new EmulatorError('INVALID_FLEET', `Account ${spec.id} is listed twice.`);
    }
    const account: MutableAccount = {
      id: spec.id,
      displayName: spec.displayName ?? spec.id,
      deny: spec.deny,
      accessKeys: spec.accessKeys,
      stsCredentials: spec.stsCredentials ?? [],
      defaultResourceGroupId: defaultResourceGroupId(spec.id),
      bucketNames: [],
      tableBucketNames: new Map(),
    };
    this.accountsById.set(spec.id, account);
    for (const key of spec.accessKeys) this.addCredential({ accountId: spec.id, ...key });
    for (const sts of account.stsCredentials) {
      const expiresAt = sts.expiresAt === undefined ? undefined : new Date(sts.expiresAt);
      if (expiresAt !== undefined && Number.isNaN(expiresAt.getTime())) {
        throw new EmulatorError('INVALID_FLEET', `STS credential ${sts.accessKeyId}: invalid expiresAt.`);
      }
      this.addCredential({
        accountId: spec.id,
        accessKeyId: sts.accessKeyId,
        accessKeySecret: sts.accessKeySecret,
        securityToken: sts.securityToken,
        ...(expiresAt === undefined ? {} : { securityTokenExpiresAt: expiresAt }),
      });
    }
    for (const bucket of spec.buckets) this.addBucket(spec.id, bucket);
    for (const tableBucket of spec.tableBuckets) this.addTableBucket(spec.id, tableBucket);
    for (const key of spec.kmsKeys ?? []) this.kmsKeys.add(spec.id, key);
  }

  private kmsKeySpecs(accountId: string): Pick<AccountSpec, 'kmsKeys'> {
    const kmsKeys = this.kmsKeys.specsOf(accountId);
    return kmsKeys.length === 0 ? {} : { kmsKeys };
  }

  private addCredential(record: AccessKeyRecord): void {
    if (this.credentialsById.has(record.accessKeyId)) {
      throw new EmulatorError('INVALID_FLEET', `AccessKey id ${record.accessKeyId} is used twice.`);
    }
    this.credentialsById.set(record.accessKeyId, record);
  }

  private requireAccount(accountId: string): MutableAccount {
    const account = this.accountsById.get(accountId);
    if (account === undefined) throw new EmulatorError('UNKNOWN_ACCOUNT', `No account ${accountId}.`);
    return account;
  }

  private bucketOrThrow(name: string): BucketRecord {
    const record = this.bucketsByName.get(name);
    if (record === undefined) throw new Error(`Fleet index out of sync: bucket ${name}`);
    return record;
  }

  private tableBucketOrThrow(arn: string): TableBucketRecord {
    const record = this.tableBucketsByArn.get(arn);
    if (record === undefined) throw new Error(`Fleet index out of sync: table bucket ${arn}`);
    return record;
  }

  private applyBucketEncryption(
    record: Mutable<BucketRecord>,
    encryption: BucketEncryptionSpec | null,
  ): void {
    record.encryption = encryption;
    record.encryptionXml =
      encryption === null ? undefined : Buffer.from(renderEncryptionRule(encryption), 'utf8');
  }

  private applyTableEncryption(
    record: Mutable<TableBucketRecord>,
    encryption: TableBucketEncryptionSpec | null,
  ): void {
    record.encryption = encryption;
    record.encryptionJson = Buffer.from(renderTableEncryption(encryption), 'utf8');
  }
}

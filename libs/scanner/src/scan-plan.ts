import { bucketResourceKey, compileNameScope, type ResourceKind } from '@app/audit';
import type { AccountConfig } from '@app/config';
import type { NewScanTask } from '@app/persistence';

import type { OrganizationPlan } from './organization-discovery';

/** One resource an audit task reads the encryption of. */
export interface AuditTarget {
  readonly kind: ResourceKind;
  readonly resourceKey: string;
  /** A bucket's or table bucket's name; a table's `{namespace}/{table}`. */
  readonly name: string;
  readonly region: string;
  /** The account uid, when the listing told it (table bucket and table ARNs carry it). */
  readonly accountId?: string;
  /** A table's table bucket ARN, namespace and own name. */
  readonly table?: { readonly tableBucketArn: string; readonly namespace: string; readonly name: string };
}

/** Which tables of the audited table buckets a scan covers. */
export interface TablesPlan {
  readonly discover: boolean;
  /** Globs over `{namespace}/{table}`. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/**
 * What a scan sets out to cover in one account, as the configuration said when it started: the
 * listing scopes, the tables, and the resources named explicitly. Stored with the scan, so the
 * scan's end judges by it, not by a configuration changed since.
 */
export interface AccountPlan {
  readonly alias: string;
  readonly accountId: string | null;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** ListBuckets covers these regions (or every region); null when buckets are not discovered. */
  readonly bucketRegions: readonly string[] | 'all' | null;
  /** ListTableBuckets runs in these regions (empty when table buckets are not discovered). */
  readonly tableBucketRegions: readonly string[];
  readonly tables: TablesPlan;
  /** Resource keys of the buckets and table buckets the configuration names. */
  readonly configured: readonly string[];
}

/** A scan's plan: one entry per configured account and per discovered member. */
export interface ScanPlan {
  readonly accounts: readonly AccountPlan[];
  /** What the organisation's discovery found; absent without an organisation. */
  readonly organization?: OrganizationPlan;
}

/** ListBuckets is account-wide (every region in one listing); its task's region says so. */
export const ALL_REGIONS = '*';

/** The payload of an audit task: the resources of one batch. */
export interface AuditTaskPayload {
  readonly targets: readonly AuditTarget[];
  /** For a re-read of throttled resources: which round (1, 2, ...); absent for a first read. */
  readonly reread?: number;
}

/**
 * The payload of an enumerate task: the scope its listing covers. A table listing names the table
 * bucket whose namespaces and tables it walks.
 */
export interface EnumerateTaskPayload {
  /** Regions the listing keeps: the configured list, or `all`. */
  readonly regions: readonly string[] | 'all';
  /** Name globs the listing keeps (for tables: over `{namespace}/{table}`). */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly tableBucketArn?: string;
}

/** The plan of every configured account. */
export function scanPlan(accounts: readonly AccountConfig[]): ScanPlan {
  return {
    accounts: accounts.map((account) => ({
      alias: account.alias,
      accountId: account.accountId,
      include: account.include,
      exclude: account.exclude,
      bucketRegions: account.discover.buckets ? account.regions : null,
      tableBucketRegions: account.discover.tableBuckets ? account.tableRegions : [],
      tables: { discover: account.discover.tables, ...account.tables },
      configured: [
        ...account.buckets.map((bucket) => bucketResourceKey(bucket.name)),
        ...account.tableBuckets.map((tableBucket) => tableBucket.arn),
      ],
    })),
  };
}

export function enumerateTaskKey(accountAlias: string, kind: ResourceKind, scope: string): string {
  return `enumerate/${accountAlias}/${kind}/${scope}`;
}

/**
 * Audit task keys derive from the enumerate task and the batch's position, so an enumeration that
 * is re-delivered after a crash names its batches the same and adds nothing twice.
 */
export function auditTaskKey(sourceTaskKey: string, batchIndex: number): string {
  return `audit/${sourceTaskKey}/${batchIndex.toString()}`;
}

/**
 * The enumerate tasks a scan starts with: ListBuckets per account, ListTableBuckets per (account,
 * region). Every account's bucket listing comes first, as the jobs are fetched in this order: it
 * finds most of an account's work, and each account's reads can start only once it has some.
 */
export function enumerationTasks(accounts: readonly AccountConfig[]): NewScanTask[] {
  const tasks = accounts.flatMap((account) => {
    const names = { include: account.include, exclude: account.exclude };
    const task = (resourceKind: ResourceKind, region: string, regions: EnumerateTaskPayload['regions']) => ({
      taskKey: enumerateTaskKey(account.alias, resourceKind, region),
      kind: 'enumerate' as const,
      accountAlias: account.alias,
      region,
      resourceKind,
      payload: { regions, ...names } satisfies EnumerateTaskPayload,
    });
    return [
      ...(account.discover.buckets ? [task('bucket', ALL_REGIONS, account.regions)] : []),
      ...(account.discover.tableBuckets
        ? account.tableRegions.map((region) => task('table_bucket', region, [region]))
        : []),
    ];
  });
  return [
    ...tasks.filter((task) => task.resourceKind === 'bucket'),
    ...tasks.filter((task) => task.resourceKind !== 'bucket'),
  ];
}

/**
 * The listing of one table bucket's namespaces and tables, which an audit of the table bucket
 * starts (for discovered and configured table buckets alike).
 */
export function tableListingTask(
  accountAlias: string,
  tableBucketArn: string,
  region: string,
  tables: TablesPlan,
): NewScanTask {
  return {
    taskKey: enumerateTaskKey(accountAlias, 'table', tableBucketArn),
    kind: 'enumerate',
    accountAlias,
    region,
    resourceKind: 'table',
    payload: {
      regions: [region],
      include: tables.include,
      exclude: tables.exclude,
      tableBucketArn,
    } satisfies EnumerateTaskPayload,
  };
}

/** Audit tasks for the buckets and table buckets named in the configuration, in batches. */
export function explicitAuditTasks(accounts: readonly AccountConfig[], batchSize: number): NewScanTask[] {
  return accounts.flatMap((account) => {
    const inScope = compileNameScope(account);
    const buckets: AuditTarget[] = account.buckets
      .filter((bucket) => inScope(bucket.name))
      .map((bucket) => ({
        kind: 'bucket',
        resourceKey: bucketResourceKey(bucket.name),
        name: bucket.name,
        region: bucket.region,
      }));
    const tableBuckets: AuditTarget[] = account.tableBuckets
      .filter((tableBucket) => inScope(tableBucket.name))
      .map((tableBucket) => ({
        kind: 'table_bucket',
        resourceKey: tableBucket.arn,
        name: tableBucket.name,
        region: tableBucket.region,
        accountId: tableBucket.accountId,
      }));
    return [
      ...batches(buckets, batchSize).map((targets, index) =>
        auditTask(
          enumerateTaskKey(account.alias, 'bucket', 'configured'),
          index,
          account.alias,
          'bucket',
          targets,
        ),
      ),
      ...batches(tableBuckets, batchSize).map((targets, index) =>
        auditTask(
          enumerateTaskKey(account.alias, 'table_bucket', 'configured'),
          index,
          account.alias,
          'table_bucket',
          targets,
        ),
      ),
    ];
  });
}

export function auditTask(
  sourceTaskKey: string,
  batchIndex: number,
  accountAlias: string,
  resourceKind: ResourceKind,
  targets: readonly AuditTarget[],
): NewScanTask {
  const regions = new Set(targets.map((target) => target.region));
  const payload: AuditTaskPayload = { targets };
  return {
    taskKey: auditTaskKey(sourceTaskKey, batchIndex),
    kind: 'audit',
    accountAlias,
    region: regions.size === 1 ? ([...regions][0] ?? ALL_REGIONS) : ALL_REGIONS,
    resourceKind,
    payload,
  };
}

/** Whether a listed resource is audited: its region is in the task's scope and its name passes the globs. */
export function inEnumerationScope(scope: EnumerateTaskPayload): (name: string, region: string) => boolean {
  const nameInScope = compileNameScope(scope);
  const regions = scope.regions === 'all' ? null : new Set(scope.regions);
  return (name, region) => (regions === null || regions.has(region)) && nameInScope(name);
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

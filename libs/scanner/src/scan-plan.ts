import { bucketResourceKey, compileNameScope, type ResourceKind } from '@app/audit';
import type { AccountConfig } from '@app/config';
import type { EnumerationScope, NewScanTask } from '@app/persistence';

/** One resource an audit task reads the encryption of. */
export interface AuditTarget {
  readonly kind: ResourceKind;
  readonly resourceKey: string;
  readonly name: string;
  readonly region: string;
}

/** ListBuckets is account-wide (every region in one listing); its task's region says so. */
export const ALL_REGIONS = '*';

/** The payload of an audit task: the resources of one batch. */
export interface AuditTaskPayload {
  readonly targets: readonly AuditTarget[];
}

/**
 * The payload of an enumerate task: the scope its listing covers, as configured when the scan
 * started. The listing filters by it and the end of the scan judges what vanished by it, so a
 * configuration changed mid-scan cannot make one scan mean two things.
 */
export interface EnumerateTaskPayload {
  /** Regions the listing covers: the configured list, or `all` (table buckets: the task's region). */
  readonly regions: readonly string[] | 'all';
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export function enumerateTaskKey(accountAlias: string, kind: ResourceKind, region: string): string {
  return `enumerate/${accountAlias}/${kind}/${region}`;
}

/**
 * Audit task keys derive from the enumerate task and the batch's position, so an enumeration that
 * is re-delivered after a crash names its batches the same and adds nothing twice.
 */
export function auditTaskKey(sourceTaskKey: string, batchIndex: number): string {
  return `audit/${sourceTaskKey}/${batchIndex.toString()}`;
}

/** The enumerate tasks of a scan: ListBuckets per account, ListTableBuckets per (account, region). */
export function enumerationTasks(accounts: readonly AccountConfig[]): NewScanTask[] {
  return accounts.flatMap((account) => {
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

/**
 * The scope an enumeration covered completely: resources recorded in it that this scan did not see
 * have disappeared. Read from the task, as planned when the scan started.
 */
export function enumerationScope(
  accountAlias: string,
  kind: ResourceKind,
  scope: EnumerateTaskPayload,
): EnumerationScope {
  return { accountAlias, kind, regions: scope.regions };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

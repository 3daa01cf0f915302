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
  return accounts.flatMap((account) => [
    ...(account.discover.buckets
      ? [
          {
            taskKey: enumerateTaskKey(account.alias, 'bucket', ALL_REGIONS),
            kind: 'enumerate' as const,
            accountAlias: account.alias,
            region: ALL_REGIONS,
            resourceKind: 'bucket' as const,
          },
        ]
      : []),
    ...(account.discover.tableBuckets
      ? account.tableRegions.map((region) => ({
          taskKey: enumerateTaskKey(account.alias, 'table_bucket', region),
          kind: 'enumerate' as const,
          accountAlias: account.alias,
          region,
          resourceKind: 'table_bucket' as const,
        }))
      : []),
  ]);
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

/**
 * Whether ListBuckets' bucket is audited for this account: its region is configured (or all are)
 * and its name passes include/exclude.
 */
export function bucketInScope(account: AccountConfig): (name: string, region: string) => boolean {
  const nameInScope = compileNameScope(account);
  const regions = account.regions === 'all' ? null : new Set(account.regions);
  return (name, region) => (regions === null || regions.has(region)) && nameInScope(name);
}

/**
 * The scope an enumeration covered completely: resources recorded in it that this scan did not see
 * have disappeared. An incomplete enumeration yields no scope, so nothing of it is marked gone.
 */
export function enumerationScope(
  account: AccountConfig,
  kind: ResourceKind,
  region: string,
): EnumerationScope {
  if (kind === 'table_bucket') return { accountAlias: account.alias, kind, regions: [region] };
  return { accountAlias: account.alias, kind, regions: account.regions === 'all' ? 'all' : account.regions };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

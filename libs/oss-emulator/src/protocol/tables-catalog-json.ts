/**
 * ListNamespaces and ListTables bodies, shaped like the GO2 fixtures
 * (aliyun/alibabacloud-oss-go-sdk-v2 oss/tables/client_mock_test.go) and the PY2 models
 * (alibabacloud_oss_v2/tables/models/common.py NamespaceSummary, TableSummary).
 */

export interface NamespaceListEntry {
  readonly name: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly namespaceId: string;
  readonly ownerAccountId: string;
  readonly tableBucketId: string;
}

/** One element of `namespaces`, computed once per namespace. */
export function renderNamespaceEntry(entry: NamespaceListEntry): string {
  return JSON.stringify({
    createdAt: entry.createdAt,
    createdBy: entry.createdBy,
    namespace: [entry.name],
    namespaceId: entry.namespaceId,
    ownerAccountId: entry.ownerAccountId,
    tableBucketId: entry.tableBucketId,
  });
}

export interface TableListEntry {
  readonly name: string;
  readonly namespace: string;
  readonly tableArn: string;
  readonly createdAt: string;
  readonly modifiedAt: string;
}

/** One element of `tables`, computed once per table. */
export function renderTableEntry(entry: TableListEntry): string {
  return JSON.stringify({
    createdAt: entry.createdAt,
    modifiedAt: entry.modifiedAt,
    name: entry.name,
    namespace: [entry.namespace],
    tableARN: entry.tableArn,
    type: 'customer',
  });
}

function renderListing(
  key: string,
  entries: readonly string[],
  continuationToken: string | undefined,
): string {
  const token =
    continuationToken === undefined ? '' : `"continuationToken":${JSON.stringify(continuationToken)},`;
  return `{${token}"${key}":[${entries.join(',')}]}`;
}

/** `continuationToken` is present exactly when more pages follow. */
export function renderListNamespaces(
  entries: readonly string[],
  continuationToken: string | undefined,
): string {
  return renderListing('namespaces', entries, continuationToken);
}

/** `continuationToken` is present exactly when more pages follow. */
export function renderListTables(entries: readonly string[], continuationToken: string | undefined): string {
  return renderListing('tables', entries, continuationToken);
}

/**
 * `acs:osstables:{region}:{uid}:bucket/{bucket}/table/{tableId}` (GO2 ListTables and GetTable
 * fixtures, e.g. `acs:osstables:cn-beijing:1234567890:bucket/demo-bucket/table/f13de3a6-...`).
 */
export function tableArn(tableBucketArn: string, tableId: string): string {
  return `${tableBucketArn}/table/${tableId}`;
}

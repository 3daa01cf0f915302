import type { NamespaceSummary, TableSummary } from '../results';
import type { TableBucketArn } from '../table-bucket-arn';
import { isAddressableTablesName, tryParseTableArn } from '../tables-identifiers';
import { isRecord, MalformedDocumentError } from './safe-documents';
import { optionalString, parseJsonObject } from './tables-responses';

/**
 * ListNamespaces and ListTables answers (PY2 `alibabacloud_oss_v2/tables/models/common.py`
 * NamespaceSummary and TableSummary; GO2 `oss/tables/api_op_namespace.go`, `api_op_table.go`).
 * Every entry is checked: a page that names something we could not address, or a table of another
 * namespace or table bucket, is malformed rather than half-trusted.
 */

/** One page of a listing; `continuationToken` is null on the last page. */
export interface TablesListingPage<T> {
  readonly items: readonly T[];
  readonly continuationToken: string | null;
}

/**
 * The entries array under `key`. GO2 reads JSON keys case-insensitively and its own ListNamespaces
 * fixture spells the key `Namespaces`, so the capitalised spelling is accepted too (not both).
 */
function entriesOf(document: Record<string, unknown>, key: string): readonly unknown[] {
  const capitalised = `${key.charAt(0).toUpperCase()}${key.slice(1)}`;
  if (document[key] !== undefined && document[capitalised] !== undefined) {
    throw new MalformedDocumentError(`both "${key}" and "${capitalised}" are present`);
  }
  const entries = document[key] ?? document[capitalised] ?? [];
  if (!Array.isArray(entries)) throw new MalformedDocumentError(`"${key}" is not an array`);
  return entries;
}

/**
 * The name in a `namespace` array. The service allows one level today ("only a single element is
 * supported", help.aliyun.com CreateNamespace); a deeper path could not be addressed, so it is
 * malformed.
 */
function namespaceName(entry: Record<string, unknown>): string {
  const path = entry['namespace'];
  if (!Array.isArray(path) || path.length !== 1) {
    throw new MalformedDocumentError('"namespace" is not an array of one name');
  }
  const [name] = path as unknown[];
  if (typeof name !== 'string' || !isAddressableTablesName(name)) {
    throw new MalformedDocumentError(`invalid namespace name: ${JSON.stringify(name)}`);
  }
  return name;
}

function parseNamespace(tableBucket: TableBucketArn, entry: unknown): NamespaceSummary {
  if (!isRecord(entry)) throw new MalformedDocumentError('namespace entry is not an object');
  return {
    tableBucketArn: tableBucket.arn,
    name: namespaceName(entry),
    namespaceId: optionalString(entry, 'namespaceId'),
    tableBucketId: optionalString(entry, 'tableBucketId'),
    ownerAccountId: optionalString(entry, 'ownerAccountId'),
    createdAt: optionalString(entry, 'createdAt'),
    createdBy: optionalString(entry, 'createdBy'),
  };
}

/** Parses a ListNamespaces page of `tableBucket`. */
export function parseListNamespacesPage(
  body: Buffer,
  tableBucket: TableBucketArn,
): TablesListingPage<NamespaceSummary> {
  const document = parseJsonObject(body);
  return {
    items: entriesOf(document, 'namespaces').map((entry) => parseNamespace(tableBucket, entry)),
    continuationToken: optionalString(document, 'continuationToken'),
  };
}

function parseTable(tableBucket: TableBucketArn, namespace: string, entry: unknown): TableSummary {
  if (!isRecord(entry)) throw new MalformedDocumentError('table entry is not an object');
  const name = optionalString(entry, 'name');
  if (name === null || !isAddressableTablesName(name)) {
    throw new MalformedDocumentError(`invalid table name: ${JSON.stringify(name)}`);
  }
  const entryNamespace = namespaceName(entry);
  if (entryNamespace !== namespace) {
    throw new MalformedDocumentError(`table ${name} is in namespace ${entryNamespace}, not ${namespace}`);
  }
  const arnText = optionalString(entry, 'tableARN');
  const tableArn = arnText === null ? null : tryParseTableArn(arnText);
  if (arnText !== null && tableArn?.tableBucketArn !== tableBucket.arn) {
    throw new MalformedDocumentError(`table ARN ${arnText} is not a table of ${tableBucket.arn}`);
  }
  return {
    tableBucketArn: tableBucket.arn,
    namespace,
    name,
    tableArn: tableArn?.arn ?? null,
    tableId: tableArn?.tableId ?? null,
    type: optionalString(entry, 'type'),
    createdAt: optionalString(entry, 'createdAt'),
    modifiedAt: optionalString(entry, 'modifiedAt'),
    region: tableBucket.region,
  };
}

/** Parses a ListTables page of one namespace of `tableBucket`. */
export function parseListTablesPage(
  body: Buffer,
  tableBucket: TableBucketArn,
  namespace: string,
): TablesListingPage<TableSummary> {
  const document = parseJsonObject(body);
  return {
    items: entriesOf(document, 'tables').map((entry) => parseTable(tableBucket, namespace, entry)),
    continuationToken: optionalString(document, 'continuationToken'),
  };
}

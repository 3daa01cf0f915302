import { isDenied, type TableBucketRecord } from '../fleet/fleet-state';
import { tablesResumePoint, type CatalogListQuery } from '../fleet/table-catalog';
import { queryParam } from '../protocol/request-routing';
import {
  badRequest,
  deniedByPolicy,
  noSuchBucket,
  noSuchNamespace,
  noSuchTable,
  tableBucketEncryptionNotFound,
  type ServiceError,
} from '../protocol/service-errors';
import { renderListNamespaces, renderListTables } from '../protocol/tables-catalog-json';
import { decodeContinuationToken, encodeContinuationToken } from '../protocol/tables-json';
import { pageSize, type OperationContext } from './operations';
import { JSON_CONTENT_TYPE, sendBody } from './responses';

/**
 * ListNamespaces, ListTables and GetTableEncryption of a table bucket the caller may read (the
 * emulator has authenticated the request and checked the table bucket's owner and denials).
 * Each returns the error to answer instead, if any.
 */

/** `maxNamespaces` / `maxTables` default (help.aliyun.com ListNamespaces, ListTables). */
const DEFAULT_PAGE_SIZE = 1000;

function listingQuery(context: OperationContext, pageSizeName: string): CatalogListQuery | ServiceError {
  const raw = queryParam(context.query, pageSizeName);
  const max = pageSize(context, raw, DEFAULT_PAGE_SIZE);
  if (max === undefined) return badRequest(`${pageSizeName} must be an integer between 1 and 1000.`);
  const token = queryParam(context.query, 'continuationToken');
  let after: string | undefined;
  if (token !== undefined && token !== '') {
    after = decodeContinuationToken(token);
    if (after === undefined) return badRequest('The continuation token provided is invalid.');
  }
  return { prefix: queryParam(context.query, 'prefix') ?? '', after, max };
}

function isServiceError(value: CatalogListQuery | ServiceError): value is ServiceError {
  return 'status' in value;
}

export function listNamespaces(
  context: OperationContext,
  tableBucket: TableBucketRecord,
): ServiceError | undefined {
  const query = listingQuery(context, 'maxNamespaces');
  if (isServiceError(query)) return query;
  const page = context.state.tableCatalog.listNamespaces(tableBucket.arn, query);
  if (page === undefined) return noSuchBucket(tableBucket.name);
  const last = page.items[page.items.length - 1];
  const body = renderListNamespaces(
    page.items.map((namespace) => namespace.listEntryJson),
    page.truncated && last !== undefined ? encodeContinuationToken(last.name) : undefined,
  );
  sendBody(context.stamps, context.exchange, 200, JSON_CONTENT_TYPE, body);
  return undefined;
}

/** ListTables of the `namespace` parameter's namespace, or of every namespace without one. */
export function listTables(
  context: OperationContext,
  tableBucket: TableBucketRecord,
): ServiceError | undefined {
  const query = listingQuery(context, 'maxTables');
  if (isServiceError(query)) return query;
  const namespaceParam = queryParam(context.query, 'namespace');
  const namespace = namespaceParam === '' ? undefined : namespaceParam;
  const page = context.state.tableCatalog.listTables(tableBucket.arn, namespace, query);
  if (page === undefined) return noSuchNamespace();
  const last = page.items[page.items.length - 1];
  const body = renderListTables(
    page.items.map((table) => table.listEntryJson),
    page.truncated && last !== undefined
      ? encodeContinuationToken(tablesResumePoint(last, namespace))
      : undefined,
  );
  sendBody(context.stamps, context.exchange, 200, JSON_CONTENT_TYPE, body);
  return undefined;
}

/**
 * The table's own encryption. A table without one answers like a table bucket without one (the
 * fleet's `tableBucketWithoutEncryption` mode), the real answer being unconfirmed for both.
 */
export function getTableEncryption(
  context: OperationContext,
  tableBucket: TableBucketRecord,
  namespace: string,
  name: string,
): ServiceError | undefined {
  const catalog = context.state.tableCatalog;
  if (catalog.namespace(tableBucket.arn, namespace) === undefined) return noSuchNamespace();
  const table = catalog.table(tableBucket.arn, namespace, name);
  if (table === undefined) return noSuchTable();
  if (isDenied(table.deny, 'GetTableEncryption')) return deniedByPolicy('GetTableEncryption');
  if (table.encryption === null && context.tableBucketWithoutEncryption === 'not-found') {
    return tableBucketEncryptionNotFound();
  }
  sendBody(context.stamps, context.exchange, 200, JSON_CONTENT_TYPE, table.encryptionJson);
  return undefined;
}

import type { Dispatcher } from 'undici';

import {
  tablesRequestPath,
  tablesResourcePath,
  tablesResourceSigningTarget,
  tablesSigningTarget,
} from '@app/signing';
import type { QueryParam, TablesResourceFamily } from '@app/signing';

import { assertPageSize, ClientOptions, createClientRuntime } from './client-options';
import { endpointConfig, EndpointConfig, RequestTarget, tablesTarget } from './endpoints';
import { OssError } from './errors';
import { MalformedDocumentError } from './parsing/safe-documents';
import type { ServiceErrorDetails } from './parsing/service-error';
import {
  parseListNamespacesPage,
  parseListTablesPage,
  TablesListingPage,
} from './parsing/tables-catalog-responses';
import { tablesMissingResource } from './parsing/tables-not-found';
import {
  parseListTableBucketsPage,
  parseTableBucketEncryption,
  parseTablesError,
} from './parsing/tables-responses';
import { pagesAhead } from './paging/pages-ahead';
import type { CallOutcome, CallSigning, RequestExecutor } from './request-executor';
import type {
  ListingPageReport,
  NamespaceSummary,
  TableBucketEncryptionConfiguration,
  TableBucketEncryptionResult,
  TableBucketSummary,
  TableEncryptionConfiguration,
  TableEncryptionResult,
  TableSummary,
} from './results';
import { parseTableBucketArn, TableBucketArn } from './table-bucket-arn';
import { assertAddressableTablesName } from './tables-identifiers';

/** OSS Tables is signed with V4 only (product `osstables`) and always addressed path-style. */
export type OssTablesClientOptions = ClientOptions;

export interface ListTableBucketsOptions {
  readonly prefix?: string;
  /** Table buckets per page (`maxBuckets`), 1-1000; default 1000. */
  readonly pageSize?: number;
  /** Told about every page read (its request id proves the listing). */
  readonly onPage?: (page: ListingPageReport) => void;
}

export interface ListNamespacesOptions {
  /** Only namespaces whose names start with this. */
  readonly prefix?: string;
  /** Namespaces per page (`maxNamespaces`), 1-1000; default 1000. */
  readonly pageSize?: number;
  /** Told about every page read (its request id proves the listing). */
  readonly onPage?: (page: ListingPageReport) => void;
}

export interface ListTablesOptions {
  /** Only tables whose names start with this. */
  readonly prefix?: string;
  /** Tables per page (`maxTables`), 1-1000; default 1000. */
  readonly pageSize?: number;
  /** Told about every page read (its request id proves the listing). */
  readonly onPage?: (page: ListingPageReport) => void;
}

type TableBucketEncryptionValue =
  | { readonly outcome: 'configuration'; readonly configuration: TableBucketEncryptionConfiguration }
  | { readonly outcome: 'no_configuration' }
  | { readonly outcome: 'bucket_missing' };

type TableEncryptionValue =
  | { readonly outcome: 'configuration'; readonly configuration: TableEncryptionConfiguration }
  | { readonly outcome: 'no_configuration' }
  | { readonly outcome: 'table_missing' }
  | { readonly outcome: 'namespace_missing' }
  | { readonly outcome: 'bucket_missing' };

/** One listing operation, page by page. */
interface Listing<T> {
  readonly operation: string;
  readonly target: RequestTarget;
  readonly signing: CallSigning;
  /** The query of every page; the continuation token is added per page. */
  readonly query: readonly QueryParam[];
  readonly onPage: ((page: ListingPageReport) => void) | undefined;
  parsePage(body: Buffer): TablesListingPage<T>;
}

/**
 * Reads a 404 of GetTableBucketEncryption: "no encryption configuration" (one of the two forms the
 * service may use) or a missing table bucket; a 404 that says neither stays an error rather than
 * a guess.
 */
function classifyTableBucketNotFound(error: ServiceErrorDetails): TableBucketEncryptionValue | undefined {
  switch (tablesMissingResource(error)) {
    case 'encryption_configuration':
      return { outcome: 'no_configuration' };
    case 'table_bucket':
      return { outcome: 'bucket_missing' };
    default:
      return undefined;
  }
}

/** Reads a 404 of GetTableEncryption by what it says is missing. */
function classifyTableNotFound(error: ServiceErrorDetails): TableEncryptionValue | undefined {
  switch (tablesMissingResource(error)) {
    case 'encryption_configuration':
      return { outcome: 'no_configuration' };
    case 'table':
      return { outcome: 'table_missing' };
    case 'namespace':
      return { outcome: 'namespace_missing' };
    case 'table_bucket':
      return { outcome: 'bucket_missing' };
    case null:
      return undefined;
  }
}

function listingQuery(pageSizeName: string, options: { prefix?: string; pageSize?: number }): QueryParam[] {
  const pageSize = options.pageSize ?? 1000;
  assertPageSize(pageSize);
  const query: QueryParam[] = [[pageSizeName, String(pageSize)]];
  if (options.prefix !== undefined && options.prefix !== '') query.push(['prefix', options.prefix]);
  return query;
}

/**
 * The OSS Tables client of one account: table buckets (ListTableBuckets,
 * GetTableBucketEncryption) and what they hold (ListNamespaces, ListTables, GetTableEncryption),
 * signed with V4 (`osstables`), paced by the account's rate limiter, retried within its retry
 * budget.
 */
export class OssTablesClient {
  readonly #executor: RequestExecutor;
  readonly #ownedDispatcher: Dispatcher | null;
  readonly #endpoints: EndpointConfig;

  constructor(options: OssTablesClientOptions) {
    this.#endpoints = endpointConfig(options);
    const runtime = createClientRuntime(options, 'v4');
    this.#executor = runtime.executor;
    this.#ownedDispatcher = runtime.ownedDispatcher;
  }

  /**
   * The account's table buckets in one region, page by page (`continuationToken`), holding one
   * page at a time. A failed page throws {@link OssError}.
   */
  async *listTableBuckets(
    region: string,
    options: ListTableBucketsOptions = {},
  ): AsyncIterable<TableBucketSummary> {
    yield* this.#paginate({
      operation: 'ListTableBuckets',
      target: { ...tablesTarget(region, this.#endpoints), path: tablesRequestPath(undefined, '') },
      signing: { scheme: 'oss', product: 'osstables', region, target: tablesSigningTarget(undefined, '') },
      query: listingQuery('maxBuckets', options),
      onPage: options.onPage,
      parsePage: (body) => {
        const page = parseListTableBucketsPage(body);
        return { items: page.tableBuckets, continuationToken: page.continuationToken };
      },
    });
  }

  /**
   * The namespaces of a table bucket, page by page, holding one page at a time. A failed page
   * throws {@link OssError} (a missing table bucket is a 404 whose {@link tablesMissingResource}
   * is `table_bucket`); an invalid ARN or page size throws {@link OssArgumentError} on the first
   * step.
   */
  async *listNamespaces(
    tableBucketArn: string,
    options: ListNamespacesOptions = {},
  ): AsyncIterable<NamespaceSummary> {
    const arn = parseTableBucketArn(tableBucketArn);
    yield* this.#paginate({
      ...this.#resourceCall(arn, 'namespaces', []),
      operation: 'ListNamespaces',
      query: listingQuery('maxNamespaces', options),
      onPage: options.onPage,
      parsePage: (body) => parseListNamespacesPage(body, arn),
    });
  }

  /**
   * The tables of one namespace, page by page, holding one page at a time. Every table is checked
   * to belong to that namespace and table bucket. A failed page throws {@link OssError} (a missing
   * namespace is a 404 whose {@link tablesMissingResource} is `namespace`); an invalid ARN,
   * namespace name or page size throws {@link OssArgumentError} on the first step.
   */
  async *listTables(
    tableBucketArn: string,
    namespace: string,
    options: ListTablesOptions = {},
  ): AsyncIterable<TableSummary> {
    const arn = parseTableBucketArn(tableBucketArn);
    assertAddressableTablesName('namespace', namespace);
    yield* this.#paginate({
      ...this.#resourceCall(arn, 'tables', []),
      operation: 'ListTables',
      query: [['namespace', namespace], ...listingQuery('maxTables', options)],
      onPage: options.onPage,
      parsePage: (body) => parseListTablesPage(body, arn, namespace),
    });
  }

  /**
   * The table bucket's encryption configuration, or why there is none. Never throws for service,
   * network or parse failures (they are `outcome: 'error'`); throws {@link OssArgumentError} for an
   * invalid ARN.
   */
  async getTableBucketEncryption(tableBucketArn: string): Promise<TableBucketEncryptionResult> {
    const arn = parseTableBucketArn(tableBucketArn);
    const outcome = await this.#executor.execute<TableBucketEncryptionValue>({
      operation: 'GetTableBucketEncryption',
      signing: {
        scheme: 'oss',
        product: 'osstables',
        region: arn.region,
        target: tablesSigningTarget(arn.arn, 'encryption'),
      },
      target: {
        ...tablesTarget(arn.region, this.#endpoints),
        path: tablesRequestPath(arn.arn, 'encryption'),
      },
      query: [],
      parseSuccess: (response) => {
        const configuration = parseTableBucketEncryption(response.body);
        return configuration === null
          ? { outcome: 'no_configuration' }
          : { outcome: 'configuration', configuration };
      },
      parseError: parseTablesError,
      recognizeError: classifyTableBucketNotFound,
    });
    return outcome.ok
      ? { ...outcome.value, requestId: outcome.requestId }
      : { outcome: 'error', error: outcome.error };
  }

  /**
   * The encryption configuration of one table: the one it was created with, which may differ from
   * its table bucket's current default. Never throws for service, network or parse failures (they
   * are `outcome: 'error'`); throws {@link OssArgumentError} for an invalid ARN or name.
   */
  async getTableEncryption(
    tableBucketArn: string,
    namespace: string,
    tableName: string,
  ): Promise<TableEncryptionResult> {
    const arn = parseTableBucketArn(tableBucketArn);
    assertAddressableTablesName('namespace', namespace);
    assertAddressableTablesName('table', tableName);
    const outcome = await this.#executor.execute<TableEncryptionValue>({
      ...this.#resourceCall(arn, 'tables', [namespace, tableName, 'encryption']),
      operation: 'GetTableEncryption',
      query: [],
      parseSuccess: (response) => {
        const configuration = parseTableBucketEncryption(response.body);
        return configuration === null
          ? { outcome: 'no_configuration' }
          : { outcome: 'configuration', configuration };
      },
      parseError: parseTablesError,
      recognizeError: classifyTableNotFound,
    });
    return outcome.ok
      ? { ...outcome.value, requestId: outcome.requestId }
      : { outcome: 'error', error: outcome.error };
  }

  /** Closes the dispatcher the client created (an injected one stays open). */
  async close(): Promise<void> {
    await this.#ownedDispatcher?.close();
  }

  /** Where a call on a table bucket's resources goes and how it is signed (the ARN's region). */
  #resourceCall(
    arn: TableBucketArn,
    family: TablesResourceFamily,
    segments: readonly string[],
  ): { target: RequestTarget; signing: CallSigning } {
    return {
      target: {
        ...tablesTarget(arn.region, this.#endpoints),
        path: tablesResourcePath(family, arn.arn, segments),
      },
      signing: {
        scheme: 'oss',
        product: 'osstables',
        region: arn.region,
        target: tablesResourceSigningTarget(family, arn.arn, segments),
      },
    };
  }

  /**
   * Walks a listing page by page (`continuationToken`), the next page requested while the caller
   * works through the current one ({@link pagesAhead}); a token that repeats the one sent is malformed.
   */
  async *#paginate<T>(listing: Listing<T>): AsyncGenerator<T> {
    const fetchPage = async (token: string | null) => {
      const outcome: CallOutcome<TablesListingPage<T>> = await this.#executor.execute({
        operation: listing.operation,
        target: listing.target,
        signing: listing.signing,
        query: token === null ? listing.query : [...listing.query, ['continuationToken', token]],
        listing: true,
        // A page finds the work the reads queued behind it are waiting for.
        lane: 'gating',
        parseSuccess: (response) => {
          const page = listing.parsePage(response.body);
          if (page.continuationToken !== null && page.continuationToken === token) {
            throw new MalformedDocumentError('continuationToken repeats the token sent');
          }
          return page;
        },
        parseError: parseTablesError,
      });
      if (!outcome.ok) throw new OssError(outcome.error, { cause: outcome.cause });
      return { ...outcome.value, requestId: outcome.requestId };
    };
    for await (const page of pagesAhead(fetchPage, (page) => page.continuationToken)) {
      listing.onPage?.({ requestId: page.requestId, items: page.items.length });
      yield* page.items;
    }
  }
}

import type { Dispatcher } from 'undici';

import { tablesRequestPath, tablesSigningTarget } from '@app/signing';
import type { QueryParam } from '@app/signing';

import { assertPageSize, ClientOptions, createClientRuntime } from './client-options';
import { endpointConfig, EndpointConfig, tablesTarget } from './endpoints';
import { OssError } from './errors';
import { MalformedDocumentError } from './parsing/safe-documents';
import type { ServiceErrorDetails } from './parsing/service-error';
import {
  parseListTableBucketsPage,
  parseTableBucketEncryption,
  parseTablesError,
} from './parsing/tables-responses';
import type { RequestExecutor } from './request-executor';
import type {
  TableBucketEncryptionConfiguration,
  TableBucketEncryptionResult,
  TableBucketSummary,
} from './results';
import { parseTableBucketArn } from './table-bucket-arn';

/** OSS Tables is signed with V4 only (product `osstables`) and always addressed path-style. */
export type OssTablesClientOptions = ClientOptions;

export interface ListTableBucketsOptions {
  readonly prefix?: string;
  /** Table buckets per page (`maxBuckets`), 1-1000; default 1000. */
  readonly pageSize?: number;
}

type TableBucketEncryptionValue =
  | { readonly outcome: 'configuration'; readonly configuration: TableBucketEncryptionConfiguration }
  | { readonly outcome: 'no_configuration' }
  | { readonly outcome: 'bucket_missing' };

// GO2 fixture and the service's NoSuchBucket: `{"message": "The specified bucket does not exist."}`
// with x-oss-ec 0015-00000101 (OSS-API.md §5.3).
const BUCKET_MISSING_EC = '0015-00000101';

/**
 * Reads a 404 of GetTableBucketEncryption. The Tables error type is `NotFoundException` both for
 * a missing table bucket and (one of the two documented forms) for a bucket without encryption,
 * so the message decides; a 404 that says neither stays an error rather than a guess.
 */
function classifyTablesNotFound(error: ServiceErrorDetails): TableBucketEncryptionValue | undefined {
  if (error.httpStatus !== 404) return undefined;
  const text = `${error.code} ${error.message}`;
  if (/encryption/i.test(text)) return { outcome: 'no_configuration' };
  if (
    error.ec === BUCKET_MISSING_EC ||
    /NoSuch(Table)?Bucket/.test(error.code) ||
    /bucket does not exist/i.test(error.message)
  ) {
    return { outcome: 'bucket_missing' };
  }
  return undefined;
}

/**
 * The OSS Tables client of one account: ListTableBuckets and GetTableBucketEncryption, signed with
 * V4 (`osstables`), paced by the account's rate limiter, retried within its retry budget.
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
    const pageSize = options.pageSize ?? 1000;
    assertPageSize(pageSize);
    const endpoint = tablesTarget(region, this.#endpoints);
    let token: string | null = null;
    do {
      const query: QueryParam[] = [['maxBuckets', String(pageSize)]];
      if (token !== null) query.push(['continuationToken', token]);
      if (options.prefix !== undefined && options.prefix !== '') query.push(['prefix', options.prefix]);
      const previous = token;
      const outcome = await this.#executor.execute({
        operation: 'ListTableBuckets',
        signing: {
          scheme: 'oss',
          product: 'osstables',
          region,
          target: tablesSigningTarget(undefined, ''),
        },
        target: { ...endpoint, path: tablesRequestPath(undefined, '') },
        query,
        listing: true,
        parseSuccess: (response) => {
          const page = parseListTableBucketsPage(response.body);
          if (page.continuationToken !== null && page.continuationToken === previous) {
            throw new MalformedDocumentError('continuationToken repeats the token sent');
          }
          return page;
        },
        parseError: parseTablesError,
      });
      if (!outcome.ok) throw new OssError(outcome.error, { cause: outcome.cause });
      yield* outcome.value.tableBuckets;
      token = outcome.value.continuationToken;
    } while (token !== null);
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
      recognizeError: classifyTablesNotFound,
    });
    return outcome.ok
      ? { ...outcome.value, requestId: outcome.requestId }
      : { outcome: 'error', error: outcome.error };
  }

  /** Closes the dispatcher the client created (an injected one stays open). */
  async close(): Promise<void> {
    await this.#ownedDispatcher?.close();
  }
}

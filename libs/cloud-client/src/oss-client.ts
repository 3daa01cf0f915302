import type { Dispatcher } from 'undici';

import type { QueryParam } from '@app/signing';

import { assertPageSize, ClientOptions, createClientRuntime } from './client-options';
import {
  BucketAddressing,
  endpointConfig,
  EndpointConfig,
  isValidRegion,
  ossBucketTarget,
  ossServiceTarget,
} from './endpoints';
import { OssArgumentError, OssError } from './errors';
import { parseBucketEncryptionRule, parseListBucketsPage, parseOssError } from './parsing/oss-responses';
import { MalformedDocumentError } from './parsing/safe-documents';
import { pagesAhead } from './paging/pages-ahead';
import type { RequestExecutor, SignatureVersion } from './request-executor';
import type {
  BucketEncryptionResult,
  BucketEncryptionRule,
  BucketSummary,
  ListingPageReport,
} from './results';

export interface OssClientOptions extends ClientOptions {
  /**
   * Region whose endpoint serves ListBuckets (it lists the buckets of every region); the scanner
   * passes the account's first configured region. Also the V4 signing region of that call.
   */
  readonly listBucketsRegion: string;
  /** Default `virtual-hosted` (`{bucket}.oss-{region}.aliyuncs.com`, as the SDKs do). */
  readonly addressing?: BucketAddressing;
  /** Default `v4`. */
  readonly signatureVersion?: SignatureVersion;
}

export interface ListBucketsOptions {
  readonly prefix?: string;
  /** Sent as `x-oss-resource-group-id`: only the buckets of that resource group. */
  readonly resourceGroupId?: string;
  /** Buckets per page (`max-keys`), 1-1000; default 1000. */
  readonly pageSize?: number;
  /** Told about every page read (its request id proves the listing). */
  readonly onPage?: (page: ListingPageReport) => void;
}

type BucketEncryptionValue =
  | { readonly outcome: 'rule'; readonly rule: BucketEncryptionRule }
  | { readonly outcome: 'no_rule' }
  | { readonly outcome: 'bucket_missing' };

/**
 * The OSS client of one account: ListBuckets and GetBucketEncryption over undici, signed (V4 by
 * default), paced by the account's rate limiter, retried within its retry budget.
 */
export class OssClient {
  readonly #executor: RequestExecutor;
  readonly #ownedDispatcher: Dispatcher | null;
  readonly #endpoints: EndpointConfig;
  readonly #listBucketsRegion: string;

  constructor(options: OssClientOptions) {
    if (!isValidRegion(options.listBucketsRegion)) {
      throw new OssArgumentError(`invalid listBucketsRegion: ${JSON.stringify(options.listBucketsRegion)}`);
    }
    this.#endpoints = endpointConfig(options);
    this.#listBucketsRegion = options.listBucketsRegion;
    const runtime = createClientRuntime(options, options.signatureVersion ?? 'v4');
    this.#executor = runtime.executor;
    this.#ownedDispatcher = runtime.ownedDispatcher;
  }

  /**
   * Every bucket of the account, page by page (`marker` = previous `NextMarker`), the next page
   * requested while the caller works through the current one ({@link pagesAhead}): two pages held
   * at most. A failed page throws {@link OssError}: an incomplete listing must never pass for a
   * complete one.
   */
  async *listBuckets(options: ListBucketsOptions = {}): AsyncIterable<BucketSummary> {
    const pageSize = options.pageSize ?? 1000;
    assertPageSize(pageSize);
    const headers =
      options.resourceGroupId === undefined
        ? undefined
        : { 'x-oss-resource-group-id': options.resourceGroupId };
    const fetchPage = async (marker: string | null) => {
      const query: QueryParam[] = [['max-keys', String(pageSize)]];
      if (marker !== null) query.push(['marker', marker]);
      if (options.prefix !== undefined && options.prefix !== '') query.push(['prefix', options.prefix]);
      const outcome = await this.#executor.execute({
        operation: 'ListBuckets',
        signing: {
          scheme: 'oss',
          product: 'oss',
          region: this.#listBucketsRegion,
          target: { product: 'oss' },
        },
        target: ossServiceTarget(this.#listBucketsRegion, this.#endpoints),
        query,
        headers,
        listing: true,
        // A page finds the work the reads queued behind it are waiting for.
        lane: 'gating',
        parseSuccess: (response) => {
          const page = parseListBucketsPage(response.body);
          if (page.nextMarker !== null && page.nextMarker === marker) {
            throw new MalformedDocumentError(`NextMarker repeats the marker sent (${marker})`);
          }
          return page;
        },
        parseError: parseOssError,
      });
      if (!outcome.ok) throw new OssError(outcome.error, { cause: outcome.cause });
      return { ...outcome.value, requestId: outcome.requestId };
    };
    for await (const page of pagesAhead(fetchPage, (page) => page.nextMarker)) {
      options.onPage?.({ requestId: page.requestId, items: page.buckets.length });
      yield* page.buckets;
    }
  }

  /**
   * The bucket's default encryption rule, or why there is none. Never throws for service,
   * network or parse failures (they are `outcome: 'error'`); throws {@link OssArgumentError} for a
   * bucket name or region that cannot be addressed.
   */
  async getBucketEncryption(bucket: string, region: string): Promise<BucketEncryptionResult> {
    const outcome = await this.#executor.execute<BucketEncryptionValue>({
      operation: 'GetBucketEncryption',
      signing: { scheme: 'oss', product: 'oss', region, target: { product: 'oss', bucket } },
      target: ossBucketTarget(bucket, region, this.#endpoints),
      query: [['encryption', '']],
      parseSuccess: (response) => ({ outcome: 'rule', rule: parseBucketEncryptionRule(response.body) }),
      parseError: parseOssError,
      recognizeError: (error) => {
        if (error.code === 'NoSuchServerSideEncryptionRule') return { outcome: 'no_rule' };
        if (error.code === 'NoSuchBucket') return { outcome: 'bucket_missing' };
        return undefined;
      },
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

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import type { QueryParam } from '@app/signing';

import type { BucketRecord, FleetState, TableBucketRecord } from '../fleet/fleet-state';
import type { TableBucketWithoutEncryptionMode } from '../fleet/fleet.types';
import { parseEncryptionRuleXml, renderListBuckets } from '../protocol/oss-xml';
import type { OssOperation, TablesOperation } from '../protocol/request-routing';
import { queryParam } from '../protocol/request-routing';
import {
  badRequest,
  entityTooLarge,
  faultError,
  invalidArgument,
  invalidDigest,
  malformedXml,
  noSuchServerSideEncryptionRule,
  tableBucketEncryptionNotFound,
  type ServiceError,
} from '../protocol/service-errors';
import {
  decodeContinuationToken,
  encodeContinuationToken,
  parseTableEncryptionBody,
  renderListTableBuckets,
} from '../protocol/tables-json';
import { readBody } from './request-body';
import {
  JSON_CONTENT_TYPE,
  sendBody,
  sendEmpty,
  sendError,
  XML_CONTENT_TYPE,
  type Exchange,
  type ResponseStamps,
} from './responses';

/** Configuration bodies are a few hundred bytes; anything near this is not one. */
export const MAX_CONFIGURATION_BODY_BYTES = 64 * 1024;
const DEFAULT_MAX_KEYS = 100;
const DEFAULT_MAX_BUCKETS = 1000;
const PAGE_SIZE_PATTERN = /^\d{1,4}$/;

/** An authenticated, authorised request, ready to be served. */
export interface OperationContext {
  readonly state: FleetState;
  readonly stamps: ResponseStamps;
  readonly exchange: Exchange;
  readonly req: IncomingMessage;
  readonly query: readonly QueryParam[];
  readonly accountId: string;
  readonly tableBucketWithoutEncryption: TableBucketWithoutEncryptionMode;
  /** Most entries a listing page holds, whatever was asked (the fleet's `maxPageSize`). */
  readonly maxPageSize: number;
}

/**
 * The page size a listing asked for (1-1000, `fallback` when absent), capped at the fleet's
 * `maxPageSize`; undefined when the parameter is not a valid size.
 */
export function pageSize(
  context: OperationContext,
  raw: string | undefined,
  fallback: number,
): number | undefined {
  if (raw === undefined) return Math.min(fallback, context.maxPageSize);
  if (!PAGE_SIZE_PATTERN.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 1 && value <= 1000 ? Math.min(value, context.maxPageSize) : undefined;
}

export function listBuckets(context: OperationContext): void {
  const { query, state, accountId } = context;
  const rawMaxKeys = queryParam(query, 'max-keys');
  const maxKeys = pageSize(context, rawMaxKeys, DEFAULT_MAX_KEYS);
  if (maxKeys === undefined) {
    fail(
      context,
      invalidArgument(
        'Argument max-keys must be an integer between 1 and 1000.',
        'max-keys',
        rawMaxKeys ?? '',
      ),
    );
    return;
  }
  const prefix = queryParam(query, 'prefix') ?? '';
  const marker = queryParam(query, 'marker') ?? '';
  const page = state.listBuckets(accountId, { prefix, marker, maxKeys });
  const account = state.accounts.get(accountId);
  const last = page.items[page.items.length - 1];
  const body = renderListBuckets({
    ownerId: accountId,
    ownerDisplayName: account?.displayName ?? accountId,
    entries: page.items.map((bucket) => bucket.listEntryXml),
    ...(page.truncated && last !== undefined
      ? { truncation: { prefix, marker, maxKeys, nextMarker: last.name } }
      : {}),
  });
  sendBody(context.stamps, context.exchange, 200, XML_CONTENT_TYPE, body);
}

export function serveBucketOperation(
  context: OperationContext,
  operation: Exclude<OssOperation, 'ListBuckets'>,
  bucket: BucketRecord,
): void {
  switch (operation) {
    case 'GetBucketEncryption':
      if (bucket.encryptionXml === undefined) fail(context, noSuchServerSideEncryptionRule(bucket.name));
      else sendBody(context.stamps, context.exchange, 200, XML_CONTENT_TYPE, bucket.encryptionXml);
      return;
    case 'PutBucketEncryption':
      putBucketEncryption(context, bucket).catch((error: unknown) => {
        failUnexpectedly(context, error);
      });
      return;
    case 'DeleteBucketEncryption':
      context.state.setBucketEncryption(bucket.name, null);
      sendEmpty(context.stamps, context.exchange, 204);
      return;
    case 'DeleteBucket':
      context.state.removeBucket(bucket.name);
      sendEmpty(context.stamps, context.exchange, 204);
      return;
  }
}

async function putBucketEncryption(context: OperationContext, bucket: BucketRecord): Promise<void> {
  const body = await readConfigurationBody(context);
  if (body === undefined) return;
  const result = parseEncryptionRuleXml(body.toString('utf8'));
  if (!result.ok) {
    const { problem } = result;
    fail(
      context,
      problem.kind === 'malformed'
        ? malformedXml()
        : invalidArgument(problem.message, problem.argument, problem.value),
    );
    return;
  }
  context.state.setBucketEncryption(bucket.name, result.encryption);
  sendEmpty(context.stamps, context.exchange, 200);
}

export function listTableBuckets(context: OperationContext, region: string): void {
  const { query, state, accountId } = context;
  const rawMax = queryParam(query, 'maxBuckets');
  const maxBuckets = pageSize(context, rawMax, DEFAULT_MAX_BUCKETS);
  if (maxBuckets === undefined) {
    fail(context, badRequest('maxBuckets must be an integer between 1 and 1000.'));
    return;
  }
  const token = queryParam(query, 'continuationToken');
  let after: string | undefined;
  if (token !== undefined && token !== '') {
    after = decodeContinuationToken(token);
    if (after === undefined) {
      fail(context, badRequest('The continuation token provided is invalid.'));
      return;
    }
  }
  const page = state.listTableBuckets(accountId, region, {
    prefix: queryParam(query, 'prefix') ?? '',
    after,
    maxBuckets,
  });
  const last = page.items[page.items.length - 1];
  const body = renderListTableBuckets(
    page.items.map((tableBucket) => tableBucket.listEntryJson),
    page.truncated && last !== undefined ? encodeContinuationToken(last.name) : undefined,
  );
  sendBody(context.stamps, context.exchange, 200, JSON_CONTENT_TYPE, body);
}

export function serveTableBucketOperation(
  context: OperationContext,
  operation: Extract<
    TablesOperation,
    'GetTableBucketEncryption' | 'PutTableBucketEncryption' | 'DeleteTableBucketEncryption'
  >,
  tableBucket: TableBucketRecord,
): void {
  switch (operation) {
    case 'GetTableBucketEncryption':
      if (tableBucket.encryption === null && context.tableBucketWithoutEncryption === 'not-found') {
        fail(context, tableBucketEncryptionNotFound());
      } else {
        sendBody(context.stamps, context.exchange, 200, JSON_CONTENT_TYPE, tableBucket.encryptionJson);
      }
      return;
    case 'PutTableBucketEncryption':
      putTableBucketEncryption(context, tableBucket).catch((error: unknown) => {
        failUnexpectedly(context, error);
      });
      return;
    case 'DeleteTableBucketEncryption':
      context.state.setTableBucketEncryption(tableBucket.arn, null);
      sendEmpty(context.stamps, context.exchange, 204);
      return;
  }
}

async function putTableBucketEncryption(
  context: OperationContext,
  tableBucket: TableBucketRecord,
): Promise<void> {
  const body = await readConfigurationBody(context);
  if (body === undefined) return;
  const result = parseTableEncryptionBody(body.toString('utf8'));
  if (!result.ok) {
    fail(context, badRequest(result.message));
    return;
  }
  context.state.setTableBucketEncryption(tableBucket.arn, result.encryption);
  sendEmpty(context.stamps, context.exchange, 200);
}

/** The body, checked against its Content-MD5 when one was sent; undefined once answered with an error. */
async function readConfigurationBody(context: OperationContext): Promise<Buffer | undefined> {
  const result = await readBody(context.req, MAX_CONFIGURATION_BODY_BYTES);
  if (!result.ok) {
    if (result.reason === 'too-large') fail(context, entityTooLarge(MAX_CONFIGURATION_BODY_BYTES));
    return undefined;
  }
  const contentMd5 = context.req.headers['content-md5'];
  if (contentMd5 !== undefined && createHash('md5').update(result.body).digest('base64') !== contentMd5) {
    fail(context, invalidDigest());
    return undefined;
  }
  return result.body;
}

function fail(context: OperationContext, error: ServiceError): void {
  sendError(context.stamps, context.exchange, error);
}

/** A bug in the emulator must not take the process down: answer 500 as the service would. */
function failUnexpectedly(context: OperationContext, error: unknown): void {
  if (context.exchange.res.headersSent) {
    context.exchange.res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  fail(context, faultError(context.exchange.product, 'InternalError', undefined, undefined));
}

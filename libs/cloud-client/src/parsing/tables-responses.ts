import type { TableBucketEncryptionConfiguration, TableBucketSummary } from '../results';
import { tryParseTableBucketArn } from '../table-bucket-arn';
import { decodeUtf8, isRecord, MalformedDocumentError, parseSafeJson } from './safe-documents';
import { headerValue, RawResponse, reasonPhrase, retryAfterMs, ServiceErrorDetails } from './service-error';

/** One page of ListTableBuckets (docs/wire/oss.md §7.4). */
export interface ListTableBucketsPage {
  readonly tableBuckets: readonly TableBucketSummary[];
  /** Token of the next page; null when this is the last one. */
  readonly continuationToken: string | null;
}

/** A string member; null when absent, null or empty; malformed when of another type. */
export function optionalString(object: Record<string, unknown>, key: string): string | null {
  const value = object[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new MalformedDocumentError(`"${key}" is not a string`);
  return value;
}

/** A JSON answer whose top level must be an object, parsed under the nesting cap. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  const document = parseSafeJson(decodeUtf8(body));
  if (!isRecord(document)) throw new MalformedDocumentError('JSON answer is not an object');
  return document;
}

function parseTableBucket(entry: unknown): TableBucketSummary {
  if (!isRecord(entry)) throw new MalformedDocumentError('table bucket entry is not an object');
  const arnText = optionalString(entry, 'arn');
  const arn = arnText === null ? null : tryParseTableBucketArn(arnText);
  if (arn === null) throw new MalformedDocumentError(`invalid table bucket ARN: ${String(arnText)}`);
  const name = optionalString(entry, 'name') ?? arn.name;
  if (name !== arn.name)
    throw new MalformedDocumentError(`table bucket name ${name} does not match ${arn.arn}`);
  return {
    arn: arn.arn,
    name,
    ownerAccountId: optionalString(entry, 'ownerAccountId') ?? arn.accountId,
    createdAt: optionalString(entry, 'createdAt'),
    tableBucketId: optionalString(entry, 'tableBucketId'),
    type: optionalString(entry, 'type'),
    region: arn.region,
  };
}

/** Parses a ListTableBuckets answer; every entry's ARN is validated. */
export function parseListTableBucketsPage(body: Buffer): ListTableBucketsPage {
  const document = parseJsonObject(body);
  const entries = document['tableBuckets'] ?? [];
  if (!Array.isArray(entries)) throw new MalformedDocumentError('"tableBuckets" is not an array');
  return {
    tableBuckets: entries.map(parseTableBucket),
    continuationToken: optionalString(document, 'continuationToken'),
  };
}

/**
 * Parses a GetTableBucketEncryption answer (docs/wire/oss.md §7.3). An empty body, an absent or null
 * `encryptionConfiguration`, or one without an algorithm mean "no configuration" (null).
 */
export function parseTableBucketEncryption(body: Buffer): TableBucketEncryptionConfiguration | null {
  if (body.toString('latin1').trim() === '') return null;
  const configuration = parseJsonObject(body)['encryptionConfiguration'];
  if (configuration === undefined || configuration === null) return null;
  if (!isRecord(configuration))
    throw new MalformedDocumentError('"encryptionConfiguration" is not an object');
  const sseAlgorithm = optionalString(configuration, 'sseAlgorithm');
  const kmsKeyArn = optionalString(configuration, 'kmsKeyArn');
  if (sseAlgorithm === null) {
    if (kmsKeyArn !== null) throw new MalformedDocumentError('kmsKeyArn without sseAlgorithm');
    return null;
  }
  return { sseAlgorithm, kmsKeyArn };
}

interface JsonErrorFields {
  readonly code: string | null;
  readonly message: string | null;
  readonly requestId: string | null;
  readonly ec: string | null;
  readonly serverTime: string | null;
}

function jsonErrorFields(body: Buffer): JsonErrorFields {
  const none = { code: null, message: null, requestId: null, ec: null, serverTime: null };
  if (body.length === 0) return none;
  try {
    const document = parseJsonObject(body);
    const nested = document['Error'];
    if (isRecord(nested)) {
      return {
        code: optionalString(nested, 'Code'),
        message: optionalString(nested, 'Message'),
        requestId: optionalString(nested, 'RequestId'),
        ec: optionalString(nested, 'EC'),
        serverTime: optionalString(nested, 'ServerTime'),
      };
    }
    return {
      ...none,
      message: optionalString(document, 'message') ?? optionalString(document, 'Message'),
      serverTime: optionalString(document, 'serverTime') ?? optionalString(document, 'ServerTime'),
    };
  } catch (error) {
    // An unreadable error body leaves the status and headers to speak.
    if (error instanceof MalformedDocumentError) return none;
    throw error;
  }
}

/**
 * Normalises an OSS Tables error answer (docs/wire/oss.md §5.3): code from `x-oss-error-type`, else the
 * JSON `Error.Code`, else the reason phrase; message from `message` / `Error.Message`.
 */
export function parseTablesError(response: RawResponse, nowMs: number): ServiceErrorDetails {
  const fields = jsonErrorFields(response.body);
  return {
    code: headerValue(response, 'x-oss-error-type') ?? fields.code ?? reasonPhrase(response),
    message: fields.message ?? `HTTP ${response.status} ${reasonPhrase(response)}`,
    requestId: headerValue(response, 'x-oss-request-id') ?? fields.requestId,
    ec: headerValue(response, 'x-oss-ec') ?? fields.ec,
    httpStatus: response.status,
    serverTime: fields.serverTime,
    retryAfterMs: retryAfterMs(response, nowMs),
  };
}

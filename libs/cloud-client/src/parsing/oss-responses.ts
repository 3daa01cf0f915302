import { isValidBucketName, isValidRegion } from '../endpoints';
import type { BucketEncryptionRule, BucketSummary } from '../results';
import { createSafeXmlParser, decodeUtf8, MalformedDocumentError } from './safe-documents';
import { headerValue, RawResponse, reasonPhrase, retryAfterMs, ServiceErrorDetails } from './service-error';
import {
  childElement,
  childElements,
  optionalText,
  requiredText,
  rootElement,
  XmlElement,
} from './xml-nodes';

const parseXml = createSafeXmlParser(['ListAllMyBucketsResult.Buckets.Bucket']);

/** One page of ListBuckets (docs/wire/oss.md §7.2). */
export interface ListBucketsPage {
  readonly buckets: readonly BucketSummary[];
  /** The marker of the next page; null on the last page. */
  readonly nextMarker: string | null;
}

function parseBucket(node: XmlElement): BucketSummary {
  const name = requiredText(node, 'Name');
  if (!isValidBucketName(name)) throw new MalformedDocumentError(`invalid bucket name in listing: ${name}`);
  const location = optionalText(node, 'Location');
  const region = optionalText(node, 'Region') ?? location?.replace(/^oss-/, '') ?? null;
  if (region === null || !isValidRegion(region)) {
    throw new MalformedDocumentError(`bucket ${name} has no valid Region or Location`);
  }
  return {
    name,
    region,
    location,
    creationDate: optionalText(node, 'CreationDate'),
    storageClass: optionalText(node, 'StorageClass'),
    extranetEndpoint: optionalText(node, 'ExtranetEndpoint'),
    intranetEndpoint: optionalText(node, 'IntranetEndpoint'),
    resourceGroupId: optionalText(node, 'ResourceGroupId'),
  };
}

/**
 * Parses a `ListAllMyBucketsResult`. A truncated page must name its `NextMarker`, otherwise paging
 * could not continue and the listing would silently be incomplete.
 */
export function parseListBucketsPage(body: Buffer): ListBucketsPage {
  const root = rootElement(parseXml(decodeUtf8(body)), 'ListAllMyBucketsResult');
  const bucketsNode = childElement(root, 'Buckets');
  const buckets = bucketsNode === null ? [] : childElements(bucketsNode, 'Bucket').map(parseBucket);
  const truncated = optionalText(root, 'IsTruncated');
  if (truncated !== null && truncated !== 'true' && truncated !== 'false') {
    throw new MalformedDocumentError(`IsTruncated is neither true nor false: ${truncated}`);
  }
  if (truncated !== 'true') return { buckets, nextMarker: null };
  const nextMarker = optionalText(root, 'NextMarker');
  if (nextMarker === null) throw new MalformedDocumentError('truncated listing without NextMarker');
  return { buckets, nextMarker };
}

/** Parses a `ServerSideEncryptionRule` (docs/wire/oss.md §7.1); empty key ids read as null. */
export function parseBucketEncryptionRule(body: Buffer): BucketEncryptionRule {
  const root = rootElement(parseXml(decodeUtf8(body)), 'ServerSideEncryptionRule');
  const byDefault = childElement(root, 'ApplyServerSideEncryptionByDefault');
  if (byDefault === null) throw new MalformedDocumentError('missing <ApplyServerSideEncryptionByDefault>');
  return {
    sseAlgorithm: requiredText(byDefault, 'SSEAlgorithm'),
    kmsMasterKeyId: optionalText(byDefault, 'KMSMasterKeyID'),
    kmsDataEncryption: optionalText(byDefault, 'KMSDataEncryption'),
  };
}

interface ErrorBodyFields {
  readonly code: string | null;
  readonly message: string | null;
  readonly requestId: string | null;
  readonly ec: string | null;
  readonly serverTime: string | null;
}

const NO_FIELDS: ErrorBodyFields = { code: null, message: null, requestId: null, ec: null, serverTime: null };

function parseErrorXml(bytes: Buffer): ErrorBodyFields {
  try {
    const root = rootElement(parseXml(decodeUtf8(bytes)), 'Error');
    const detail = childElement(root, 'Detail');
    return {
      code: optionalText(root, 'Code'),
      message: optionalText(root, 'Message'),
      requestId: optionalText(root, 'RequestId'),
      ec: optionalText(root, 'EC'),
      serverTime: optionalText(root, 'ServerTime') ?? (detail && optionalText(detail, 'ServerTime')),
    };
  } catch (error) {
    // An unreadable error body (an HTML proxy page, a hostile document) leaves the status to speak.
    if (error instanceof MalformedDocumentError) return NO_FIELDS;
    throw error;
  }
}

/** The `<Error>` document of a body, or of the base64 `x-oss-err` header when the body is empty. */
function errorBodyFields(response: RawResponse): ErrorBodyFields {
  if (response.body.length > 0) return parseErrorXml(response.body);
  const encoded = headerValue(response, 'x-oss-err');
  return encoded === null ? NO_FIELDS : parseErrorXml(Buffer.from(encoded, 'base64'));
}

/**
 * Normalises an OSS error answer (docs/wire/oss.md §5.1): code, message, request id and EC from the
 * `<Error>` body (or `x-oss-err`), request id and EC headers preferred, the reason phrase as code
 * when the body names none.
 */
export function parseOssError(response: RawResponse, nowMs: number): ServiceErrorDetails {
  const fields = errorBodyFields(response);
  return {
    code: fields.code ?? reasonPhrase(response),
    message: fields.message ?? `HTTP ${response.status} ${reasonPhrase(response)}`,
    requestId: headerValue(response, 'x-oss-request-id') ?? fields.requestId,
    ec: headerValue(response, 'x-oss-ec') ?? fields.ec,
    httpStatus: response.status,
    serverTime: fields.serverTime,
    retryAfterMs: retryAfterMs(response, nowMs),
  };
}

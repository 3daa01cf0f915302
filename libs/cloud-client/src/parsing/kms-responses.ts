import type { KmsKeyMetadata } from '../results';
import { decodeUtf8, isRecord, MalformedDocumentError, parseSafeJson } from './safe-documents';
import { headerValue, RawResponse, reasonPhrase, retryAfterMs, ServiceErrorDetails } from './service-error';

/** A parsed DescribeKey answer. */
export interface DescribeKeyAnswer {
  readonly metadata: KmsKeyMetadata;
  readonly requestId: string | null;
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
  const document = parseSafeJson(decodeUtf8(body));
  if (!isRecord(document)) throw new MalformedDocumentError('JSON answer is not an object');
  return document;
}

/** A string field; absent, null and `""` are null; any other type is a malformed answer. */
function optionalString(object: Record<string, unknown>, key: string): string | null {
  const value = object[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new MalformedDocumentError(`"${key}" is not a string`);
  return value;
}

function requiredString(object: Record<string, unknown>, key: string): string {
  const value = optionalString(object, key);
  if (value === null) throw new MalformedDocumentError(`"${key}" is missing`);
  return value;
}

/**
 * Parses a DescribeKey answer `{"RequestId","KeyMetadata":{...}}` (KMS API reference, DescribeKey,
 * version 2016-01-20). Refuses one without a KeyMetadata object, a KeyId or a KeyState.
 */
export function parseDescribeKey(body: Buffer): DescribeKeyAnswer {
  const document = parseJsonObject(body);
  const metadata = document['KeyMetadata'];
  if (!isRecord(metadata)) throw new MalformedDocumentError('"KeyMetadata" is missing or not an object');
  const field = (key: string) => optionalString(metadata, key);
  return {
    requestId: optionalString(document, 'RequestId'),
    metadata: {
      keyId: requiredString(metadata, 'KeyId'),
      arn: field('Arn'),
      keyState: requiredString(metadata, 'KeyState'),
      creator: field('Creator'),
      origin: field('Origin'),
      protectionLevel: field('ProtectionLevel'),
      automaticRotation: field('AutomaticRotation'),
      rotationInterval: field('RotationInterval'),
      deletionProtection: field('DeletionProtection'),
      deleteDate: field('DeleteDate'),
      keySpec: field('KeySpec'),
      keyUsage: field('KeyUsage'),
      creationDate: field('CreationDate'),
      nextRotationDate: field('NextRotationDate'),
      lastRotationDate: field('LastRotationDate'),
      primaryKeyVersion: field('PrimaryKeyVersion'),
      materialExpireTime: field('MaterialExpireTime'),
      description: field('Description'),
    },
  };
}

interface JsonErrorFields {
  readonly code: string | null;
  readonly message: string | null;
  readonly requestId: string | null;
}

function jsonErrorFields(body: Buffer): JsonErrorFields {
  const none = { code: null, message: null, requestId: null };
  if (body.length === 0) return none;
  try {
    const document = parseJsonObject(body);
    return {
      code: optionalString(document, 'Code'),
      message: optionalString(document, 'Message'),
      requestId: optionalString(document, 'RequestId'),
    };
  } catch (error) {
    // An unreadable error body leaves the status to speak.
    if (error instanceof MalformedDocumentError) return none;
    throw error;
  }
}

/**
 * Normalises an Alibaba Cloud API error answer `{"RequestId","HostId","Code","Message","Recommend"}`
 * (KMS "Response structure" page; the API gateway's own errors have the same shape): code and
 * message from the body, else the reason phrase. The gateway reports no server time in the body;
 * a clock-skew answer is corrected from the response `Date` header.
 */
export function parseKmsError(response: RawResponse, nowMs: number): ServiceErrorDetails {
  const fields = jsonErrorFields(response.body);
  return {
    code: fields.code ?? reasonPhrase(response),
    message: fields.message ?? `HTTP ${response.status} ${reasonPhrase(response)}`,
    requestId: fields.requestId ?? headerValue(response, 'x-acs-request-id'),
    ec: null,
    httpStatus: response.status,
    serverTime: null,
    retryAfterMs: retryAfterMs(response, nowMs),
  };
}

import type { OperationName } from '../fleet/fleet.types';

/**
 * Bodies a broken or hostile server might send, shaped like the operation's normal answer so a
 * client gets as far as its parser. Large ones are built once and reused.
 */

export interface HostileBody {
  readonly contentType: string;
  readonly body: Buffer;
}

const XML = 'application/xml';
const JSON_TYPE = 'application/json';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const DEFAULT_OVERSIZED_BYTES = 10 * 1024 * 1024;
export const DEFAULT_NESTING_DEPTH = 50;

const LIST_OPERATIONS: ReadonlySet<OperationName> = new Set([
  'ListBuckets',
  'ListTableBuckets',
  'ListNamespaces',
  'ListTables',
]);

function isListOperation(operation: OperationName): boolean {
  return LIST_OPERATIONS.has(operation);
}

/** A 200 body cut in the middle of an element or string. */
export function malformedBody(product: 'oss' | 'osstables', operation: OperationName): HostileBody {
  if (product === 'oss') {
    const text = isListOperation(operation)
      ? `${XML_DECLARATION}<ListAllMyBucketsResult>\n  <Owner>\n    <ID>1</ID>\n  </Owner>\n  <Buckets>\n    <Bucket>\n      <Name>trunc`
      : `${XML_DECLARATION}<ServerSideEncryptionRule>\n  <ApplyServerSideEncryptionByDefault>\n    <SSEAlgorithm>KM`;
    return { contentType: XML, body: Buffer.from(text) };
  }
  const text = isListOperation(operation)
    ? '{"tableBuckets":[{"arn":"acs:osstables:cn-hangzhou:1:bucket/trunc'
    : '{"encryptionConfiguration":{"kmsKeyArn":"","sseAlgorithm":"AE';
  return { contentType: JSON_TYPE, body: Buffer.from(text) };
}

const oversizedCache = new Map<string, Buffer>();

/** A well-formed answer padded to `bytes` through one huge key id. */
export function oversizedBody(product: 'oss' | 'osstables', bytes = DEFAULT_OVERSIZED_BYTES): HostileBody {
  const key = `${product}:${bytes}`;
  let body = oversizedCache.get(key);
  if (body === undefined) {
    const [head, tail] =
      product === 'oss'
        ? [
            `${XML_DECLARATION}<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm><KMSMasterKeyID>`,
            '</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>',
          ]
        : ['{"encryptionConfiguration":{"sseAlgorithm":"KMS","kmsKeyArn":"', '"}}'];
    const padding = Math.max(0, bytes - head.length - tail.length);
    body = Buffer.concat([Buffer.from(head), Buffer.alloc(padding, 'A'), Buffer.from(tail)]);
    oversizedCache.set(key, body);
  }
  return { contentType: product === 'oss' ? XML : JSON_TYPE, body };
}

/**
 * The classic entity-expansion document: ten levels of ten references, 10^9 "lol"s if a parser
 * expands entities. JSON has no entities, so Tables endpoints send the same XML document.
 */
export function billionLaughsBody(): HostileBody {
  let doctype = '<!DOCTYPE ServerSideEncryptionRule [\n  <!ENTITY lol0 "lol">\n';
  for (let level = 1; level <= 9; level++) {
    doctype += `  <!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">\n`;
  }
  doctype += ']>\n';
  const text =
    XML_DECLARATION +
    doctype +
    '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>&lol9;</SSEAlgorithm>' +
    '</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>\n';
  return { contentType: XML, body: Buffer.from(text) };
}

/** The normal root element holding `depth` nested levels. */
export function deepNestingBody(product: 'oss' | 'osstables', depth = DEFAULT_NESTING_DEPTH): HostileBody {
  if (product === 'oss') {
    const text = `${XML_DECLARATION}<ServerSideEncryptionRule>${'<Nested>'.repeat(depth)}KMS${'</Nested>'.repeat(depth)}</ServerSideEncryptionRule>`;
    return { contentType: XML, body: Buffer.from(text) };
  }
  const text = `{"encryptionConfiguration":${'{"nested":'.repeat(depth)}"AES256"${'}'.repeat(depth)}}`;
  return { contentType: JSON_TYPE, body: Buffer.from(text) };
}

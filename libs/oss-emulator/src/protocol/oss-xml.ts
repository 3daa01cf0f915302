import { XMLParser } from 'fast-xml-parser';

import type { BucketEncryptionSpec } from '../fleet/fleet.types';
import type { ServiceError } from './service-errors';

/** OSS XML bodies (docs/wire/oss.md §5.1, §7.1, §7.2). Every emitted value goes through escapeXml. */

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
/** XML 1.0 cannot carry C0 controls other than tab, LF, CR, nor U+FFFE/U+FFFF. */
function isForbiddenInXml(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff
  );
}

function needsEscape(code: number): boolean {
  // & < > " '
  return (
    code === 0x26 ||
    code === 0x3c ||
    code === 0x3e ||
    code === 0x22 ||
    code === 0x27 ||
    isForbiddenInXml(code)
  );
}

function escapeCode(code: number): string {
  switch (code) {
    case 0x26:
      return '&amp;';
    case 0x3c:
      return '&lt;';
    case 0x3e:
      return '&gt;';
    case 0x22:
      return '&quot;';
    case 0x27:
      return '&apos;';
    default:
      // Characters XML 1.0 cannot carry at all become U+FFFD.
      return '\ufffd';
  }
}

export function escapeXml(value: string): string {
  let firstEscape = -1;
  for (let i = 0; i < value.length; i++) {
    if (needsEscape(value.charCodeAt(i))) {
      firstEscape = i;
      break;
    }
  }
  if (firstEscape === -1) return value;
  let out = value.slice(0, firstEscape);
  for (let i = firstEscape; i < value.length; i++) {
    const code = value.charCodeAt(i);
    out += needsEscape(code) ? escapeCode(code) : value.charAt(i);
  }
  return out;
}

function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

/** GetBucketEncryption 200 body. KMS always carries `KMSMasterKeyID`, empty for the default key. */
export function renderEncryptionRule(encryption: BucketEncryptionSpec): string {
  let inner = `    ${element('SSEAlgorithm', encryption.sseAlgorithm)}\n`;
  if (encryption.sseAlgorithm === 'KMS') {
    inner += `    ${element('KMSMasterKeyID', encryption.kmsMasterKeyId ?? '')}\n`;
    if (encryption.kmsDataEncryption !== undefined) {
      inner += `    ${element('KMSDataEncryption', encryption.kmsDataEncryption)}\n`;
    }
  }
  return (
    XML_DECLARATION +
    '<ServerSideEncryptionRule>\n  <ApplyServerSideEncryptionByDefault>\n' +
    inner +
    '  </ApplyServerSideEncryptionByDefault>\n</ServerSideEncryptionRule>\n'
  );
}

export interface BucketListEntry {
  readonly name: string;
  readonly creationDate: string;
  readonly location: string;
  readonly region: string;
  readonly extranetEndpoint: string;
  readonly intranetEndpoint: string;
  readonly storageClass: string;
  readonly resourceGroupId: string;
}

/** One `<Bucket>` of ListBuckets, computed once per bucket. */
export function renderBucketEntry(entry: BucketListEntry): string {
  return (
    '    <Bucket>\n' +
    `      ${element('CreationDate', entry.creationDate)}\n` +
    `      ${element('ExtranetEndpoint', entry.extranetEndpoint)}\n` +
    `      ${element('IntranetEndpoint', entry.intranetEndpoint)}\n` +
    `      ${element('Location', entry.location)}\n` +
    `      ${element('Name', entry.name)}\n` +
    `      ${element('Region', entry.region)}\n` +
    `      ${element('StorageClass', entry.storageClass)}\n` +
    `      ${element('ResourceGroupId', entry.resourceGroupId)}\n` +
    '    </Bucket>\n'
  );
}

export interface ListBucketsPage {
  readonly ownerId: string;
  readonly ownerDisplayName: string;
  /** Pre-rendered `<Bucket>` elements. */
  readonly entries: readonly string[];
  /** Present only when the listing is truncated (the doc: otherwise the five elements are omitted). */
  readonly truncation?: {
    readonly prefix: string;
    readonly marker: string;
    readonly maxKeys: number;
    readonly nextMarker: string;
  };
}

export function renderListBuckets(page: ListBucketsPage): string {
  let out = XML_DECLARATION + '<ListAllMyBucketsResult>\n';
  const { truncation } = page;
  if (truncation !== undefined) {
    out +=
      `  ${element('Prefix', truncation.prefix)}\n` +
      `  ${element('Marker', truncation.marker)}\n` +
      `  <MaxKeys>${truncation.maxKeys}</MaxKeys>\n` +
      '  <IsTruncated>true</IsTruncated>\n' +
      `  ${element('NextMarker', truncation.nextMarker)}\n`;
  }
  out +=
    '  <Owner>\n' +
    `    ${element('ID', page.ownerId)}\n` +
    `    ${element('DisplayName', page.ownerDisplayName)}\n` +
    '  </Owner>\n';
  out += page.entries.length === 0 ? '  <Buckets/>\n' : `  <Buckets>\n${page.entries.join('')}  </Buckets>\n`;
  return out + '</ListAllMyBucketsResult>\n';
}

export function renderErrorXml(error: ServiceError, requestId: string, hostId: string): string {
  let out =
    XML_DECLARATION +
    '<Error>\n' +
    `  ${element('Code', error.code)}\n` +
    `  ${element('Message', error.message)}\n` +
    `  ${element('RequestId', requestId)}\n` +
    `  ${element('HostId', hostId)}\n`;
  if (error.details !== undefined) {
    for (const [name, value] of Object.entries(error.details)) out += `  ${element(name, value)}\n`;
  }
  out +=
    `  ${element('EC', error.ec)}\n` +
    `  ${element('RecommendDoc', `https://api.aliyun.com/troubleshoot?q=${error.ec}`)}\n` +
    '</Error>\n';
  return out;
}

/** Why a PutBucketEncryption body was refused. */
export type EncryptionBodyProblem =
  | { readonly kind: 'malformed' }
  | { readonly kind: 'invalid'; readonly argument: string; readonly value: string; readonly message: string };

export type EncryptionBodyResult =
  | { readonly ok: true; readonly encryption: BucketEncryptionSpec }
  | { readonly ok: false; readonly problem: EncryptionBodyProblem };

// Hardened as docs/operations.md asks: no entity expansion, values kept as strings.
const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

const MARKUP = /<[^<>]*>/g;
const TAG_NAME = /^[A-Za-z_][\w.-]*$/;

/**
 * A strict-enough well-formedness check for configuration bodies (the parser itself is lenient):
 * balanced, properly nested elements under one root, no DOCTYPE or other declarations, no stray
 * text outside the root.
 */
export function isWellFormedXml(body: string): boolean {
  const open: string[] = [];
  let roots = 0;
  let position = 0;
  for (const match of body.matchAll(MARKUP)) {
    const text = body.slice(position, match.index);
    if (open.length === 0 && text.trim() !== '') return false;
    position = match.index + match[0].length;
    const markup = match[0].slice(1, -1);
    if (markup.startsWith('?')) {
      if (!markup.endsWith('?') || roots > 0 || open.length > 0) return false;
      continue;
    }
    if (markup.startsWith('!')) return false;
    if (markup.startsWith('/')) {
      if (open.pop() !== markup.slice(1).trim()) return false;
      continue;
    }
    const selfClosing = markup.endsWith('/');
    const name = (selfClosing ? markup.slice(0, -1) : markup).trim().split(/\s+/)[0] ?? '';
    if (!TAG_NAME.test(name)) return false;
    if (open.length === 0) roots += 1;
    if (roots > 1) return false;
    if (!selfClosing) open.push(name);
  }
  const rest = body.slice(position);
  return open.length === 0 && roots === 1 && !rest.includes('<') && rest.trim() === '';
}

const SSE_ALGORITHMS = new Set(['KMS', 'AES256', 'SM4']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(record: Record<string, unknown>, name: string): string | undefined | null {
  const value = record[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return null;
}

/** Parses and validates a PutBucketEncryption body the way the service validates it. */
export function parseEncryptionRuleXml(body: string): EncryptionBodyResult {
  if (!isWellFormedXml(body)) return malformed();
  let document: unknown;
  try {
    document = parser.parse(body);
  } catch {
    return malformed();
  }
  if (!isRecord(document)) return malformed();
  const rule = document.ServerSideEncryptionRule;
  if (!isRecord(rule)) return malformed();
  const apply = rule.ApplyServerSideEncryptionByDefault;
  if (!isRecord(apply)) return malformed();
  const algorithm = optionalText(apply, 'SSEAlgorithm');
  const keyId = optionalText(apply, 'KMSMasterKeyID');
  const dataEncryption = optionalText(apply, 'KMSDataEncryption');
  if (algorithm === null || keyId === null || dataEncryption === null) return malformed();
  if (algorithm === undefined || !SSE_ALGORITHMS.has(algorithm)) {
    return invalid('SSEAlgorithm', algorithm ?? '', 'The SSEAlgorithm must be KMS, AES256 or SM4.');
  }
  const sseAlgorithm = algorithm as BucketEncryptionSpec['sseAlgorithm'];
  if (sseAlgorithm !== 'KMS') {
    if (keyId !== undefined && keyId !== '') {
      return invalid('KMSMasterKeyID', keyId, 'KMSMasterKeyID is applicable only when SSEAlgorithm is KMS.');
    }
    if (dataEncryption !== undefined && dataEncryption !== '') {
      return invalid(
        'KMSDataEncryption',
        dataEncryption,
        'KMSDataEncryption is applicable only when SSEAlgorithm is KMS.',
      );
    }
    return { ok: true, encryption: { sseAlgorithm } };
  }
  if (dataEncryption !== undefined && dataEncryption !== '' && dataEncryption !== 'SM4') {
    return invalid('KMSDataEncryption', dataEncryption, 'KMSDataEncryption must be SM4.');
  }
  return {
    ok: true,
    encryption: {
      sseAlgorithm,
      ...(keyId !== undefined && keyId !== '' ? { kmsMasterKeyId: keyId } : {}),
      ...(dataEncryption === 'SM4' ? { kmsDataEncryption: 'SM4' as const } : {}),
    },
  };
}

function malformed(): EncryptionBodyResult {
  return { ok: false, problem: { kind: 'malformed' } };
}

function invalid(argument: string, value: string, message: string): EncryptionBodyResult {
  return { ok: false, problem: { kind: 'invalid', argument, value, message } };
}

import type { TableBucketEncryptionSpec } from '../fleet/fleet.types';

/** OSS Tables JSON bodies (docs/wire/oss.md §5.3, §7.3, §7.4). */

export interface TableBucketListEntry {
  readonly arn: string;
  readonly createdAt: string;
  readonly name: string;
  readonly ownerAccountId: string;
  readonly tableBucketId: string;
}

/** One element of `tableBuckets`, computed once per table bucket. */
export function renderTableBucketEntry(entry: TableBucketListEntry): string {
  return JSON.stringify({
    arn: entry.arn,
    createdAt: entry.createdAt,
    name: entry.name,
    ownerAccountId: entry.ownerAccountId,
    tableBucketId: entry.tableBucketId,
    type: 'customer',
  });
}

/** `continuationToken` is present exactly when more pages follow. */
export function renderListTableBuckets(
  entries: readonly string[],
  continuationToken: string | undefined,
): string {
  const token =
    continuationToken === undefined ? '' : `"continuationToken":${JSON.stringify(continuationToken)},`;
  return `{${token}"tableBuckets":[${entries.join(',')}]}`;
}

/** GetTableBucketEncryption 200 body; `{}` inside when nothing is configured. */
export function renderTableEncryption(encryption: TableBucketEncryptionSpec | null): string {
  if (encryption === null) return '{"encryptionConfiguration":{}}';
  return JSON.stringify({
    encryptionConfiguration: { kmsKeyArn: encryption.kmsKeyArn ?? '', sseAlgorithm: encryption.sseAlgorithm },
  });
}

export function renderTablesError(message: string): string {
  return JSON.stringify({ message });
}

/** An opaque page token: base64url of the last name returned, so that listing resumes after it. */
export function encodeContinuationToken(lastName: string): string {
  return Buffer.from(`\n${lastName}`, 'utf8').toString('base64url');
}

export function decodeContinuationToken(token: string): string | undefined {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  return decoded.startsWith('\n') && decoded.length > 1 ? decoded.slice(1) : undefined;
}

export type TableEncryptionBodyResult =
  | { readonly ok: true; readonly encryption: TableBucketEncryptionSpec }
  | { readonly ok: false; readonly message: string };

const KMS_KEY_ARN = /^acs:kms:[a-z0-9-]+:\d+:key\/[A-Za-z0-9-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and validates a PutTableBucketEncryption body (`{"encryptionConfiguration":{...}}`). */
export function parseTableEncryptionBody(body: string): TableEncryptionBodyResult {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return { ok: false, message: 'The request body is not valid JSON.' };
  }
  if (!isRecord(document) || !isRecord(document.encryptionConfiguration)) {
    return { ok: false, message: 'Missing Some Required Arguments.' };
  }
  const { sseAlgorithm, kmsKeyArn } = document.encryptionConfiguration;
  if (sseAlgorithm !== 'AES256' && sseAlgorithm !== 'KMS') {
    return { ok: false, message: 'The sseAlgorithm must be AES256 or KMS.' };
  }
  if (kmsKeyArn !== undefined && typeof kmsKeyArn !== 'string') {
    return { ok: false, message: 'The kmsKeyArn must be a string.' };
  }
  if (sseAlgorithm === 'AES256') {
    if (kmsKeyArn !== undefined && kmsKeyArn !== '') {
      return { ok: false, message: 'The kmsKeyArn is applicable only when sseAlgorithm is KMS.' };
    }
    return { ok: true, encryption: { sseAlgorithm } };
  }
  if (kmsKeyArn === undefined || !KMS_KEY_ARN.test(kmsKeyArn)) {
    return { ok: false, message: 'The kmsKeyArn must be a KMS key ARN when sseAlgorithm is KMS.' };
  }
  return { ok: true, encryption: { sseAlgorithm, kmsKeyArn } };
}

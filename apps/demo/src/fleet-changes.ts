import { createHash } from 'node:crypto';

import { ADMIN_PATH_PREFIX, ossExtranetEndpoint, tablesEndpoint } from '@app/oss-emulator';
import {
  encodeQueryString,
  signV4,
  tablesRequestPath,
  tablesSigningTarget,
  type QueryParam,
  type SigningTarget,
} from '@app/signing';
import { request } from 'undici';

import { DemoError } from './demo-error';
import { changeTarget, type FleetChange } from './demo-fleet';

/** Where the changes go: the emulator's endpoint, and its admin token for what OSS cannot do. */
export interface FleetEndpoint {
  readonly url: string;
  readonly adminToken: string;
}

interface SignedCall {
  readonly method: 'PUT' | 'DELETE';
  /** The Host the real service would be reached at; the emulator routes on it. */
  readonly host: string;
  /** Percent-encoded request path. */
  readonly path: string;
  readonly query: readonly QueryParam[];
  readonly target: SigningTarget;
  readonly region: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * Makes the changes the way their owners would: each call signed with the owning account's
 * AccessKey by our own V4 signer and sent over HTTP (virtual-hosted OSS hosts, regional OSS Tables
 * hosts), so the emulator checks them exactly as the service would. Creating a bucket or a key and
 * scheduling a key's deletion are not operations the emulator serves, so they go in through its
 * admin API.
 */
export async function applyFleetChanges(
  endpoint: FleetEndpoint,
  changes: readonly FleetChange[],
  now: () => Date = () => new Date(),
): Promise<void> {
  for (const change of changes) {
    const status =
      change.kind === 'create-bucket'
        ? await administer(endpoint, 'POST', 'buckets', {
            accountId: change.accountId,
            bucket: change.bucket,
          })
        : change.kind === 'create-kms-key'
          ? await administer(endpoint, 'POST', 'kms-keys', { accountId: change.accountId, key: change.key })
          : change.kind === 'schedule-key-deletion'
            ? await administer(endpoint, 'PATCH', `kms-keys/${encodeURIComponent(change.keyId)}`, {
                keyState: 'PendingDeletion',
                deleteDate: change.deleteDate,
              })
            : await sendSigned(endpoint.url, change, signedCall(change), now());
    if (status !== 200 && status !== 201 && status !== 204) {
      throw new DemoError(
        'FLEET_CHANGE_FAILED',
        `${change.kind} on ${changeTarget(change)} answered HTTP ${status.toString()}`,
      );
    }
  }
}

function signedCall(
  change: Exclude<FleetChange, { kind: 'create-bucket' | 'create-kms-key' | 'schedule-key-deletion' }>,
): SignedCall {
  switch (change.kind) {
    case 'put-bucket-encryption': {
      const body = bucketEncryptionXml(change.encryption);
      return {
        ...bucketCall(change.bucket, change.region, 'PUT', [['encryption', '']]),
        headers: {
          'content-type': 'application/xml',
          'content-md5': createHash('md5').update(body).digest('base64'),
        },
        body,
      };
    }
    case 'delete-bucket-encryption':
      return { ...bucketCall(change.bucket, change.region, 'DELETE', [['encryption', '']]), headers: {} };
    case 'delete-bucket':
      return { ...bucketCall(change.bucket, change.region, 'DELETE', []), headers: {} };
    case 'put-table-bucket-encryption':
      return {
        method: 'PUT',
        host: tablesEndpoint(change.region),
        path: tablesRequestPath(change.arn, 'encryption'),
        query: [],
        target: tablesSigningTarget(change.arn, 'encryption'),
        region: change.region,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ encryptionConfiguration: change.encryption }),
      };
  }
}

function bucketCall(
  bucket: string,
  region: string,
  method: 'PUT' | 'DELETE',
  query: readonly QueryParam[],
): Omit<SignedCall, 'headers'> {
  return {
    method,
    host: `${bucket}.${ossExtranetEndpoint(region)}`,
    path: '/',
    query,
    target: { product: 'oss', bucket },
    region,
  };
}

/** The PutBucketEncryption body (docs/wire/oss.md §5). */
function bucketEncryptionXml(encryption: {
  sseAlgorithm: string;
  kmsMasterKeyId?: string;
  kmsDataEncryption?: string;
}): string {
  const key =
    encryption.kmsMasterKeyId === undefined
      ? ''
      : `<KMSMasterKeyID>${encryption.kmsMasterKeyId}</KMSMasterKeyID>`;
  const data =
    encryption.kmsDataEncryption === undefined
      ? ''
      : `<KMSDataEncryption>${encryption.kmsDataEncryption}</KMSDataEncryption>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>' +
    `<SSEAlgorithm>${encryption.sseAlgorithm}</SSEAlgorithm>${key}${data}` +
    '</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>'
  );
}

async function sendSigned(baseUrl: string, change: FleetChange, call: SignedCall, at: Date): Promise<number> {
  const signed = signV4({
    request: { method: call.method, target: call.target, query: call.query, headers: call.headers },
    credentials: change.credentials,
    region: call.region,
    product: call.target.product,
    signingTime: at,
  });
  const query = encodeQueryString(call.query);
  const response = await request(`${baseUrl}${call.path}${query === '' ? '' : `?${query}`}`, {
    method: call.method,
    headers: { ...signed.headers, host: call.host },
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  await response.body.dump();
  return response.statusCode;
}

async function administer(
  endpoint: FleetEndpoint,
  method: 'POST' | 'PATCH',
  path: string,
  body: unknown,
): Promise<number> {
  const response = await request(`${endpoint.url}${ADMIN_PATH_PREFIX}${path}`, {
    method,
    headers: { authorization: `Bearer ${endpoint.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.body.dump();
  return response.statusCode;
}

import type { QueryParam } from '@app/signing';

import type { OperationName } from '../fleet/fleet.types';
import type { ParsedHost } from './endpoints';

export type OssOperation = Extract<
  OperationName,
  'ListBuckets' | 'GetBucketEncryption' | 'PutBucketEncryption' | 'DeleteBucketEncryption' | 'DeleteBucket'
>;

export type TablesOperation = Extract<
  OperationName,
  | 'ListTableBuckets'
  | 'GetTableBucketEncryption'
  | 'PutTableBucketEncryption'
  | 'DeleteTableBucketEncryption'
  | 'ListNamespaces'
  | 'ListTables'
  | 'GetTableEncryption'
>;

/** A table bucket ARN split into its fields (docs/wire/oss.md §7.5). */
export interface TableBucketArn {
  readonly value: string;
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
}

export interface OssRoute {
  readonly product: 'oss';
  readonly operation: OssOperation;
  readonly bucket?: string;
  readonly hostRegion?: string;
}

export interface TablesRoute {
  readonly product: 'osstables';
  readonly operation: TablesOperation;
  /** Path as signed: decoded once, no leading slash, without a path-style ARN prefix. */
  readonly path: string;
  readonly arn?: TableBucketArn;
  /** GetTableEncryption: the namespace and table named in the path, decoded. */
  readonly namespace?: string;
  readonly table?: string;
  readonly hostRegion?: string;
}

export type RouteRejectionReason =
  'MethodNotAllowed' | 'InvalidBucketName' | 'InvalidTableBucketArn' | 'InvalidPath' | 'HostBucketMismatch';

/** A request the emulator answers with a 4xx before authentication. */
export interface RouteRejection {
  readonly product: 'oss' | 'osstables';
  readonly rejection: RouteRejectionReason;
  readonly value?: string;
}

export type RouteResult = OssRoute | TablesRoute | RouteRejection;

export interface RoutableRequest {
  readonly method: string;
  readonly host: ParsedHost;
  /** The request target before `?`, still percent-encoded. */
  readonly rawPath: string;
  readonly query: readonly QueryParam[];
  readonly authorization?: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const TABLE_BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/;
const RESERVED_TABLE_BUCKET_PREFIXES = ['oss', 'acs', 'aliyun', 'alibaba', 'aws'];
const REGION_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ACCOUNT_ID = /^\d+$/;
const TABLES_SCOPE_MARKER = '/osstables/aliyun_v4_request';

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

export function isValidTableBucketName(name: string): boolean {
  return (
    TABLE_BUCKET_NAME.test(name) && !RESERVED_TABLE_BUCKET_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

export function isValidRegionId(region: string): boolean {
  return REGION_ID.test(region);
}

/** `acs:osstables:{region}:{accountId}:bucket/{name}`, or undefined when it is not one. */
export function parseTableBucketArn(value: string): TableBucketArn | undefined {
  const fields = value.split(':');
  if (fields.length !== 5 || fields[0] !== 'acs' || fields[1] !== 'osstables') return undefined;
  const [, , region = '', accountId = '', resource = ''] = fields;
  if (!resource.startsWith('bucket/')) return undefined;
  const name = resource.slice('bucket/'.length);
  if (!REGION_ID.test(region) || !ACCOUNT_ID.test(accountId) || !isValidTableBucketName(name))
    return undefined;
  return { value, region, accountId, name };
}

export function hasQueryParam(query: readonly QueryParam[], name: string): boolean {
  for (const param of query) if (param[0] === name) return true;
  return false;
}

/** The first value of a parameter; undefined when absent. */
export function queryParam(query: readonly QueryParam[], name: string): string | undefined {
  for (const param of query) if (param[0] === name) return param[1];
  return undefined;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * Which product and operation a request addresses, decided the way the service does: by Host
 * first, then (for IP and localhost hosts) by path, with the V4 scope product telling an OSS
 * bucket named like a Tables path segment from a Tables call.
 */
export function routeRequest(request: RoutableRequest): RouteResult {
  const { host } = request;
  if (host.service === 'osstables') return routeTables(request);
  if (host.service === 'oss') return routeOss(request);
  const looksLikeTables =
    request.authorization?.includes(TABLES_SCOPE_MARKER) === true ||
    request.rawPath.startsWith('/acs:') ||
    request.rawPath.startsWith('/acs%3A') ||
    request.rawPath.startsWith('/acs%3a');
  return looksLikeTables ? routeTables(request) : routeOss(request);
}

function routeOss(request: RoutableRequest): RouteResult {
  const { host, method, query } = request;
  const path = request.rawPath.length > 1 ? request.rawPath.slice(1) : '';
  const slash = path.indexOf('/');
  const firstSegmentRaw = slash === -1 ? path : path.slice(0, slash);
  const firstSegment = safeDecode(firstSegmentRaw);
  if (firstSegment === undefined) return { product: 'oss', rejection: 'InvalidPath', value: request.rawPath };

  let bucket: string | undefined;
  let key: string;
  if (host.bucket !== undefined && firstSegment !== host.bucket) {
    bucket = host.bucket;
    key = path;
  } else if (firstSegment !== '') {
    // Path-style, or ali-oss with sldEnable against an IP: bucket in Host and in the path (§4.1).
    bucket = firstSegment;
    key = slash === -1 ? '' : path.slice(slash + 1);
  } else {
    bucket = host.bucket;
    key = '';
  }

  const hostRegion = host.region === undefined ? {} : { hostRegion: host.region };
  if (bucket === undefined) {
    return method === 'GET'
      ? { product: 'oss', operation: 'ListBuckets', ...hostRegion }
      : { product: 'oss', rejection: 'MethodNotAllowed' };
  }
  if (!isValidBucketName(bucket)) return { product: 'oss', rejection: 'InvalidBucketName', value: bucket };
  // Object operations are not served: the auditor only reads bucket configuration.
  if (key !== '') return { product: 'oss', rejection: 'MethodNotAllowed' };
  const operation = ossBucketOperation(method, hasQueryParam(query, 'encryption'));
  return operation === undefined
    ? { product: 'oss', rejection: 'MethodNotAllowed' }
    : { product: 'oss', operation, bucket, ...hostRegion };
}

function ossBucketOperation(method: string, encryption: boolean): OssOperation | undefined {
  if (encryption) {
    if (method === 'GET') return 'GetBucketEncryption';
    if (method === 'PUT') return 'PutBucketEncryption';
    if (method === 'DELETE') return 'DeleteBucketEncryption';
    return undefined;
  }
  return method === 'DELETE' ? 'DeleteBucket' : undefined;
}

function routeTables(request: RoutableRequest): RouteResult {
  const { host, method } = request;
  let segments = request.rawPath.split('/').slice(1);
  let prefixArn: string | undefined;
  // Path-style SDK requests (an IP endpoint) prefix the raw ARN as if it were the bucket.
  const firstDecoded = safeDecode(segments[0] ?? '');
  if (firstDecoded?.startsWith('acs:') === true) {
    const nameSegment = safeDecode(segments[1] ?? '');
    if (nameSegment === undefined) return { product: 'osstables', rejection: 'InvalidPath' };
    prefixArn = `${firstDecoded}/${nameSegment}`;
    segments = segments.slice(2);
  }
  const path = safeDecode(segments.join('/'));
  const family = segments[0];
  if (path === undefined || (family !== 'buckets' && family !== 'namespaces' && family !== 'tables')) {
    return { product: 'osstables', rejection: 'InvalidPath', value: request.rawPath };
  }
  const hostRegion = host.region === undefined ? {} : { hostRegion: host.region };

  if (segments.length === 1) {
    if (family !== 'buckets')
      return { product: 'osstables', rejection: 'InvalidPath', value: request.rawPath };
    return method === 'GET'
      ? { product: 'osstables', operation: 'ListTableBuckets', path, ...hostRegion }
      : { product: 'osstables', rejection: 'MethodNotAllowed' };
  }
  const resource = tablesResourceOperation(family, method, segments);
  if (resource === undefined) return { product: 'osstables', rejection: 'MethodNotAllowed' };
  if (resource === 'InvalidPath')
    return { product: 'osstables', rejection: 'InvalidPath', value: request.rawPath };
  const arnValue = safeDecode(segments[1] ?? '') ?? '';
  const arn = parseTableBucketArn(arnValue);
  if (arn === undefined) return { product: 'osstables', rejection: 'InvalidTableBucketArn', value: arnValue };
  if (prefixArn !== undefined && prefixArn !== arn.value) {
    return { product: 'osstables', rejection: 'HostBucketMismatch', value: prefixArn };
  }
  const hostBucket = host.tableBucket;
  if (hostBucket !== undefined && (hostBucket.name !== arn.name || hostBucket.accountId !== arn.accountId)) {
    return {
      product: 'osstables',
      rejection: 'HostBucketMismatch',
      value: `${hostBucket.name}-${hostBucket.accountId}`,
    };
  }
  return { product: 'osstables', ...resource, path, arn, ...hostRegion };
}

/** What an ARN-scoped Tables path addresses: `/{family}/{arn}[/...]`. */
type TablesResource = {
  readonly operation: TablesOperation;
  readonly namespace?: string;
  readonly table?: string;
};

/**
 * The operation of an ARN-scoped path (docs/wire/oss.md §7.3; docs/wire/oss-tables.md):
 * `/buckets/{arn}/encryption`, `/namespaces/{arn}`, `/tables/{arn}` and
 * `/tables/{arn}/{namespace}/{name}/encryption`. Undefined for a method or path we do not serve;
 * `InvalidPath` for a namespace or name that is not valid percent-encoding.
 */
function tablesResourceOperation(
  family: 'buckets' | 'namespaces' | 'tables',
  method: string,
  segments: readonly string[],
): TablesResource | 'InvalidPath' | undefined {
  if (family === 'buckets') {
    const operation =
      segments.length === 3 && segments[2] === 'encryption' ? tablesEncryptionOperation(method) : undefined;
    return operation === undefined ? undefined : { operation };
  }
  if (method !== 'GET') return undefined;
  if (segments.length === 2) return { operation: family === 'namespaces' ? 'ListNamespaces' : 'ListTables' };
  if (family !== 'tables' || segments.length !== 5 || segments[4] !== 'encryption') return undefined;
  const namespace = safeDecode(segments[2] ?? '');
  const table = safeDecode(segments[3] ?? '');
  if (namespace === undefined || table === undefined || namespace === '' || table === '')
    return 'InvalidPath';
  return { operation: 'GetTableEncryption', namespace, table };
}

function tablesEncryptionOperation(method: string): TablesOperation | undefined {
  if (method === 'GET') return 'GetTableBucketEncryption';
  if (method === 'PUT') return 'PutTableBucketEncryption';
  if (method === 'DELETE') return 'DeleteTableBucketEncryption';
  return undefined;
}

export function isRouteRejection(route: RouteResult): route is RouteRejection {
  return 'rejection' in route;
}

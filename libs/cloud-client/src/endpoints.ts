import { OssArgumentError } from './errors';

/** How a bucket is addressed: in the Host (`{bucket}.oss-{region}...`, the SDK default) or in the path. */
export type BucketAddressing = 'virtual-hosted' | 'path-style';

/** Endpoint choices shared by every product. */
export interface EndpointOptions {
  /** Use the `-internal` (VPC) hosts. */
  readonly internal?: boolean;
  /**
   * Connect here instead of the service host (e.g. the emulator, `http://127.0.0.1:9000`, or an
   * egress proxy). The request still carries the real service `Host` header, so routing and
   * signatures are those of the service. HTTPS unless the value says `http://`.
   */
  readonly endpointOverride?: string;
}

export interface OssEndpointOptions extends EndpointOptions {
  readonly addressing?: BucketAddressing;
}

/** Where one request goes: the origin to connect to, the Host header to send and the wire path. */
export interface RequestTarget {
  readonly origin: string;
  readonly host: string;
  readonly path: string;
}

// OSS region ids (GO2 oss/validation.go isValidRegion): non-empty, [a-z0-9-] only.
const REGION_PATTERN = /^[a-z0-9-]+$/;
// OSS bucket names: 3-63 characters, lowercase letters, digits and '-', not starting or ending with '-'.
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** True when `region` is a region id the endpoint templates accept (e.g. `cn-hangzhou`). */
export function isValidRegion(region: string): boolean {
  return REGION_PATTERN.test(region);
}

/** True when `name` satisfies the OSS bucket naming rule, so it is a safe DNS label and path segment. */
export function isValidBucketName(name: string): boolean {
  return BUCKET_PATTERN.test(name);
}

function assertRegion(region: string): void {
  if (!isValidRegion(region)) throw new OssArgumentError(`invalid region id: ${JSON.stringify(region)}`);
}

/** The OSS service host of a region: `oss-{region}.aliyuncs.com` or its `-internal` form. */
export function ossRegionHost(region: string, internal = false): string {
  assertRegion(region);
  return `oss-${region}${internal ? '-internal' : ''}.aliyuncs.com`;
}

/** The OSS Tables host of a region: `{region}.oss-tables.aliyuncs.com` or `{region}-internal...`. */
export function tablesRegionHost(region: string, internal = false): string {
  assertRegion(region);
  return `${region}${internal ? '-internal' : ''}.oss-tables.aliyuncs.com`;
}

/**
 * The KMS host of a region: `kms.{region}.aliyuncs.com`, or `kms-vpc.{region}.aliyuncs.com` from
 * inside a VPC (KMS endpoints page; the "internal" choice of the other products).
 */
export function kmsRegionHost(region: string, internal = false): string {
  assertRegion(region);
  return `kms${internal ? '-vpc' : ''}.${region}.aliyuncs.com`;
}

/**
 * Parses an endpoint override into an origin (`scheme://host[:port]`). A value without a scheme is
 * HTTPS; paths, queries and user info are refused because they would silently change every request.
 */
export function parseEndpointOverride(endpoint: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw new OssArgumentError(`invalid endpoint override: ${JSON.stringify(endpoint)}`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OssArgumentError(`endpoint override must be http or https: ${JSON.stringify(endpoint)}`);
  }
  if (
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    url.pathname !== '/'
  ) {
    throw new OssArgumentError(`endpoint override must be a bare origin: ${JSON.stringify(endpoint)}`);
  }
  return url.origin;
}

/** Endpoint options validated once, at client construction. */
export interface EndpointConfig {
  readonly internal: boolean;
  readonly overrideOrigin: string | null;
  readonly addressing: BucketAddressing;
}

/** Validates endpoint options (the override above all) into an {@link EndpointConfig}. */
export function endpointConfig(options: OssEndpointOptions = {}): EndpointConfig {
  return {
    internal: options.internal ?? false,
    overrideOrigin:
      options.endpointOverride === undefined ? null : parseEndpointOverride(options.endpointOverride),
    addressing: options.addressing ?? 'virtual-hosted',
  };
}

function originFor(host: string, config: EndpointConfig): string {
  return config.overrideOrigin ?? `https://${host}`;
}

/** Target of a service-level OSS request (ListBuckets) sent to a region's endpoint. */
export function ossServiceTarget(region: string, config: EndpointConfig): RequestTarget {
  const host = ossRegionHost(region, config.internal);
  return { origin: originFor(host, config), host, path: '/' };
}

/** Target of a bucket-level OSS request (e.g. GetBucketEncryption) in the bucket's region. */
export function ossBucketTarget(bucket: string, region: string, config: EndpointConfig): RequestTarget {
  if (!isValidBucketName(bucket))
    throw new OssArgumentError(`invalid bucket name: ${JSON.stringify(bucket)}`);
  const regionHost = ossRegionHost(region, config.internal);
  if (config.addressing === 'path-style') {
    return { origin: originFor(regionHost, config), host: regionHost, path: `/${bucket}/` };
  }
  const host = `${bucket}.${regionHost}`;
  return { origin: originFor(host, config), host, path: '/' };
}

/**
 * Origin and Host of OSS Tables requests in a region. Tables requests are path-style (the table
 * bucket ARN travels in the path), so one regional origin serves every table bucket.
 */
export function tablesTarget(region: string, config: EndpointConfig): Omit<RequestTarget, 'path'> {
  const host = tablesRegionHost(region, config.internal);
  return { origin: originFor(host, config), host };
}

/** Target of a KMS call in a region: RPC style, so the path is always `/`. */
export function kmsTarget(region: string, config: EndpointConfig): RequestTarget {
  const host = kmsRegionHost(region, config.internal);
  return { origin: originFor(host, config), host, path: '/' };
}

/**
 * Host names as the service knows them (docs/wire/oss.md §6): public and internal OSS endpoints,
 * dual-stack, virtual-hosted buckets, and the OSS Tables regional and virtual-hosted endpoints.
 */

/** What the Host header tells: which service, which region, which bucket. */
export interface ParsedHost {
  /** Host name without port, lower case. */
  readonly hostname: string;
  /** `neutral` for IPs, localhost and unknown names: path-style, no region. */
  readonly service: 'oss' | 'osstables' | 'neutral';
  readonly region?: string;
  /** OSS virtual-hosted bucket label (ali-oss sends it even against an IP endpoint, §4.1). */
  readonly bucket?: string;
  /** OSS Tables virtual-hosted `{name}-{accountId}` label. */
  readonly tableBucket?: { readonly name: string; readonly accountId: string };
}

const ALIYUN_SUFFIX = '.aliyuncs.com';
const TABLES_SUFFIX = '.oss-tables.aliyuncs.com';
const REGION_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Region ids always contain a hyphen, which tells a dual-stack region label from a bucket label. */
const DUAL_STACK_REGION = /^[a-z]+(?:-[a-z0-9]+)+$/;
const OSS_SERVICE_LABEL = /^oss-([a-z0-9-]+?)(-internal)?$/;
const TABLE_BUCKET_LABEL = /^([a-z0-9-]+)-(\d+)$/;
/** Global endpoints that name no region. */
const REGIONLESS_OSS_LABELS = new Set(['oss', 'oss-accelerate', 'oss-accelerate-overseas']);

export function ossLocation(region: string): string {
  return `oss-${region}`;
}

export function ossExtranetEndpoint(region: string): string {
  return `oss-${region}.aliyuncs.com`;
}

export function ossIntranetEndpoint(region: string): string {
  return `oss-${region}-internal.aliyuncs.com`;
}

export function tablesEndpoint(region: string): string {
  return `${region}.oss-tables.aliyuncs.com`;
}

export function tableBucketArn(region: string, accountId: string, name: string): string {
  return `acs:osstables:${region}:${accountId}:bucket/${name}`;
}

export function hostnameOf(hostHeader: string | undefined): string {
  if (hostHeader === undefined || hostHeader === '') return '';
  if (hostHeader.startsWith('[')) {
    const end = hostHeader.indexOf(']');
    return end === -1 ? hostHeader : hostHeader.slice(0, end + 1);
  }
  const colon = hostHeader.lastIndexOf(':');
  return (colon === -1 ? hostHeader : hostHeader.slice(0, colon)).toLowerCase();
}

export function parseHost(hostHeader: string | undefined): ParsedHost {
  const hostname = hostnameOf(hostHeader);
  if (hostname.endsWith(TABLES_SUFFIX)) return parseTablesHost(hostname);
  if (hostname.endsWith(ALIYUN_SUFFIX)) return parseOssHost(hostname);
  return { hostname, service: 'neutral' };
}

function parseTablesHost(hostname: string): ParsedHost {
  const labels = hostname.slice(0, -TABLES_SUFFIX.length).split('.');
  const regionLabel = labels[labels.length - 1] ?? '';
  const region = regionLabel.endsWith('-internal') ? regionLabel.slice(0, -'-internal'.length) : regionLabel;
  if (!REGION_PATTERN.test(region)) return { hostname, service: 'neutral' };
  const bucketLabel = labels.length === 2 ? TABLE_BUCKET_LABEL.exec(labels[0] ?? '') : null;
  if (bucketLabel?.[1] !== undefined && bucketLabel[2] !== undefined) {
    return {
      hostname,
      service: 'osstables',
      region,
      tableBucket: { name: bucketLabel[1], accountId: bucketLabel[2] },
    };
  }
  return { hostname, service: 'osstables', region };
}

function parseOssHost(hostname: string): ParsedHost {
  const labels = hostname.slice(0, -ALIYUN_SUFFIX.length).split('.');
  const last = labels[labels.length - 1] ?? '';
  let region: string | undefined;
  let serviceLabels = 1;
  if (REGIONLESS_OSS_LABELS.has(last)) {
    // Dual-stack `{region}.oss.aliyuncs.com` names its region one label earlier.
    const previous = labels.length >= 2 ? labels[labels.length - 2] : undefined;
    if (last === 'oss' && previous !== undefined && DUAL_STACK_REGION.test(previous)) {
      region = previous;
      serviceLabels = 2;
    }
  } else {
    const match = OSS_SERVICE_LABEL.exec(last);
    if (match?.[1] === undefined) return { hostname, service: 'neutral' };
    region = match[1];
  }
  const bucketLabels = labels.length - serviceLabels;
  // ali-oss sends `.oss-cn-hangzhou.aliyuncs.com` (an empty bucket label) for service-level calls.
  const bucket = bucketLabels === 1 && labels[0] !== '' ? labels[0] : undefined;
  return {
    hostname,
    service: 'oss',
    ...(region === undefined ? {} : { region }),
    ...(bucket === undefined ? {} : { bucket }),
  };
}

/**
 * Parses Host headers through a bounded cache: a benchmark or a scan touches each bucket host
 * many times, and the parse is pure.
 */
export class HostCache {
  private readonly entries = new Map<string, ParsedHost>();

  constructor(private readonly capacity = 100_000) {}

  get(hostHeader: string | undefined): ParsedHost {
    const key = hostHeader ?? '';
    let parsed = this.entries.get(key);
    if (parsed === undefined) {
      parsed = parseHost(hostHeader);
      if (this.entries.size >= this.capacity) this.entries.clear();
      this.entries.set(key, parsed);
    }
    return parsed;
  }
}

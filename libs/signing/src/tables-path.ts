import type { SigningTarget } from './types';
import { percentDecode, uriEncode } from './uri-encode';

/** The signing target of an OSS Tables request. */
export type TablesSigningTarget = Extract<SigningTarget, { product: 'osstables' }>;

const TABLES_ARN_PREFIX = 'acs:osstables:';

function joinSuffix(suffix: string, encode: boolean): string {
  if (suffix === '') return '';
  return `/${encode ? uriEncode(suffix, true) : suffix}`;
}

/**
 * The wire path of a table-bucket call: `/buckets` for the collection, else `/buckets/` + the ARN
 * encoded once (`:` -> `%3A`, `/` -> `%2F`, as GO2's `url.QueryEscape`) + `/` + suffix, e.g.
 * `/buckets/acs%3Aosstables%3Acn-hangzhou%3A123%3Abucket%2Fdemo/encryption`.
 */
export function tablesRequestPath(tableBucketArn: string | undefined, suffix: string): string {
  const arnPart = tableBucketArn === undefined ? '' : `/${uriEncode(tableBucketArn, false)}`;
  return `/buckets${arnPart}${joinSuffix(suffix, true)}`;
}

/** The signing target matching {@link tablesRequestPath} for the same arguments. */
export function tablesSigningTarget(tableBucketArn: string | undefined, suffix: string): TablesSigningTarget {
  const arnPart = tableBucketArn === undefined ? '' : `/${tableBucketArn}`;
  const path = `buckets${arnPart}${joinSuffix(suffix, false)}`;
  return tableBucketArn === undefined
    ? { product: 'osstables', path }
    : { product: 'osstables', path, tableBucketArn };
}

/**
 * Server side: the signing target of a received OSS Tables request path (without the query). The
 * path is decoded once; the second raw segment, decoded, is the table bucket ARN when it starts
 * with `acs:osstables:` (as in `/buckets/{arn}/encryption`).
 */
export function tablesTargetFromRequestPath(rawPath: string): TablesSigningTarget {
  const relative = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const path = percentDecode(relative, false);
  const secondSegment = relative.split('/')[1];
  const candidate = secondSegment === undefined ? undefined : percentDecode(secondSegment, false);
  return candidate?.startsWith(TABLES_ARN_PREFIX) === true
    ? { product: 'osstables', path, tableBucketArn: candidate }
    : { product: 'osstables', path };
}

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

/** The first segment of an ARN-scoped OSS Tables path: the family of resources it addresses. */
export type TablesResourceFamily = 'buckets' | 'namespaces' | 'tables';

/**
 * The wire path of a call on one table bucket's resources: `/{family}/` + the ARN encoded once +
 * each segment encoded as one segment (`/` -> `%2F` too), as the SDKs build it with
 * `quote(x, safe='')` / `url.QueryEscape` (PY2 `tables/operations/namespace_basic.py`,
 * `table_basic.py`, `table_config_basic.py`; GO2 `oss/tables/api_op_table_encryption.go`), e.g.
 * `/tables/acs%3Aosstables%3Acn-beijing%3A1234567890%3Abucket%2Fdemo-bucket/space/table/encryption`.
 */
export function tablesResourcePath(
  family: TablesResourceFamily,
  tableBucketArn: string,
  segments: readonly string[],
): string {
  let path = `/${family}/${uriEncode(tableBucketArn, false)}`;
  for (const segment of segments) path += `/${uriEncode(segment, false)}`;
  return path;
}

/**
 * The signing target matching {@link tablesResourcePath}: the path decoded once (the SDKs sign
 * `urldecode(path)` after the ARN), so the canonical URI is `/{ARN}/{family}/{ARN}/{segments}`.
 */
export function tablesResourceSigningTarget(
  family: TablesResourceFamily,
  tableBucketArn: string,
  segments: readonly string[],
): TablesSigningTarget {
  const path = [family, tableBucketArn, ...segments].join('/');
  return { product: 'osstables', path, tableBucketArn };
}

/**
 * Server side: the signing target of a received OSS Tables request path (without the query). The
 * path is decoded once; the second raw segment, decoded, is the table bucket ARN when it starts
 * with `acs:osstables:` (as in `/buckets/{arn}/encryption`, `/namespaces/{arn}`,
 * `/tables/{arn}/{namespace}/{name}/encryption`).
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

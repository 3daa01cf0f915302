import type { SigningTarget } from './types';
import { uriEncode } from './uri-encode';

/**
 * The V4 CanonicalURI. The products differ only here (docs/wire/oss.md §2.2, §2.4):
 * - `oss` / `oss-cloudbox`: `/{bucket}/{key}` built from the raw names, encoded once keeping `/`;
 *   the bucket is always present, even when it travels in the Host header.
 * - `osstables`: `/{ARN}/{decoded path}`, or `/acs:osstables:{region}::bucket//{decoded path}`
 *   without an ARN, encoded once keeping `/` (so `:` becomes `%3A` and the ARN's `/` stays).
 */
export function canonicalUri(target: SigningTarget, region: string): string {
  switch (target.product) {
    case 'oss':
    case 'oss-cloudbox':
      return uriEncode(`/${target.bucket === undefined ? '' : `${target.bucket}/`}${target.key ?? ''}`, true);
    case 'osstables': {
      const scopePrefix = target.tableBucketArn ?? `acs:osstables:${region}::bucket/`;
      return uriEncode(`/${scopePrefix}/${target.path}`, true);
    }
  }
}

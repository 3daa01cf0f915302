import { isValidRegion } from './endpoints';
import { OssArgumentError } from './errors';

/** A KMS ARN `acs:kms:{region}:{accountId}:key/{keyId}` (or `:alias/{name}`), split. */
export interface KmsKeyArn {
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  /** The key id for a key ARN; null for an alias ARN. */
  readonly keyId: string | null;
  /** `alias/{name}` for an alias ARN; null for a key ARN. */
  readonly alias: string | null;
}

/** How a DescribeKey `KeyId` names a key: its id, its ARN, or an alias (`alias/...`). */
export type KmsKeyReference =
  | { readonly kind: 'id'; readonly keyId: string }
  | { readonly kind: 'arn'; readonly arn: KmsKeyArn }
  | { readonly kind: 'alias'; readonly alias: string };

// Key ids are `key-{region-tag}{random}` or, for older keys, UUIDs (DescribeKey reference pages).
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
// Alias names: `alias/` then letters, digits, `_`, `-`, `/` and `:` (e.g. `alias/acs/oss`).
const ALIAS = /^alias\/[A-Za-z0-9_/:-]{1,255}$/;
const ACCOUNT_ID = /^\d+$/;

/**
 * Parses a KMS key or alias ARN (`acs:kms:cn-hangzhou:1234567890:key/key-abc`, the form a table
 * bucket's `kmsKeyArn` and a cross-account KeyId take). Null when it is not one.
 */
export function tryParseKmsKeyArn(value: string): KmsKeyArn | null {
  const parts = value.split(':');
  if (parts.length < 5 || parts[0] !== 'acs' || parts[1] !== 'kms') return null;
  const [, , region = '', accountId = '', ...rest] = parts;
  const resource = rest.join(':');
  if (!isValidRegion(region) || !ACCOUNT_ID.test(accountId)) return null;
  if (resource.startsWith('key/')) {
    const keyId = resource.slice('key/'.length);
    return KEY_ID.test(keyId) ? { arn: value, region, accountId, keyId, alias: null } : null;
  }
  return ALIAS.test(resource) ? { arn: value, region, accountId, keyId: null, alias: resource } : null;
}

/** Classifies a DescribeKey `KeyId`; throws {@link OssArgumentError} when it is none of the three forms. */
export function parseKmsKeyReference(value: string): KmsKeyReference {
  if (value.startsWith('acs:')) {
    const arn = tryParseKmsKeyArn(value);
    if (arn !== null) return { kind: 'arn', arn };
  } else if (value.startsWith('alias/')) {
    if (ALIAS.test(value)) return { kind: 'alias', alias: value };
  } else if (KEY_ID.test(value)) {
    return { kind: 'id', keyId: value };
  }
  throw new OssArgumentError(`invalid KMS KeyId: ${JSON.stringify(value)}`);
}

/**
 * The region to ask DescribeKey in: an ARN's own region, else `fallbackRegion` (for a bucket's
 * key id, the bucket's region, since OSS requires the key in the bucket's region).
 */
export function kmsKeyRegion(keyId: string, fallbackRegion: string): string {
  const reference = parseKmsKeyReference(keyId);
  return reference.kind === 'arn' ? reference.arn.region : fallbackRegion;
}

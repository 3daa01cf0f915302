/** How a DescribeKey `KeyId` names a key, as the service reads it. */
export type KmsKeyIdentifier =
  | { readonly kind: 'id'; readonly keyId: string }
  | { readonly kind: 'key-arn'; readonly region: string; readonly accountId: string; readonly keyId: string }
  | { readonly kind: 'alias'; readonly alias: string }
  | {
      readonly kind: 'alias-arn';
      readonly region: string;
      readonly accountId: string;
      readonly alias: string;
    };

export const KMS_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const KMS_ALIAS = /^alias\/[A-Za-z0-9_/:-]{1,255}$/;
const REGION_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ACCOUNT_ID = /^\d+$/;

/** `acs:kms:{region}:{account}:key/{id}` for a key of the fleet. */
export function kmsKeyArn(region: string, accountId: string, keyId: string): string {
  return `acs:kms:${region}:${accountId}:key/${keyId}`;
}

/** Reads a KeyId (id, `alias/...`, key ARN or alias ARN); undefined when it is none of them. */
export function parseKmsKeyIdentifier(value: string): KmsKeyIdentifier | undefined {
  if (value.startsWith('acs:')) {
    const [partition, service, region = '', accountId = '', ...rest] = value.split(':');
    const resource = rest.join(':');
    if (partition !== 'acs' || service !== 'kms' || !REGION_ID.test(region) || !ACCOUNT_ID.test(accountId)) {
      return undefined;
    }
    if (resource.startsWith('key/')) {
      const keyId = resource.slice('key/'.length);
      return KMS_KEY_ID.test(keyId) ? { kind: 'key-arn', region, accountId, keyId } : undefined;
    }
    return KMS_ALIAS.test(resource) ? { kind: 'alias-arn', region, accountId, alias: resource } : undefined;
  }
  if (value.startsWith('alias/')) return KMS_ALIAS.test(value) ? { kind: 'alias', alias: value } : undefined;
  return KMS_KEY_ID.test(value) ? { kind: 'id', keyId: value } : undefined;
}

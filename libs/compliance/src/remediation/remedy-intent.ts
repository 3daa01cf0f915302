/**
 * What a failing or unverifiable result asks a person to do, before it is rendered as commands
 * ({@link remediationFor}). Small and serialisable, so results can be stored with it.
 *
 * `set_bucket_encryption` targets: `service_key` (KMS, no key id), `account_key` (KMS with a key the account
 * created: the approved key, else a placeholder), `kms` (KMS with the approved key if the policy names one for
 * the region, else the service key).
 */
export type RemedyIntent =
  | { readonly kind: 'set_bucket_encryption'; readonly target: 'service_key' | 'account_key' | 'kms' }
  | { readonly kind: 'set_table_bucket_encryption' }
  | { readonly kind: 'recreate_table' }
  | { readonly kind: 'enable_key' }
  | { readonly kind: 'cancel_key_deletion' }
  | { readonly kind: 'import_key_material' }
  | { readonly kind: 'enable_key_rotation' }
  | { readonly kind: 'enable_key_deletion_protection' }
  | { readonly kind: 'use_another_key' }
  | { readonly kind: 'restore_visibility' };

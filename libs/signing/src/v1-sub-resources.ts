/**
 * Query parameters that V1 signs as sub-resources of the CanonicalizedResource; every parameter
 * whose name starts with `x-oss-` is signed too (see {@link isV1SubResource}). The server
 * publishes no list, so this is the union of the SDK lists (docs/wire/oss.md §1.5): GO2
 * `oss/signer/v1.go` (plus its per-operation `encryption`), PY2 `signer/v1.py` (`resourceGroup`)
 * and PY1 `oss2/auth.py` (bucket configuration sub-resources). Signer and verifier share it.
 */
export const V1_SUB_RESOURCES: ReadonlySet<string> = new Set([
  // GO2 requiredSignedParametersMap
  'acl',
  'bucketInfo',
  'location',
  'stat',
  'delete',
  'append',
  'tagging',
  'objectMeta',
  'uploads',
  'uploadId',
  'partNumber',
  'security-token',
  'position',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'restore',
  'callback',
  'callback-var',
  'versions',
  'versioning',
  'versionId',
  'sequential',
  'continuation-token',
  'regionList',
  'cloudboxes',
  'symlink',
  // GO2 per-operation sub-resource of Get/Put/DeleteBucketEncryption; PY1, GO1
  'encryption',
  // PY2
  'resourceGroup',
  // PY1 bucket configuration sub-resources
  'logging',
  'website',
  'cors',
  'lifecycle',
  'referer',
  'policy',
  'requestPayment',
  'qos',
  'qosInfo',
  'asyncFetch',
  'inventory',
  'inventoryId',
  'worm',
  'wormId',
  'wormExtend',
  'replication',
  'replicationLocation',
  'replicationProgress',
  'transferAcceleration',
  'objectInfo',
  'live',
  'comp',
  'vod',
  'startTime',
  'endTime',
]);

/** Whether V1 signs this query parameter: a listed sub-resource or any `x-oss-*` parameter. */
export function isV1SubResource(name: string): boolean {
  return V1_SUB_RESOURCES.has(name) || name.startsWith('x-oss-');
}

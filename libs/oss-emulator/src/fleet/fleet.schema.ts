import { z } from 'zod';

import type { FaultRule } from '../faults/fault.types';
import type { BucketSpec, FleetSpec, OperationName, TableBucketSpec } from './fleet.types';
import type { NamespaceSpec, TableSpec } from './fleet.types';
import { kmsKeySpecSchema } from './kms-key.schema';

/**
 * Runtime shapes of the fleet file, the admin API bodies and fault rules. Objects are strict so
 * a misspelt key is reported instead of silently ignored.
 */

const OPERATION_NAMES = [
  'ListBuckets',
  'GetBucketEncryption',
  'PutBucketEncryption',
  'DeleteBucketEncryption',
  'DeleteBucket',
  'ListTableBuckets',
  'GetTableBucketEncryption',
  'PutTableBucketEncryption',
  'DeleteTableBucketEncryption',
  'ListNamespaces',
  'ListTables',
  'GetTableEncryption',
  'DescribeKey',
  'ListAccounts',
  'AssumeRole',
] as const satisfies readonly OperationName[];

const operationName = z.enum(OPERATION_NAMES);
const denySpec = z.union([z.literal('all'), z.array(operationName)]);
const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO date-time');

const accessKey = z.strictObject({
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
});

const stsCredential = z.strictObject({
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  securityToken: z.string().min(1),
  expiresAt: isoDate.optional(),
});

const bucketEncryption = z
  .strictObject({
    sseAlgorithm: z.enum(['KMS', 'AES256', 'SM4']),
    kmsMasterKeyId: z.string().min(1).optional(),
    kmsDataEncryption: z.literal('SM4').optional(),
  })
  .refine(
    (value) =>
      value.sseAlgorithm === 'KMS' ||
      (value.kmsMasterKeyId === undefined && value.kmsDataEncryption === undefined),
    'kmsMasterKeyId and kmsDataEncryption need sseAlgorithm KMS',
  );

export const bucketSpecSchema = z.strictObject({
  name: z.string().min(1),
  region: z.string().min(1),
  creationDate: isoDate.optional(),
  storageClass: z.string().min(1).optional(),
  resourceGroupId: z.string().min(1).optional(),
  encryption: bucketEncryption.nullable().optional(),
  deny: denySpec.optional(),
}) satisfies z.ZodType<BucketSpec>;

const tableBucketEncryption = z.strictObject({
  sseAlgorithm: z.string().min(1),
  kmsKeyArn: z.string().optional(),
});

// Names are checked against the documented rules when the fleet is built (FleetState).
export const tableSpecSchema = z.strictObject({
  name: z.string().min(1),
  createdAt: z.string().min(1).optional(),
  modifiedAt: z.string().min(1).optional(),
  tableId: z.string().min(1).optional(),
  encryption: tableBucketEncryption.nullable().optional(),
  deny: denySpec.optional(),
}) satisfies z.ZodType<TableSpec>;

export const namespaceSpecSchema = z.strictObject({
  name: z.string().min(1),
  createdAt: z.string().min(1).optional(),
  namespaceId: z.string().min(1).optional(),
  tables: z.array(tableSpecSchema).optional(),
}) satisfies z.ZodType<NamespaceSpec>;

export const tableBucketSpecSchema = z.strictObject({
  name: z.string().min(1),
  region: z.string().min(1),
  createdAt: z.string().min(1).optional(),
  tableBucketId: z.string().min(1).optional(),
  encryption: tableBucketEncryption.nullable().optional(),
  deny: denySpec.optional(),
  namespaces: z.array(namespaceSpecSchema).optional(),
}) satisfies z.ZodType<TableBucketSpec>;

/** A table's encryption as the admin API sets it (null removes it). */
export const tableEncryptionSchema = tableBucketEncryption.nullable();

const nonNegativeMs = z.number().min(0);

const fault = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('latency'), fixedMs: nonNegativeMs, jitterMs: nonNegativeMs.optional() }),
  z.strictObject({
    kind: z.literal('error'),
    code: z.enum([
      'InternalError',
      'ServiceUnavailable',
      'MetaOperationQpsLimitExceeded',
      'QpsLimitExceeded',
      'InternalServerErrorException',
      'ServiceUnavailableException',
      'TooManyRequestsException',
    ]),
    status: z.number().int().min(400).max(599).optional(),
    message: z.string().optional(),
  }),
  z.strictObject({ kind: z.literal('reset') }),
  z.strictObject({ kind: z.literal('hang') }),
  z.strictObject({ kind: z.literal('malformed') }),
  z.strictObject({
    kind: z.literal('oversized'),
    bytes: z
      .number()
      .int()
      .min(1)
      .max(512 * 1024 * 1024)
      .optional(),
  }),
  z.strictObject({ kind: z.literal('billionLaughs') }),
  z.strictObject({ kind: z.literal('deepNesting'), depth: z.number().int().min(1).max(100_000).optional() }),
]);

export const faultRuleSchema = z.strictObject({
  match: z.strictObject({
    accountId: z.string().min(1).optional(),
    bucket: z.string().min(1).optional(),
    operation: operationName.optional(),
    region: z.string().min(1).optional(),
  }),
  fault,
  probability: z.number().min(0).max(1).optional(),
  times: z.number().int().min(1).optional(),
}) satisfies z.ZodType<FaultRule>;

export const faultRulesSchema = z.array(faultRuleSchema);

export const accountSpecSchema = z.strictObject({
  id: z.string().regex(/^\d+$/, 'must be digits'),
  displayName: z.string().min(1).optional(),
  accessKeys: z.array(accessKey),
  stsCredentials: z.array(stsCredential).optional(),
  deny: denySpec.optional(),
  buckets: z.array(bucketSpecSchema).default([]),
  tableBuckets: z.array(tableBucketSpecSchema).default([]),
  kmsKeys: z.array(kmsKeySpecSchema).optional(),
});

const role = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9.@_-]{1,64}$/, 'must be a RAM role name'),
  trustsManagement: z.boolean().optional(),
  maxSessionDurationSeconds: z.number().int().min(900).max(43_200).optional(),
});

export const memberSpecSchema = z.strictObject({
  accountId: z.string().regex(/^\d+$/, 'must be digits'),
  displayName: z.string().min(1).optional(),
  folderId: z
    .string()
    .regex(/^fd-[A-Za-z0-9]+$/, 'must be a folder id (fd-...)')
    .optional(),
  roles: z.array(role).optional(),
});

const organization = z.strictObject({
  managementAccountId: z.string().regex(/^\d+$/, 'must be digits'),
  members: z.array(
    z.strictObject({
      accountId: z.string().regex(/^\d+$/, 'must be digits'),
      displayName: z.string().min(1).optional(),
      folderId: z
        .string()
        .regex(/^fd-[A-Za-z0-9]+$/, 'must be a folder id (fd-...)')
        .optional(),
      roles: z.array(role).optional(),
    }),
  ),
  minDurationSeconds: z.number().int().min(1).max(900).optional(),
});

export const fleetSpecSchema = z.strictObject({
  accounts: z.array(accountSpecSchema).min(1),
  faults: faultRulesSchema.optional(),
  clockSkewMs: z.number().optional(),
  tableBucketWithoutEncryption: z.enum(['empty-configuration', 'not-found']).optional(),
  maxPageSize: z.number().int().min(1).max(1000).optional(),
  organization: organization.optional(),
}) satisfies z.ZodType<FleetSpec>;

/** Zod issues as `path: message` lines, the path naming the offending field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
}

import { z } from 'zod';

import { defaultAddressing, endpointUrl, rate, refuseInsecureHttp } from './account.schema';
import { credentialsSchema } from './credentials.schema';
import { namePattern, regionId, roleSessionName, unique, type ConfigEnvironment } from './schema-primitives';

const DEFAULT_ROLE_SESSION_NAME = 'seed-auditor';
const DEFAULT_DURATION_SECONDS = 3600;
const DEFAULT_REFRESH_MARGIN_SECONDS = 300;
// STS AssumeRole: DurationSeconds 900 s to 12 h (the role's maximum session duration caps it).
const STS_MIN_DURATION_SECONDS = 900;

const accountId = z.string().regex(/^[0-9]+$/, 'must be an account uid (digits)');
const folderId = z.string().regex(/^fd-[A-Za-z0-9]+$/, 'must be a Resource Directory folder id (fd-...)');

const memberFilter = z
  .strictObject({
    accountIds: z.array(accountId).default([]),
    /** Globs over the member's display name. */
    names: z.array(namePattern).default([]),
    folderIds: z.array(folderId).default([]),
  })
  .prefault({});

const roleName = z
  .string()
  .regex(/^[A-Za-z0-9.@_-]{1,64}$/, 'must be a RAM role name (1-64 of letters, digits, ".@_-")');

const endpoints = z
  .strictObject({
    resourceManager: endpointUrl.optional(),
    sts: endpointUrl.optional(),
    oss: endpointUrl.optional(),
    tables: endpointUrl.optional(),
    kms: endpointUrl.optional(),
    addressing: z.enum(['virtual-hosted', 'path']).optional(),
    internal: z.boolean().default(false),
    allowInsecureHttp: z.boolean().default(false),
  })
  .superRefine(refuseInsecureHttp(['resourceManager', 'sts', 'oss', 'tables', 'kms']))
  .transform((value) => ({
    resourceManager: value.resourceManager ?? null,
    sts: value.sts ?? null,
    oss: value.oss ?? null,
    tables: value.tables ?? null,
    kms: value.kms ?? null,
    addressing: value.addressing ?? defaultAddressing([value.oss, value.tables]),
    internal: value.internal,
    allowInsecureHttp: value.allowInsecureHttp,
  }))
  .prefault({});

/** What every member is audited with, unless an `accounts[]` entry with its accountId says otherwise. */
const memberDefaults = z
  .strictObject({
    regions: z
      .union([z.literal('all'), unique(regionId, (r) => r, 'region').min(1)], {
        error: 'must be "all" or a list of region ids',
      })
      .default('all'),
    tableRegions: unique(regionId, (r) => r, 'region').optional(),
    discover: z
      .strictObject({
        buckets: z.boolean().default(true),
        tableBuckets: z.boolean().default(true),
        tables: z.boolean().default(true),
      })
      .prefault({}),
    include: z.array(namePattern).default([]),
    exclude: z.array(namePattern).default([]),
    tables: z
      .strictObject({
        include: z.array(namePattern).default([]),
        exclude: z.array(namePattern).default([]),
      })
      .prefault({}),
    signatureVersion: z.enum(['v4', 'v1']).default('v4'),
    rate,
  })
  .superRefine((value, ctx) => {
    if (value.regions === 'all' && value.tableRegions === undefined && value.discover.tableBuckets) {
      ctx.addIssue({
        code: 'custom',
        path: ['tableRegions'],
        message:
          'is required when regions is "all" and discover.tableBuckets is true: table buckets are listed per region',
      });
    }
  })
  .transform((value) => ({
    ...value,
    tableRegions: value.tableRegions ?? (value.regions === 'all' ? [] : value.regions),
  }))
  .prefault({});

/** The `organization` block: audit every member of a Resource Directory through a role. */
export function organizationSchema(env: ConfigEnvironment) {
  return z
    .strictObject({
      credentials: credentialsSchema(env),
      roleName,
      externalId: z.string().min(1).optional(),
      roleSessionName: roleSessionName.default(DEFAULT_ROLE_SESSION_NAME),
      durationSeconds: z.number().int().min(1).max(43_200).default(DEFAULT_DURATION_SECONDS),
      refreshMarginSeconds: z.number().int().min(0).max(3600).default(DEFAULT_REFRESH_MARGIN_SECONDS),
      include: memberFilter,
      exclude: memberFilter,
      endpoints,
      defaults: memberDefaults,
    })
    .superRefine((value, ctx) => {
      // Shorter sessions only serve an emulator that issues them (tests of credential refresh).
      if (value.durationSeconds < STS_MIN_DURATION_SECONDS && value.endpoints.sts === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['durationSeconds'],
          message: `must be ${STS_MIN_DURATION_SECONDS.toString()}-43200 (STS AssumeRole's limits); shorter only with an emulator as endpoints.sts`,
        });
      }
    })
    .transform((value) => ({
      credentials: value.credentials,
      roleName: value.roleName,
      externalId: value.externalId ?? null,
      roleSessionName: value.roleSessionName,
      durationSeconds: value.durationSeconds,
      refreshMarginSeconds: value.refreshMarginSeconds,
      include: value.include,
      exclude: value.exclude,
      endpoints: value.endpoints,
      defaults: value.defaults,
    }));
}

import { isIP } from 'node:net';

import { parseTableBucketArn } from '@app/audit';
import { z } from 'zod';

import type { AddressingStyle } from './audit-config.types';
import { credentialsSchema } from './credentials.schema';
import {
  alias,
  bucketName,
  namePattern,
  positiveInt,
  regionId,
  unique,
  type ConfigEnvironment,
} from './schema-primitives';

// docs/operations.md: per (account, region) start at 10 req/s, AIMD up to 50, floor 1; 8 in flight.
const DEFAULT_RATE = { initialRps: 10, maxRps: 50, minRps: 1, concurrency: 8 };

export const endpointUrl = z.string().transform((raw, ctx) => {
  const problem = endpointProblem(raw);
  if (typeof problem === 'string') {
    ctx.issues.push({ code: 'custom', message: problem, input: raw });
    return z.NEVER;
  }
  return problem.origin;
});

const endpoints = z
  .strictObject({
    oss: endpointUrl.optional(),
    tables: endpointUrl.optional(),
    kms: endpointUrl.optional(),
    addressing: z.enum(['virtual-hosted', 'path']).optional(),
    internal: z.boolean().default(false),
    allowInsecureHttp: z.boolean().default(false),
  })
  .superRefine(refuseInsecureHttp(['oss', 'tables', 'kms']))
  .transform((value) => ({
    oss: value.oss ?? null,
    tables: value.tables ?? null,
    kms: value.kms ?? null,
    addressing: value.addressing ?? defaultAddressing([value.oss, value.tables]),
    internal: value.internal,
    allowInsecureHttp: value.allowInsecureHttp,
  }))
  .prefault({});

export const rate = z
  .strictObject({
    initialRps: z.number().positive().default(DEFAULT_RATE.initialRps),
    maxRps: z.number().positive().default(DEFAULT_RATE.maxRps),
    minRps: z.number().positive().default(DEFAULT_RATE.minRps),
    concurrency: positiveInt(DEFAULT_RATE.concurrency, 1000),
  })
  .superRefine((value, ctx) => {
    if (value.minRps > value.initialRps) {
      ctx.addIssue({ code: 'custom', path: ['minRps'], message: 'must not exceed initialRps' });
    }
    if (value.initialRps > value.maxRps) {
      ctx.addIssue({ code: 'custom', path: ['maxRps'], message: 'must be at least initialRps' });
    }
  })
  .prefault({});

const tableBucketArn = z.string().transform((arn, ctx) => {
  const parsed = parseTableBucketArn(arn);
  if (!parsed.ok) {
    ctx.issues.push({ code: 'custom', message: parsed.error.message, input: arn });
    return z.NEVER;
  }
  return { arn, ...parsed.value };
});

/** One entry of `accounts`. */
export function accountSchema(env: ConfigEnvironment) {
  return z
    .strictObject({
      alias,
      accountId: z
        .string()
        .regex(/^[0-9]+$/, 'must be the account uid (digits)')
        .optional(),
      credentials: credentialsSchema(env),
      regions: z.union([z.literal('all'), unique(regionId, (r) => r, 'region').min(1)], {
        error: 'must be "all" or a list of region ids',
      }),
      tableRegions: unique(regionId, (r) => r, 'region').optional(),
      discover: z
        .strictObject({
          buckets: z.boolean().default(true),
          tableBuckets: z.boolean().default(true),
          tables: z.boolean().default(true),
        })
        .prefault({}),
      buckets: unique(
        z.strictObject({ name: bucketName, region: regionId }),
        (b) => b.name,
        'bucket',
      ).default([]),
      tableBuckets: unique(tableBucketArn, (t) => t.arn, 'table bucket').default([]),
      include: z.array(namePattern).default([]),
      exclude: z.array(namePattern).default([]),
      tables: z
        .strictObject({
          include: z.array(namePattern).default([]),
          exclude: z.array(namePattern).default([]),
        })
        .prefault({}),
      endpoints,
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
      value.tableBuckets.forEach((tableBucket, index) => {
        if (value.accountId !== undefined && tableBucket.accountId !== value.accountId) {
          ctx.addIssue({
            code: 'custom',
            path: ['tableBuckets', index],
            message: `belongs to account ${tableBucket.accountId}, not to this account (${value.accountId})`,
          });
        }
      });
    })
    .transform((value) => ({
      alias: value.alias,
      accountId: value.accountId ?? null,
      credentials: value.credentials,
      regions: value.regions,
      tableRegions: value.tableRegions ?? (value.regions === 'all' ? [] : value.regions),
      discover: value.discover,
      buckets: value.buckets,
      tableBuckets: value.tableBuckets,
      include: value.include,
      exclude: value.exclude,
      tables: value.tables,
      endpoints: value.endpoints,
      signatureVersion: value.signatureVersion,
      rate: value.rate,
    }));
}

// A URL with no scheme means https: http is only ever chosen explicitly.
function endpointProblem(raw: string): string | URL {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  if (!URL.canParse(text)) {
    return 'must be an endpoint URL such as https://oss-cn-hangzhou.aliyuncs.com';
  }
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'must be an http or https URL';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain credentials';
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return 'must be an origin (scheme, host and port) without path, query or fragment';
  }
  return url;
}

/**
 * Refuses an `http:` endpoint among `keys` unless `allowInsecureHttp` is set beside it: OSS is talked
 * to over https except where someone said otherwise on purpose (an emulator).
 */
export function refuseInsecureHttp<Key extends string>(keys: readonly Key[]) {
  return (
    value: Partial<Record<Key, string>> & { allowInsecureHttp: boolean },
    ctx: z.RefinementCtx,
  ): void => {
    for (const key of keys) {
      if (value[key]?.startsWith('http:') === true && !value.allowInsecureHttp) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'http is refused unless allowInsecureHttp: true is set next to it (local emulator only)',
        });
      }
    }
  };
}

export function defaultAddressing(overrides: readonly (string | undefined)[]): AddressingStyle {
  // Virtual-hosted addressing needs DNS for `{bucket}.{host}`, which an IP address or localhost lacks.
  const needsPath = overrides.some((origin) => {
    if (origin === undefined) {
      return false;
    }
    const host = new URL(origin).hostname.replace(/^\[|\]$/g, '');
    return isIP(host) !== 0 || host === 'localhost';
  });
  return needsPath ? 'path' : 'virtual-hosted';
}

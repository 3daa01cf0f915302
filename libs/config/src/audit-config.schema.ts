import { z } from 'zod';

import { accountSchema } from './account.schema';
import { alertsSchema } from './alerts.schema';
import { evidenceSchema } from './evidence.schema';
import { organizationSchema } from './organization.schema';
import { KNOWN_OSS_REGIONS, nearestKnownRegion } from './regions';
import { regionId, type ConfigEnvironment } from './schema-primitives';
import {
  apiSchema,
  workerSchema,
  databaseSchema,
  exceptionsSchema,
  loggingSchema,
  policySchema,
  retentionSchema,
  scanSchema,
  scheduleSchema,
} from './settings.schema';

export type { ConfigEnvironment } from './schema-primitives';

/**
 * Builds the schema of the configuration file. Secrets are never in the file: it names environment
 * variables, which are resolved here (a missing variable is an issue naming key and variable) into
 * `Secret`s.
 */
export function createAuditConfigSchema(env: ConfigEnvironment) {
  return z
    .strictObject({
      accounts: z.array(accountSchema(env)).default([]),
      organization: organizationSchema(env).optional(),
      extraRegions: z.array(regionId).default([]),
      schedule: scheduleSchema,
      scan: scanSchema,
      policy: policySchema,
      exceptions: exceptionsSchema,
      retention: retentionSchema,
      database: databaseSchema(env),
      api: apiSchema,
      worker: workerSchema,
      alerts: alertsSchema(env),
      logging: loggingSchema,
      evidence: evidenceSchema(env),
    })
    .superRefine(checkReferences, { when: () => true })
    .superRefine((config, ctx) => {
      if (config.accounts.length === 0 && config.organization === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['accounts'],
          message: 'at least one account is required (or an organization whose members are audited)',
        });
      }
    })
    .transform(({ organization, ...config }) => ({ ...config, organization: organization ?? null }));
}

// Runs even when other parts are invalid, so it reads what it needs defensively.
function checkReferences(config: unknown, ctx: z.RefinementCtx): void {
  checkRegions(config, ctx);
  const aliases = new Map<string, number>();
  listAt(config, 'accounts').forEach((account, index) => {
    const value = stringAt(account, 'alias');
    if (value === null) {
      return;
    }
    const first = aliases.get(value);
    if (first === undefined) {
      aliases.set(value, index);
    } else {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', index, 'alias'],
        message: `"${value}" is already the alias of accounts[${first}]`,
      });
    }
  });

  const channelNames = new Set<string>();
  listAt(objectAt(config, 'alerts'), 'channels').forEach((channel, index) => {
    const name = stringAt(channel, 'name');
    if (name !== null && channelNames.has(name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['alerts', 'channels', index, 'name'],
        message: `another channel is already named "${name}"`,
      });
    }
    if (name !== null) {
      channelNames.add(name);
    }
    listAt(channel, 'accounts').forEach((accountAlias, position) => {
      if (typeof accountAlias === 'string' && !aliases.has(accountAlias)) {
        ctx.addIssue({
          code: 'custom',
          path: ['alerts', 'channels', index, 'accounts', position],
          message: `no account has the alias "${accountAlias}"`,
        });
      }
    });
  });
}

function objectAt(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function listAt(value: unknown, key: string): readonly unknown[] {
  const list = objectAt(value, key);
  return Array.isArray(list) ? (list as unknown[]) : [];
}

function stringAt(value: unknown, key: string): string | null {
  const found = objectAt(value, key);
  return typeof found === 'string' ? found : null;
}

/**
 * Every region id the accounts name must be one OSS serves (or one the configuration vouches for
 * in `extraRegions`): a typo would otherwise read as a region without resources.
 */
function checkRegions(config: unknown, ctx: z.RefinementCtx): void {
  const known = new Set([...KNOWN_OSS_REGIONS, ...listAt(config, 'extraRegions').filter(isString)]);
  const check = (region: unknown, path: (string | number)[]): void => {
    if (typeof region !== 'string' || known.has(region) || !/^[a-z0-9-]+$/.test(region)) return;
    ctx.addIssue({
      code: 'custom',
      path,
      message: `"${region}" is not an OSS region; did you mean "${nearestKnownRegion(region)}"? (a region newer than Seed's list goes in extraRegions)`,
    });
  };
  listAt(config, 'accounts').forEach((account, index) => {
    const regions = objectAt(account, 'regions');
    const listed = Array.isArray(regions) ? (regions as unknown[]) : [];
    listed.forEach((region, at) => {
      check(region, ['accounts', index, 'regions', at]);
    });
    // Without tableRegions of its own the account's table regions are its regions: reported once.
    listAt(account, 'tableRegions').forEach((region, at) => {
      if (!listed.includes(region)) check(region, ['accounts', index, 'tableRegions', at]);
    });
    listAt(account, 'buckets').forEach((bucket, at) => {
      check(stringAt(bucket, 'region'), ['accounts', index, 'buckets', at, 'region']);
    });
    listAt(account, 'tableBuckets').forEach((tableBucket, at) => {
      const arn = typeof tableBucket === 'string' ? tableBucket : stringAt(tableBucket, 'arn');
      if (arn !== null) check(arn.split(':')[2], ['accounts', index, 'tableBuckets', at]);
    });
  });
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

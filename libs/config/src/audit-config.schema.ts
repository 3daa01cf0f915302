import { z } from 'zod';

import { accountSchema } from './account.schema';
import { alertsSchema } from './alerts.schema';
import type { ConfigEnvironment } from './schema-primitives';
import {
  apiSchema,
  workerSchema,
  databaseSchema,
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
      accounts: z.array(accountSchema(env)).min(1, 'at least one account is required'),
      schedule: scheduleSchema,
      scan: scanSchema,
      policy: policySchema,
      retention: retentionSchema,
      database: databaseSchema(env),
      api: apiSchema,
      worker: workerSchema,
      alerts: alertsSchema(env),
      logging: loggingSchema,
    })
    .superRefine(checkReferences, { when: () => true });
}

// Runs even when other parts are invalid, so it reads what it needs defensively.
function checkReferences(config: unknown, ctx: z.RefinementCtx): void {
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

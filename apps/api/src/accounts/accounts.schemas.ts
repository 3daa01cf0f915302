import type { AccountRecord, ScopeError } from '@app/persistence';
import { z } from 'zod';

import { SEVERITY_VALUES } from '../http/parameters';
import { iso, isoOrNull, TIMESTAMP } from '../http/response-schemas';

const ACCOUNT_ERROR = z
  .object({
    operation: z.string(),
    code: z.string(),
    message: z.string(),
    httpStatus: z.number().int().nullable(),
    host: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AccountError', description: 'The first failure the latest scan met in the account' });

const ACCOUNT_COVERAGE = z
  .object({
    scopes: z.number().int().meta({ description: '(region, kind) listing scopes planned' }),
    complete: z.number().int().meta({ description: 'Scopes listed to their end without errors' }),
    listed: z.number().int(),
    observed: z.number().int(),
  })
  .meta({ id: 'AccountCoverage', description: "The latest scan's coverage of the account" });

export const ACCOUNT = z
  .object({
    alias: z
      .string()
      .meta({ description: 'The name in findings and coverage (a member uid for discovered accounts)' }),
    accountId: z.string().nullable(),
    source: z.enum(['configured', 'discovered']),
    name: z.string().nullable().meta({ description: "A member's display name in the resource directory" }),
    folderId: z.string().nullable(),
    inScope: z.boolean().meta({ description: 'Whether the latest scan planned it' }),
    firstPlannedAt: TIMESTAMP,
    leftAt: TIMESTAMP.nullable().meta({ description: 'When it left the directory, the filter or the file' }),
    lastScanId: z.number().int().nullable(),
    lastReachedAt: TIMESTAMP.nullable().meta({
      description: 'The end of the latest scan that listed or read anything in it',
    }),
    lastError: ACCOUNT_ERROR.nullable(),
    coverage: ACCOUNT_COVERAGE.nullable(),
    openFindings: z
      .partialRecord(z.enum(SEVERITY_VALUES), z.number().int())
      .meta({ description: 'Open findings of its resources, by severity' }),
  })
  .meta({ id: 'Account', description: 'An audited account, configured or discovered' });

export const ACCOUNTS = z
  .object({ items: z.array(ACCOUNT) })
  .meta({ id: 'AccountList', description: 'Every account, those in scope first' });

function presentError(error: ScopeError | null): z.input<typeof ACCOUNT_ERROR> | null {
  if (error === null) return null;
  return {
    operation: error.operation,
    code: error.code,
    message: error.message,
    httpStatus: error.httpStatus,
    host: error.host,
    requestId: error.requestId,
  };
}

export function presentAccount(account: AccountRecord): z.input<typeof ACCOUNT> {
  return {
    alias: account.alias,
    accountId: account.accountId,
    source: account.source,
    name: account.name,
    folderId: account.folderId,
    inScope: account.inScope,
    firstPlannedAt: iso(account.firstPlannedAt),
    leftAt: isoOrNull(account.leftAt),
    lastScanId: account.lastScanId,
    lastReachedAt: isoOrNull(account.lastReachedAt),
    lastError: presentError(account.lastError),
    coverage: account.lastCoverage,
    openFindings: account.openFindings,
  };
}

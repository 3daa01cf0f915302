import { COMPLIANCE_RESOURCE_KINDS, exceptionStateAt, type ComplianceException } from '@app/compliance';
import type { StoredException, StoredExceptionChange } from '@app/persistence';
import { z } from 'zod';

import { enumParameter, FINDING_RULE_VALUES, integerParameter } from '../http/parameters';
import { iso, isoOrNull, TIMESTAMP } from '../http/response-schemas';

const STATE_VALUES = ['pending_approval', 'active', 'expired', 'revoked', 'removed'] as const;

/** Query of `GET /v1/exceptions`. */
export const EXCEPTIONS_QUERY = z.strictObject({
  state: enumParameter(STATE_VALUES, 'Only exceptions in this state now').optional(),
  source: enumParameter(
    ['api', 'file'] as const,
    'Only exceptions from the API or from the exceptions file',
  ).optional(),
});

/** Query of `GET /v1/exceptions/expiring`. */
export const EXPIRING_QUERY = z.strictObject({
  days: integerParameter({
    min: 1,
    max: 365,
    description: 'Active exceptions ending within this many days (default exceptions.expiringWithinDays)',
  }).optional(),
});

/** `{id}` of an exception. */
export const EXCEPTION_ID_PARAMETERS = z.strictObject({
  id: z
    .string({ error: 'must be an exception id' })
    .regex(/^[A-Za-z0-9:._-]{1,200}$/, { error: 'must be an exception id' })
    .meta({ description: 'Exception id (`exc-...`, or `file:<id>` for the exceptions file)' }),
});

const SCOPE = z
  .union([
    z.object({ type: z.literal('resource'), resourceKey: z.string() }),
    z.object({
      type: z.literal('names'),
      accountAlias: z.string(),
      namePatterns: z.array(z.string()).meta({ description: 'Name globs (`*`, `?`)' }),
      region: z.string().nullable(),
      resourceKind: z.enum(COMPLIANCE_RESOURCE_KINDS as readonly [string, ...string[]]).nullable(),
    }),
  ])
  .meta({ id: 'ExceptionScope', description: 'One resource by key, or names within an account' });

/** The body of `POST /v1/exceptions`, documented; the compliance domain validates it (every problem by path). */
export const EXCEPTION_REQUEST = z
  .object({
    scope: SCOPE,
    controlIds: z.array(z.string()).meta({ description: 'Controls it covers (GET /v1/controls)' }),
    findingRules: z.array(z.enum(FINDING_RULE_VALUES)).meta({ description: 'Finding rules it covers' }),
    reason: z.string().meta({ description: '10 to 2000 characters' }),
    owner: z.string().meta({ description: 'Who is accountable for the risk' }),
    approver: z.string().meta({
      description: 'The name of the admin API key that must approve it; never the creating key',
    }),
    ticketUrl: z.string().meta({ description: 'http(s) link to the ticket' }),
    expiresAt: TIMESTAMP.meta({ description: 'Required; at most exceptions.maxDurationDays ahead' }),
  })
  .meta({ id: 'ExceptionRequest' });

/** The body of `POST /v1/exceptions/{id}/revoke`. */
export const REVOCATION_REQUEST = z
  .strictObject({
    reason: z
      .string({ error: 'must be a text' })
      .trim()
      .min(1, { error: 'is required' })
      .max(2000, { error: 'must be at most 2000 characters' }),
  })
  .meta({ id: 'RevocationRequest' });

export const EXCEPTION = z
  .object({
    id: z.string(),
    source: z.enum(['api', 'file']),
    state: z.enum(STATE_VALUES).meta({ description: 'Now; only `active` suppresses' }),
    stale: z.boolean().meta({ description: 'Covers none of the resources in scope (as of staleSince)' }),
    staleSince: TIMESTAMP.nullable(),
    scope: SCOPE,
    controlIds: z.array(z.string()),
    findingRules: z.array(z.string()),
    reason: z.string(),
    owner: z.string(),
    approver: z.string(),
    ticketUrl: z.string(),
    createdBy: z.string(),
    createdAt: TIMESTAMP,
    expiresAt: TIMESTAMP,
    approvedBy: z.string().nullable(),
    approvedAt: TIMESTAMP.nullable(),
    revokedBy: z.string().nullable(),
    revokedAt: TIMESTAMP.nullable(),
    revocationReason: z.string().nullable(),
    removedAt: TIMESTAMP.nullable().meta({ description: 'When a file exception was taken out of the file' }),
  })
  .meta({ id: 'Exception' });

export const EXCEPTION_LIST = z.object({ items: z.array(EXCEPTION) }).meta({ id: 'ExceptionList' });

const EXCEPTION_VALUE = z.record(z.string(), z.unknown()).nullable();

export const EXCEPTION_CHANGE = z
  .object({
    id: z.number().int(),
    exceptionId: z.string(),
    action: z.enum(['created', 'approved', 'revoked', 'file_added', 'file_changed', 'file_removed']),
    actor: z.string(),
    at: TIMESTAMP,
    changedFields: z.array(z.string()),
    note: z.string().nullable(),
    before: EXCEPTION_VALUE,
    after: EXCEPTION_VALUE,
  })
  .meta({ id: 'ExceptionChange', description: 'One entry of the append-only change record' });

export const EXCEPTION_CHANGES = z
  .object({ items: z.array(EXCEPTION_CHANGE) })
  .meta({ id: 'ExceptionChanges', description: 'Oldest first' });

export function presentException(stored: StoredException, at: Date): z.input<typeof EXCEPTION> {
  const { exception } = stored;
  return {
    ...valueOf(exception),
    state: stored.removedAt === null ? exceptionStateAt(exception, at) : 'removed',
    stale: stored.staleSince !== null,
    staleSince: isoOrNull(stored.staleSince),
    removedAt: isoOrNull(stored.removedAt),
  };
}

export function presentChange(change: StoredExceptionChange): z.input<typeof EXCEPTION_CHANGE> {
  return {
    id: change.id,
    exceptionId: change.exceptionId,
    action: change.action,
    actor: change.actor,
    at: iso(change.at),
    changedFields: [...change.changedFields],
    note: change.note,
    before: change.before === null ? null : valueOf(change.before),
    after: change.after === null ? null : valueOf(change.after),
  };
}

function valueOf(exception: ComplianceException) {
  return {
    id: exception.id,
    source: exception.source,
    scope:
      exception.scope.type === 'resource'
        ? { ...exception.scope }
        : { ...exception.scope, namePatterns: [...exception.scope.namePatterns] },
    controlIds: [...exception.controlIds],
    findingRules: [...exception.findingRules],
    reason: exception.reason,
    owner: exception.owner,
    approver: exception.approver,
    ticketUrl: exception.ticketUrl,
    createdBy: exception.createdBy,
    createdAt: iso(exception.createdAt),
    expiresAt: iso(exception.expiresAt),
    approvedBy: exception.approvedBy,
    approvedAt: isoOrNull(exception.approvedAt),
    revokedBy: exception.revokedBy,
    revokedAt: isoOrNull(exception.revokedAt),
    revocationReason: exception.revocationReason,
  };
}

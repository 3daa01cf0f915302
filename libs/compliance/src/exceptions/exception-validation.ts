import { FINDING_RULES, type FindingRule } from '@app/audit';

import { COMPLIANCE_RESOURCE_KINDS } from '../resource-facts';
import { samePerson, type ComplianceException, type ExceptionChange, type ExceptionScope } from './exception';
import { exceptionChangeRecord } from './exception-record';
import { FieldReader, type Validated } from './field-reader';

/** Limits on exceptions: policy, from configuration. */
export interface ExceptionPolicy {
  /** The longest an exception may run, from creation to expiry. */
  readonly maxDurationDays: number;
}

/** Exceptions run at most a year. */
export const DEFAULT_EXCEPTION_POLICY: ExceptionPolicy = Object.freeze({ maxDurationDays: 365 });

/** A request for an exception, validated: what a person asks for, before it is created. */
export interface ExceptionRequest {
  readonly scope: ExceptionScope;
  readonly controlIds: readonly string[];
  readonly findingRules: readonly FindingRule[];
  readonly reason: string;
  readonly owner: string;
  readonly approver: string;
  readonly ticketUrl: string;
  readonly expiresAt: Date;
}

/** What validation checks a request against. */
export interface ExceptionValidationContext {
  /** The creator: the approver must be someone else. */
  readonly createdBy: string;
  /** Creation instant: expiry must fall after it, within the policy's maximum. */
  readonly createdAt: Date;
  readonly policy?: ExceptionPolicy;
  /** The catalogue's control ids; when given, an exception may only name these. */
  readonly knownControlIds?: readonly string[];
}

const REQUEST_FIELDS = [
  'scope',
  'controlIds',
  'findingRules',
  'reason',
  'owner',
  'approver',
  'ticketUrl',
  'expiresAt',
] as const;

const REASON = { min: 10, max: 2000 } as const;
const PERSON = { min: 1, max: 200 } as const;
const ACCOUNT_ALIAS = /^[a-z0-9-]+$/;
const REGION = /^[a-z0-9-]+$/;
const RESOURCE_KEY = /^\S{1,1024}$/;
const NAME_PATTERN = /^\S{1,255}$/;
const CONTROL_ID = /^[a-z0-9][a-z0-9.-]*$/;
const ONLY_WILDCARDS = /^[*?]+$/;
const DAY_MS = 86_400_000;

/**
 * Validates a request for an exception (from the API), field by field: scope (one resource key, or an account's
 * name globs that name something: not only wildcards), what it covers (at least one known control or finding
 * rule), a reason of 10 to 2000 characters, owner, an approver who is not the creator, an http(s) ticket URL, and
 * an expiry after creation and within the policy's maximum.
 */
export function validateExceptionRequest(
  input: unknown,
  context: ExceptionValidationContext,
): Validated<ExceptionRequest> {
  const reader = new FieldReader('');
  const fields = reader.object(input, '', REQUEST_FIELDS);
  if (fields === null) return { ok: false, problems: reader.problems };
  const request = readRequest(reader, fields, context);
  return request === null || reader.problems.length > 0
    ? { ok: false, problems: reader.problems }
    : { ok: true, value: request };
}

/**
 * Validates a request and creates the exception it asks for: source `api`, pending approval, created by the
 * caller at `at`, with its `created` record.
 */
export function createException(
  input: unknown,
  context: {
    readonly id: string;
    readonly createdBy: string;
    readonly at: Date;
    readonly policy?: ExceptionPolicy;
    readonly knownControlIds?: readonly string[];
  },
): Validated<ExceptionChange> {
  const validated = validateExceptionRequest(input, { ...context, createdAt: context.at });
  if (!validated.ok) return validated;
  const exception = exceptionFromRequest(validated.value, {
    id: context.id,
    source: 'api',
    createdBy: context.createdBy.trim(),
    createdAt: context.at,
    approvedAt: null,
  });
  return {
    ok: true,
    value: {
      exception,
      record: exceptionChangeRecord({
        action: 'created',
        actor: context.createdBy,
        at: context.at,
        before: null,
        after: exception,
      }),
    },
  };
}

/**
 * Reads the request fields of `fields` (an API body, or one entry of the exceptions file). A null creator or
 * creation instant (a file entry missing them) skips the checks that compare with them.
 */
export function readRequest(
  reader: FieldReader,
  fields: Readonly<Record<string, unknown>>,
  context: Omit<ExceptionValidationContext, 'createdBy' | 'createdAt'> & {
    readonly createdBy: string | null;
    readonly createdAt: Date | null;
  },
): ExceptionRequest | null {
  const policy = context.policy ?? DEFAULT_EXCEPTION_POLICY;
  const scope = readScope(reader, fields.scope);
  const controlIds = reader.list(
    fields,
    'controlIds',
    (value, path) => {
      if (typeof value !== 'string' || !CONTROL_ID.test(value))
        return reader.problem(path, 'must be a control id');
      if (context.knownControlIds !== undefined && !context.knownControlIds.includes(value)) {
        return reader.problem(path, `is not a control of the catalogue ("${value}")`);
      }
      return value;
    },
    { max: 100 },
  );
  const findingRules = reader.list(
    fields,
    'findingRules',
    (value, path) =>
      FINDING_RULES.find((rule) => rule === value) ??
      reader.problem(path, `must be one of ${FINDING_RULES.join(', ')}`),
    { max: FINDING_RULES.length },
  ) as FindingRule[] | null;
  if (controlIds !== null && findingRules !== null && controlIds.length + findingRules.length === 0) {
    reader.problem('controlIds', 'an exception must cover at least one control or finding rule');
  }
  const reason = reader.text(fields, 'reason', REASON);
  const owner = reader.text(fields, 'owner', PERSON);
  const approver = reader.text(fields, 'approver', PERSON);
  if (approver !== null && context.createdBy !== null && samePerson(approver, context.createdBy)) {
    reader.problem('approver', 'must be someone other than the creator');
  }
  const ticketUrl = reader.url(fields, 'ticketUrl');
  const expiresAt = reader.instant(fields, 'expiresAt');
  if (expiresAt !== null && context.createdAt !== null) {
    const created = context.createdAt.getTime();
    if (expiresAt.getTime() <= created) {
      reader.problem('expiresAt', 'must be after the exception is created');
    } else if (expiresAt.getTime() - created > policy.maxDurationDays * DAY_MS) {
      reader.problem('expiresAt', `must be at most ${policy.maxDurationDays} days after creation (policy)`);
    }
  }
  if (
    scope === null ||
    controlIds === null ||
    findingRules === null ||
    reason === null ||
    owner === null ||
    approver === null ||
    ticketUrl === null ||
    expiresAt === null
  ) {
    return null;
  }
  return { scope, controlIds, findingRules, reason, owner, approver, ticketUrl, expiresAt };
}

/** The exception a validated request becomes, not yet approved (unless `approvedAt` says so) nor revoked. */
export function exceptionFromRequest(
  request: ExceptionRequest,
  meta: Pick<ComplianceException, 'id' | 'source' | 'createdBy' | 'createdAt' | 'approvedAt'>,
): ComplianceException {
  return {
    id: meta.id,
    source: meta.source,
    ...request,
    createdBy: meta.createdBy,
    createdAt: meta.createdAt,
    approvedBy: meta.approvedAt === null ? null : request.approver,
    approvedAt: meta.approvedAt,
    revokedBy: null,
    revokedAt: null,
    revocationReason: null,
  };
}

function readScope(reader: FieldReader, value: unknown): ExceptionScope | null {
  if (value === undefined || value === null) return reader.problem('scope', 'is required');
  const typed = reader.object(value, 'scope', [
    'type',
    'resourceKey',
    'accountAlias',
    'namePatterns',
    'region',
    'resourceKind',
  ]);
  if (typed === null) return null;
  const scope = reader.nested('scope');
  const type = scope.oneOf(typed, 'type', ['resource', 'names'] as const);
  if (type === 'resource') {
    for (const field of ['accountAlias', 'namePatterns', 'region', 'resourceKind']) {
      if (typed[field] !== undefined) scope.problem(field, 'is not part of a resource scope');
    }
    const resourceKey = scope.matching(typed, 'resourceKey', RESOURCE_KEY, 'a resource key without spaces');
    return resourceKey === null ? null : { type, resourceKey };
  }
  if (type === 'names') {
    if (typed.resourceKey !== undefined) scope.problem('resourceKey', 'is not part of a names scope');
    const accountAlias = scope.matching(
      typed,
      'accountAlias',
      ACCOUNT_ALIAS,
      'an account alias (lowercase letters, digits, -)',
    );
    const namePatterns = scope.list(
      typed,
      'namePatterns',
      (pattern, path) => {
        if (typeof pattern !== 'string' || !NAME_PATTERN.test(pattern)) {
          return scope.problem(path, 'must be a name glob without spaces');
        }
        if (ONLY_WILDCARDS.test(pattern)) {
          return scope.problem(path, 'matches every name of the account: name the resources it covers');
        }
        return pattern;
      },
      { max: 50 },
    );
    if (namePatterns !== null && namePatterns.length === 0)
      scope.problem('namePatterns', 'must name at least one glob');
    const region = scope.matching(typed, 'region', REGION, 'a region id (cn-hangzhou)', true);
    const regionValid = typed.region === undefined || typed.region === null || region !== null;
    const resourceKind = scope.oneOf(typed, 'resourceKind', COMPLIANCE_RESOURCE_KINDS, true);
    const kindValid =
      typed.resourceKind === undefined || typed.resourceKind === null || resourceKind !== null;
    if (
      accountAlias === null ||
      namePatterns === null ||
      namePatterns.length === 0 ||
      !regionValid ||
      !kindValid
    ) {
      return null;
    }
    return { type, accountAlias, namePatterns, region, resourceKind };
  }
  return null;
}

import { compileNamePattern } from '@app/audit';

import { ComplianceError } from '../compliance-error';
import type { ComplianceResourceRef } from '../resource-facts';
import { exceptionChangeRecord, type ExceptionChangeRecord } from './exception-record';
import type { ComplianceException, ExceptionScope, ExceptionState, ExceptionTarget } from './exception.types';

export type {
  ComplianceException,
  ExceptionScope,
  ExceptionSource,
  ExceptionState,
  ExceptionTarget,
} from './exception.types';

/** A new exception value and the record of the change that made it. */
export interface ExceptionChange {
  readonly exception: ComplianceException;
  readonly record: ExceptionChangeRecord;
}

const DAY_MS = 86_400_000;

/**
 * The state at `at`: revoked from its revocation on, expired from its expiry on (an exception never outlives
 * `expiresAt`, approved or not), active from its approval on, pending approval before.
 */
export function exceptionStateAt(exception: ComplianceException, at: Date): ExceptionState {
  const now = at.getTime();
  if (exception.revokedAt !== null && exception.revokedAt.getTime() <= now) return 'revoked';
  if (exception.expiresAt.getTime() <= now) return 'expired';
  if (exception.approvedAt !== null && exception.approvedAt.getTime() <= now) return 'active';
  return 'pending_approval';
}

/** True when the exception's scope covers the resource and it covers the control or rule, whatever its state. */
export function exceptionMatches(
  exception: ComplianceException,
  resource: ComplianceResourceRef,
  target: ExceptionTarget,
): boolean {
  const covers =
    'controlId' in target
      ? exception.controlIds.includes(target.controlId)
      : exception.findingRules.includes(target.findingRule);
  return covers && scopeMatches(exception.scope, resource);
}

/** True when the scope covers the resource: by key, or by account, name glob, region and kind. */
export function scopeMatches(scope: ExceptionScope, resource: ComplianceResourceRef): boolean {
  if (scope.type === 'resource') return scope.resourceKey === resource.resourceKey;
  return (
    scope.accountAlias === resource.accountAlias &&
    (scope.region === null || scope.region === resource.region) &&
    (scope.resourceKind === null || scope.resourceKind === resource.kind) &&
    compiledPatterns(scope).some((pattern) => pattern.test(resource.name))
  );
}

// A scan matches every resource against the same few exceptions: compile each scope's globs once.
const COMPILED = new WeakMap<ExceptionScope, readonly RegExp[]>();

function compiledPatterns(scope: Extract<ExceptionScope, { type: 'names' }>): readonly RegExp[] {
  let patterns = COMPILED.get(scope);
  if (patterns === undefined) {
    patterns = scope.namePatterns.map(compileNamePattern);
    COMPILED.set(scope, patterns);
  }
  return patterns;
}

/** The exceptions that suppress a control or finding rule for a resource at `at`: matching and active. */
export function activeExceptionsFor(
  exceptions: readonly ComplianceException[],
  resource: ComplianceResourceRef,
  target: ExceptionTarget,
  at: Date,
): ComplianceException[] {
  return exceptions.filter(
    (exception) =>
      exceptionStateAt(exception, at) === 'active' && exceptionMatches(exception, resource, target),
  );
}

/**
 * Approves a pending exception. Refused (`ComplianceError`) when the approver created it (`SELF_APPROVAL`), is
 * not the approver it names (`NOT_THE_NAMED_APPROVER`), or it is no longer pending (`EXCEPTION_NOT_PENDING`).
 * People are compared trimmed and case-insensitively (`Alice@Example.com` is `alice@example.com`).
 */
export function approveException(
  exception: ComplianceException,
  approval: { readonly by: string; readonly at: Date },
): ExceptionChange {
  if (samePerson(approval.by, exception.createdBy)) {
    throw new ComplianceError(
      'SELF_APPROVAL',
      `Exception ${exception.id} was created by ${exception.createdBy}, who cannot approve it`,
    );
  }
  if (!samePerson(approval.by, exception.approver)) {
    throw new ComplianceError(
      'NOT_THE_NAMED_APPROVER',
      `Exception ${exception.id} names ${exception.approver} as its approver, not ${approval.by}`,
    );
  }
  const state = exceptionStateAt(exception, approval.at);
  if (state !== 'pending_approval') {
    throw new ComplianceError(
      'EXCEPTION_NOT_PENDING',
      `Exception ${exception.id} is ${state}, not pending approval`,
    );
  }
  const approved = { ...exception, approvedBy: approval.by.trim(), approvedAt: approval.at };
  return {
    exception: approved,
    record: exceptionChangeRecord({
      action: 'approved',
      actor: approval.by,
      at: approval.at,
      before: exception,
      after: approved,
    }),
  };
}

/**
 * Revokes a pending or active exception, with a reason. Refused (`EXCEPTION_NOT_REVOCABLE`) once it has
 * expired or been revoked, and (`INVALID_CHANGE`) without a reason.
 */
export function revokeException(
  exception: ComplianceException,
  revocation: { readonly by: string; readonly at: Date; readonly reason: string },
): ExceptionChange {
  const state = exceptionStateAt(exception, revocation.at);
  if (state === 'expired' || state === 'revoked') {
    throw new ComplianceError('EXCEPTION_NOT_REVOCABLE', `Exception ${exception.id} is already ${state}`);
  }
  const reason = revocation.reason.trim();
  if (reason === '') {
    throw new ComplianceError('INVALID_CHANGE', `Revoking exception ${exception.id} needs a reason`);
  }
  const revoked = {
    ...exception,
    revokedBy: revocation.by.trim(),
    revokedAt: revocation.at,
    revocationReason: reason,
  };
  return {
    exception: revoked,
    record: exceptionChangeRecord({
      action: 'revoked',
      actor: revocation.by,
      at: revocation.at,
      before: exception,
      after: revoked,
      note: reason,
    }),
  };
}

/** Active exceptions that expire within `days` after `at` (an exception expiring exactly then included). */
export function exceptionsExpiringWithin(
  exceptions: readonly ComplianceException[],
  days: number,
  at: Date,
): ComplianceException[] {
  const horizon = at.getTime() + days * DAY_MS;
  return exceptions.filter(
    (exception) => exceptionStateAt(exception, at) === 'active' && exception.expiresAt.getTime() <= horizon,
  );
}

/** True when the exception's scope covers none of the given resources (those in scope of the audit). */
export function isStaleException(
  exception: ComplianceException,
  resources: readonly ComplianceResourceRef[],
): boolean {
  return !resources.some((resource) => scopeMatches(exception.scope, resource));
}

/** Pending or active exceptions that cover none of the given resources any more. */
export function staleExceptions(
  exceptions: readonly ComplianceException[],
  resources: readonly ComplianceResourceRef[],
  at: Date,
): ComplianceException[] {
  return exceptions.filter((exception) => {
    const state = exceptionStateAt(exception, at);
    return (state === 'active' || state === 'pending_approval') && isStaleException(exception, resources);
  });
}

/** The same person, whatever the case and surrounding spaces. */
export function samePerson(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

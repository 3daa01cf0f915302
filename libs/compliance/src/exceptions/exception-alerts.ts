import {
  alertDedupeKey,
  type ExceptionAlertPayload,
  type ExceptionAlertSeverities,
  type ExceptionStalePayload,
  type Severity,
} from '@app/audit';

import { exceptionsExpiringWithin } from './exception';
import type { ComplianceException } from './exception.types';

/** An alert about an accountable exception, ready for the outbox. */
export type ExceptionAlert =
  | {
      readonly eventType: 'exception_expiring';
      readonly dedupeKey: string;
      readonly severity: Severity;
      readonly exceptionId: string;
      readonly payload: ExceptionAlertPayload;
    }
  | {
      readonly eventType: 'exception_stale';
      readonly dedupeKey: string;
      readonly severity: Severity;
      readonly exceptionId: string;
      readonly payload: ExceptionStalePayload;
    };

/** A stale exception with the scan that first found it covering nothing. */
export interface StaleExceptionMark {
  readonly exception: ComplianceException;
  readonly staleSince: Date;
  readonly staleScanId: number;
}

/** What a scan's exception alerts are computed from. */
export interface ExceptionAlertInput {
  readonly exceptions: readonly ComplianceException[];
  readonly stale: readonly StaleExceptionMark[];
  /** Active exceptions ending within this many days of `at` alert as expiring. */
  readonly expiringWithinDays: number;
  readonly severities: ExceptionAlertSeverities;
  readonly at: Date;
  /** The account of a resource key (for resource scopes), or null when it is not known. */
  readonly accountOfResource: (resourceKey: string) => string | null;
}

/**
 * The alerts a scan raises about exceptions: one per exception entering the expiry window (keyed by
 * its expiry date) and one per stale spell (keyed by the scan that first found it stale). The keys
 * make them fire once per transition however many scans see the same state.
 */
export function exceptionAlerts(input: ExceptionAlertInput): ExceptionAlert[] {
  const expiring = exceptionsExpiringWithin(input.exceptions, input.expiringWithinDays, input.at).map(
    (exception): ExceptionAlert => ({
      eventType: 'exception_expiring',
      dedupeKey: alertDedupeKey.exceptionExpiring(exception.id, exception.expiresAt),
      severity: input.severities.expiring,
      exceptionId: exception.id,
      payload: exceptionAlertPayload(exception, input.accountOfResource),
    }),
  );
  const stale = input.stale.map(({ exception, staleSince, staleScanId }): ExceptionAlert => ({
    eventType: 'exception_stale',
    dedupeKey: alertDedupeKey.exceptionStale(exception.id, staleScanId),
    severity: input.severities.stale,
    exceptionId: exception.id,
    payload: {
      ...exceptionAlertPayload(exception, input.accountOfResource),
      staleSince: staleSince.toISOString(),
      staleScanId,
    },
  }));
  return [...expiring, ...stale];
}

/** What an alert says of an exception: who answers for it, what it covers, until when. */
export function exceptionAlertPayload(
  exception: ComplianceException,
  accountOfResource: (resourceKey: string) => string | null,
): ExceptionAlertPayload {
  const { scope } = exception;
  return {
    exceptionId: exception.id,
    scope:
      scope.type === 'resource'
        ? { type: 'resource', resourceKey: scope.resourceKey }
        : {
            type: 'names',
            accountAlias: scope.accountAlias,
            namePatterns: scope.namePatterns,
            region: scope.region,
            resourceKind: scope.resourceKind,
          },
    accountAlias: scope.type === 'resource' ? accountOfResource(scope.resourceKey) : scope.accountAlias,
    controlIds: exception.controlIds,
    findingRules: exception.findingRules,
    owner: exception.owner,
    approver: exception.approver,
    ticketUrl: exception.ticketUrl,
    expiresAt: exception.expiresAt.toISOString(),
  };
}

import { describeScopeError, type ScanEvent } from '@app/scanner';

/** One log line of a scan's lifecycle: its level, its structured fields and its message. */
export interface ScanEventLine {
  readonly level: 'info' | 'warn';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/**
 * How the worker logs a scan's lifecycle: its start (trigger, scopes), every scope that could not
 * be listed (with the error that proves it, never a secret), and its end (status, counts, duration,
 * why it failed). A scope error is `warn`: the scan goes on, but its answer is no longer complete.
 */
export function scanEventLine(event: ScanEvent): ScanEventLine {
  switch (event.type) {
    case 'scan_started':
      return {
        level: 'info',
        fields: { scanId: event.scanId, trigger: event.trigger, scopes: event.scopes },
        message: `scan ${event.scanId.toString()} started (${event.trigger}): ${event.scopes.toString()} listing scope(s)`,
      };
    case 'scope_failed': {
      const where = `${event.accountAlias}/${event.kind}/${event.scope}`;
      return {
        level: 'warn',
        fields: {
          scanId: event.scanId,
          account: event.accountAlias,
          kind: event.kind,
          scope: event.scope,
          code: event.error.code,
          httpStatus: event.error.httpStatus,
          host: event.error.host,
          requestId: event.error.requestId,
        },
        message: `scan ${event.scanId.toString()}: ${where} could not be listed: ${describeScopeError(event.error)}`,
      };
    }
    case 'exceptions_file_rejected':
      return {
        level: 'warn',
        fields: { scanId: event.scanId, path: event.path, problems: event.problems },
        message:
          `scan ${event.scanId.toString()}: the exceptions file ${event.path} was rejected (the exceptions ` +
          `read before stay in force): ${event.problems.join('; ')}`,
      };
    case 'scan_finished': {
      const { scan, counts, compliance } = event;
      const seconds =
        scan.finishedAt === null ? null : (scan.finishedAt.getTime() - scan.startedAt.getTime()) / 1000;
      const listed = scan.coverage.reduce((total, row) => total + row.listed, 0);
      const observed = scan.coverage.reduce((total, row) => total + row.observed, 0);
      const notProved = scan.coverage.filter((row) => !row.enumerationComplete).length;
      const duration = seconds === null ? '' : ` in ${seconds.toFixed(1)} s`;
      return {
        level: 'info',
        fields: {
          scanId: scan.id,
          status: scan.status,
          durationSeconds: seconds,
          listed,
          observed,
          scopes: scan.coverage.length,
          scopesNotProved: notProved,
          findingsOpened: counts.opened,
          findingsResolved: counts.resolved,
          drift: counts.drift,
          alerts: counts.alerts,
          ...(compliance === null
            ? {}
            : {
                controlResults: compliance.controlResults,
                findingsSuppressed: compliance.findingsSuppressed,
                findingsReopened: compliance.findingsReopened,
                staleExceptions: compliance.staleExceptionIds,
                expiringExceptions: compliance.expiring.map((exception) => ({
                  id: exception.id,
                  owner: exception.owner,
                  expiresAt: exception.expiresAt.toISOString(),
                })),
                exceptionAlerts: compliance.exceptionAlerts,
              }),
          ...(scan.failureReason === null ? {} : { failureReason: scan.failureReason }),
        },
        message:
          `scan ${scan.id.toString()} ${scan.status}${duration}: ${observed.toString()} of ${listed.toString()} ` +
          `resources observed, ${notProved.toString()} of ${scan.coverage.length.toString()} scopes not proved, ` +
          `${counts.opened.toString()} findings opened, ${counts.resolved.toString()} resolved` +
          (scan.failureReason === null ? '' : `; ${scan.failureReason}`),
      };
    }
  }
}

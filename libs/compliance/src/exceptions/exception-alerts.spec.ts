import { AT, exceptionOf, resourceOf } from '../testing/facts';
import { exceptionAlerts, type ExceptionAlertInput } from './exception-alerts';

const DAY_MS = 86_400_000;
const inDays = (days: number): Date => new Date(AT.getTime() + days * DAY_MS);
const SEVERITIES = { expiring: 'medium', stale: 'low' } as const;
const BUCKET_KEY = resourceOf('bucket').resourceKey;

function input(overrides: Partial<ExceptionAlertInput>): ExceptionAlertInput {
  return {
    exceptions: [],
    stale: [],
    expiringWithinDays: 14,
    severities: SEVERITIES,
    at: AT,
    accountOfResource: (resourceKey) => (resourceKey === BUCKET_KEY ? 'prod' : null),
    ...overrides,
  };
}

describe('exceptionAlerts', () => {
  it('alerts an active exception ending within the window, keyed by its expiry date, with what it covers', () => {
    const exception = exceptionOf({
      findingRules: ['unencrypted'],
      controlIds: ['cis-5.8'],
      expiresAt: inDays(3),
    });
    expect(exceptionAlerts(input({ exceptions: [exception] }))).toEqual([
      {
        eventType: 'exception_expiring',
        dedupeKey: `exception_expiring:exc-1:${inDays(3).toISOString()}`,
        severity: 'medium',
        exceptionId: 'exc-1',
        payload: {
          exceptionId: 'exc-1',
          scope: { type: 'resource', resourceKey: BUCKET_KEY },
          accountAlias: 'prod',
          controlIds: ['cis-5.8'],
          findingRules: ['unencrypted'],
          owner: 'alice@example.com',
          approver: 'bob@example.com',
          ticketUrl: 'https://jira.example.com/browse/SEC-42',
          expiresAt: inDays(3).toISOString(),
        },
      },
    ]);
  });

  it('keys an exception extended to a new date anew, so it alerts again when that date nears', () => {
    const [before] = exceptionAlerts(input({ exceptions: [exceptionOf({ expiresAt: inDays(3) })] }));
    const [after] = exceptionAlerts(input({ exceptions: [exceptionOf({ expiresAt: inDays(10) })] }));
    expect(before?.dedupeKey).not.toBe(after?.dedupeKey);
  });

  it('says nothing of exceptions beyond the window, revoked, expired or pending approval', () => {
    const exceptions = [
      exceptionOf({ id: 'far', expiresAt: inDays(30) }),
      exceptionOf({
        id: 'revoked',
        expiresAt: inDays(3),
        revokedAt: inDays(-1),
        revokedBy: 'bob@example.com',
      }),
      exceptionOf({ id: 'expired', expiresAt: inDays(-1) }),
      exceptionOf({ id: 'pending', expiresAt: inDays(3), approvedAt: null, approvedBy: null }),
    ];
    expect(exceptionAlerts(input({ exceptions }))).toEqual([]);
  });

  it('alerts a stale exception keyed by the scan that first found it stale, with its name-glob scope', () => {
    const exception = exceptionOf({
      id: 'exc-tmp',
      scope: {
        type: 'names',
        accountAlias: 'dev',
        namePatterns: ['tmp-*'],
        region: null,
        resourceKind: 'bucket',
      },
    });
    const [alert] = exceptionAlerts(
      input({ stale: [{ exception, staleSince: inDays(-2), staleScanId: 41 }] }),
    );
    expect(alert).toMatchObject({
      eventType: 'exception_stale',
      dedupeKey: 'exception_stale:exc-tmp:41',
      severity: 'low',
      payload: {
        scope: {
          type: 'names',
          accountAlias: 'dev',
          namePatterns: ['tmp-*'],
          region: null,
          resourceKind: 'bucket',
        },
        accountAlias: 'dev',
        staleSince: inDays(-2).toISOString(),
        staleScanId: 41,
      },
    });
  });

  it('leaves the account of a resource scope unknown when the resource was never seen', () => {
    const exception = exceptionOf({
      scope: { type: 'resource', resourceKey: 'oss:gone' },
      expiresAt: inDays(1),
    });
    expect(exceptionAlerts(input({ exceptions: [exception] }))[0]?.payload.accountAlias).toBeNull();
  });
});

import { ComplianceError } from '../compliance-error';
import { AT, exceptionOf, resourceOf, thrownBy } from '../testing/facts';
import {
  activeExceptionsFor,
  approveException,
  exceptionMatches,
  exceptionStateAt,
  exceptionsExpiringWithin,
  isStaleException,
  revokeException,
  staleExceptions,
  type ComplianceException,
  type ExceptionScope,
} from './exception';

const at = (instant: string): Date => new Date(instant);

const pending = exceptionOf({ approvedBy: null, approvedAt: null });

function namesScope(overrides: Partial<Extract<ExceptionScope, { type: 'names' }>> = {}): ExceptionScope {
  return {
    type: 'names',
    accountAlias: 'prod',
    namePatterns: ['logs-*'],
    region: null,
    resourceKind: null,
    ...overrides,
  };
}

describe('exceptionStateAt', () => {
  const approved = exceptionOf({
    approvedAt: at('2025-05-02T00:00:00Z'),
    expiresAt: at('2025-12-31T00:00:00Z'),
  });

  it.each([
    ['2025-05-01T12:00:00Z', 'pending_approval'],
    ['2025-05-02T00:00:00Z', 'active'],
    ['2025-12-30T23:59:59Z', 'active'],
    ['2025-12-31T00:00:00Z', 'expired'],
  ] as const)('at %s an approved exception is %s', (instant, state) => {
    expect(exceptionStateAt(approved, at(instant))).toBe(state);
  });

  it('stays pending until approved, and expires unapproved', () => {
    expect(exceptionStateAt(pending, at('2025-11-01T00:00:00Z'))).toBe('pending_approval');
    expect(exceptionStateAt(pending, at('2026-01-01T00:00:00Z'))).toBe('expired');
  });

  it('is revoked from its revocation on, and stays revoked after its expiry', () => {
    const revoked = {
      ...approved,
      revokedAt: at('2025-07-01T00:00:00Z'),
      revokedBy: 'carol',
      revocationReason: 'done',
    };
    expect(exceptionStateAt(revoked, at('2025-06-30T00:00:00Z'))).toBe('active');
    expect(exceptionStateAt(revoked, at('2025-07-01T00:00:00Z'))).toBe('revoked');
    expect(exceptionStateAt(revoked, at('2026-02-01T00:00:00Z'))).toBe('revoked');
  });
});

describe('approveException', () => {
  it('refuses the creator, whatever the case of the name', () => {
    const error = thrownBy(() => approveException(pending, { by: ' Alice@Example.com ', at: AT }));
    expect(error).toBeInstanceOf(ComplianceError);
    expect((error as ComplianceError).code).toBe('SELF_APPROVAL');
  });

  it('refuses the creator even when the creator is the named approver', () => {
    const self = { ...pending, approver: 'alice@example.com' };
    expect(
      (thrownBy(() => approveException(self, { by: 'alice@example.com', at: AT })) as ComplianceError).code,
    ).toBe('SELF_APPROVAL');
  });

  it('refuses someone other than the named approver', () => {
    const error = thrownBy(() => approveException(pending, { by: 'mallory@example.com', at: AT }));
    expect((error as ComplianceError).code).toBe('NOT_THE_NAMED_APPROVER');
  });

  it('refuses an exception that is no longer pending', () => {
    const error = thrownBy(() => approveException(exceptionOf(), { by: 'bob@example.com', at: AT }));
    expect((error as ComplianceError).code).toBe('EXCEPTION_NOT_PENDING');
  });

  it('activates a pending exception and records who approved it, when', () => {
    const { exception, record } = approveException(pending, { by: 'bob@example.com', at: AT });
    expect(exceptionStateAt(exception, AT)).toBe('active');
    expect(exception).toMatchObject({ approvedBy: 'bob@example.com', approvedAt: AT });
    expect(record).toMatchObject({
      exceptionId: 'exc-1',
      action: 'approved',
      actor: 'bob@example.com',
      at: AT,
      before: pending,
      after: exception,
      changedFields: ['approvedBy', 'approvedAt'],
    });
  });
});

describe('revokeException', () => {
  it('ends an active exception with a reason, on the record', () => {
    const { exception, record } = revokeException(exceptionOf(), {
      by: 'carol@example.com',
      at: AT,
      reason: ' Migrated ',
    });
    expect(exceptionStateAt(exception, AT)).toBe('revoked');
    expect(record).toMatchObject({
      action: 'revoked',
      note: 'Migrated',
      changedFields: ['revokedBy', 'revokedAt', 'revocationReason'],
    });
  });

  it('refuses an expired exception and a revocation without a reason', () => {
    const expired = exceptionOf({ expiresAt: at('2025-05-31T00:00:00Z') });
    expect(
      (thrownBy(() => revokeException(expired, { by: 'c', at: AT, reason: 'x' })) as ComplianceError).code,
    ).toBe('EXCEPTION_NOT_REVOCABLE');
    expect(
      (thrownBy(() => revokeException(exceptionOf(), { by: 'c', at: AT, reason: '  ' })) as ComplianceError)
        .code,
    ).toBe('INVALID_CHANGE');
  });
});

describe('exceptionMatches', () => {
  const logs = { ...resourceOf('bucket', 'logs-2024'), accountAlias: 'prod' };

  it('matches one resource by its key, for the controls and rules it covers only', () => {
    const exception = exceptionOf({
      scope: { type: 'resource', resourceKey: logs.resourceKey },
      controlIds: ['cis-alibaba-v2.0.0-5.9'],
      findingRules: ['kms_default_key'],
    });
    expect(exceptionMatches(exception, logs, { controlId: 'cis-alibaba-v2.0.0-5.9' })).toBe(true);
    expect(exceptionMatches(exception, logs, { findingRule: 'kms_default_key' })).toBe(true);
    expect(exceptionMatches(exception, logs, { controlId: 'cis-alibaba-v2.0.0-5.8' })).toBe(false);
    expect(exceptionMatches(exception, logs, { findingRule: 'unencrypted' })).toBe(false);
    expect(
      exceptionMatches(exception, resourceOf('bucket', 'other'), { findingRule: 'kms_default_key' }),
    ).toBe(false);
  });

  it.each([
    ['a matching glob', namesScope(), true],
    ['another account', namesScope({ accountAlias: 'dev' }), false],
    ['a glob that does not match', namesScope({ namePatterns: ['app-*', 'logs-202?-*'] }), false],
    ['one of several globs', namesScope({ namePatterns: ['app-*', 'logs-202?'] }), true],
    ['the same region', namesScope({ region: 'cn-hangzhou' }), true],
    ['another region', namesScope({ region: 'cn-shanghai' }), false],
    ['the same kind', namesScope({ resourceKind: 'bucket' }), true],
    ['another kind', namesScope({ resourceKind: 'table_bucket' }), false],
  ] as const)('by names: %s matches %s', (_, scope, matches) => {
    const exception = exceptionOf({ scope, controlIds: ['seed-encryption-verifiable'] });
    expect(exceptionMatches(exception, logs, { controlId: 'seed-encryption-verifiable' })).toBe(matches);
  });

  it('treats glob characters as wildcards and everything else literally', () => {
    const exception = exceptionOf({ scope: namesScope({ namePatterns: ['a.b*'] }), controlIds: ['c'] });
    expect(exceptionMatches(exception, resourceOf('bucket', 'a.b-1'), { controlId: 'c' })).toBe(true);
    expect(exceptionMatches(exception, resourceOf('bucket', 'axb-1'), { controlId: 'c' })).toBe(false);
  });
});

describe('activeExceptionsFor', () => {
  it('returns only matching exceptions that are active at the instant', () => {
    const covering = { controlIds: ['seed-encryption-verifiable'] };
    const active = exceptionOf({ ...covering, id: 'active' });
    const exceptions: ComplianceException[] = [
      active,
      exceptionOf({ ...covering, id: 'pending', approvedAt: null, approvedBy: null }),
      exceptionOf({ ...covering, id: 'expired', expiresAt: at('2025-05-15T00:00:00Z') }),
      exceptionOf({ id: 'other-control', controlIds: ['seed-kms-key-enabled'] }),
    ];
    expect(
      activeExceptionsFor(exceptions, resourceOf('bucket'), { controlId: 'seed-encryption-verifiable' }, AT),
    ).toEqual([active]);
  });
});

describe('exceptionsExpiringWithin', () => {
  it('lists active exceptions expiring within the days given, the boundary included', () => {
    const exceptions = [
      exceptionOf({ id: 'in-7-days', expiresAt: at('2025-06-08T00:00:00Z') }),
      exceptionOf({ id: 'in-8-days', expiresAt: at('2025-06-09T00:00:00Z') }),
      exceptionOf({
        id: 'pending',
        approvedAt: null,
        approvedBy: null,
        expiresAt: at('2025-06-02T00:00:00Z'),
      }),
      exceptionOf({ id: 'expired', expiresAt: at('2025-05-31T00:00:00Z') }),
    ];
    expect(exceptionsExpiringWithin(exceptions, 7, AT).map((exception) => exception.id)).toEqual([
      'in-7-days',
    ]);
  });
});

describe('stale exceptions', () => {
  const resources = [resourceOf('bucket', 'logs-2024'), resourceOf('bucket', 'app-data')];

  it('are those whose scope covers none of the resources in scope', () => {
    expect(isStaleException(exceptionOf({ scope: namesScope() }), resources)).toBe(false);
    expect(isStaleException(exceptionOf({ scope: namesScope({ namePatterns: ['old-*'] }) }), resources)).toBe(
      true,
    );
    expect(isStaleException(exceptionOf(), resources)).toBe(true);
  });

  it('leave out exceptions that have already ended', () => {
    const exceptions = [
      exceptionOf({ id: 'stale' }),
      exceptionOf({ id: 'stale-pending', approvedAt: null, approvedBy: null }),
      exceptionOf({ id: 'ended', expiresAt: at('2025-05-31T00:00:00Z') }),
      exceptionOf({ id: 'live', scope: namesScope() }),
    ];
    expect(staleExceptions(exceptions, resources, AT).map((exception) => exception.id)).toEqual([
      'stale',
      'stale-pending',
    ]);
  });
});

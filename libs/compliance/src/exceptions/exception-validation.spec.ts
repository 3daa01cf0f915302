import { DEFAULT_CATALOGUE } from '../catalogue/default-catalogue';
import { AT } from '../testing/facts';
import { exceptionStateAt } from './exception';
import {
  createException,
  validateExceptionRequest,
  type ExceptionValidationContext,
} from './exception-validation';

// A matcher typed as the string it stands for.
const containing = (text: string): string => expect.stringContaining(text) as string;

const knownControlIds = DEFAULT_CATALOGUE.controls.map((control) => control.id);
const context: ExceptionValidationContext = {
  createdBy: 'alice@example.com',
  createdAt: AT,
  knownControlIds,
};

const request = {
  scope: {
    type: 'names',
    accountAlias: 'prod',
    namePatterns: ['logs-*'],
    region: 'cn-hangzhou',
    resourceKind: 'bucket',
  },
  controlIds: ['cis-alibaba-v2.0.0-5.9'],
  findingRules: ['kms_default_key'],
  reason: 'Log archive stays on the service key until SEC-42',
  owner: 'alice@example.com',
  approver: 'bob@example.com',
  ticketUrl: 'https://jira.example.com/browse/SEC-42',
  expiresAt: '2025-12-31T00:00:00Z',
};

function problemsOf(
  input: unknown,
  overrides: Partial<ExceptionValidationContext> = {},
): Record<string, string> {
  const result = validateExceptionRequest(input, { ...context, ...overrides });
  return result.ok
    ? {}
    : Object.fromEntries(result.problems.map((problem) => [problem.field, problem.message]));
}

describe('validateExceptionRequest', () => {
  it('accepts a complete request and reads its expiry as an instant', () => {
    const result = validateExceptionRequest(request, context);
    expect(result).toEqual({
      ok: true,
      value: { ...request, expiresAt: new Date('2025-12-31T00:00:00Z') },
    });
  });

  it('accepts a resource scope and a date-only expiry (midnight UTC)', () => {
    const result = validateExceptionRequest(
      { ...request, scope: { type: 'resource', resourceKey: 'oss:logs-2024' }, expiresAt: '2025-07-01' },
      context,
    );
    expect(result.ok && result.value.scope).toEqual({ type: 'resource', resourceKey: 'oss:logs-2024' });
    expect(result.ok && result.value.expiresAt).toEqual(new Date('2025-07-01T00:00:00Z'));
  });

  it('names every problem by field at once', () => {
    expect(
      problemsOf({
        scope: {
          type: 'names',
          accountAlias: 'Prod!',
          namePatterns: ['*'],
          region: 'Hangzhou',
          resourceKind: 'disk',
        },
        controlIds: ['cis-9.9', 'cis-9.9'],
        findingRules: ['no_such_rule'],
        reason: 'because',
        owner: '',
        approver: 'ALICE@example.com',
        ticketUrl: 'ftp://tickets.example.com/1',
        expiresAt: '31/12/2025',
        colour: 'red',
      }),
    ).toEqual({
      colour: containing('is not a known field'),
      'scope.accountAlias': containing('account alias'),
      'scope.namePatterns[0]': containing('matches every name'),
      'scope.region': containing('region id'),
      'scope.resourceKind': containing('must be one of'),
      'controlIds[0]': containing('is not a control of the catalogue'),
      'controlIds[1]': containing('is not a control of the catalogue'),
      'findingRules[0]': containing('must be one of'),
      reason: 'must be at least 10 characters',
      owner: 'must not be empty',
      approver: 'must be someone other than the creator',
      ticketUrl: 'must be an http or https URL with a host',
      expiresAt: containing('ISO 8601'),
    });
  });

  it('requires an exception to cover something', () => {
    expect(problemsOf({ ...request, controlIds: [], findingRules: [] })).toEqual({
      controlIds: 'an exception must cover at least one control or finding rule',
    });
  });

  it('refuses a repeated control', () => {
    expect(
      problemsOf({ ...request, controlIds: ['cis-alibaba-v2.0.0-5.9', 'cis-alibaba-v2.0.0-5.9'] }),
    ).toEqual({
      'controlIds[1]': 'repeats "cis-alibaba-v2.0.0-5.9"',
    });
  });

  it('accepts any well-formed control id when no catalogue is given', () => {
    expect(
      problemsOf({ ...request, controlIds: ['custom-control'] }, { knownControlIds: undefined }),
    ).toEqual({});
  });

  it('refuses an expiry in the past, at creation, or beyond the policy maximum', () => {
    expect(problemsOf({ ...request, expiresAt: '2025-05-01T00:00:00Z' })).toEqual({
      expiresAt: 'must be after the exception is created',
    });
    expect(problemsOf({ ...request, expiresAt: AT.toISOString() })).toEqual({
      expiresAt: 'must be after the exception is created',
    });
    expect(problemsOf({ ...request, expiresAt: '2026-06-02T00:00:00Z' })).toEqual({
      expiresAt: 'must be at most 365 days after creation (policy)',
    });
    expect(problemsOf({ ...request, expiresAt: '2026-06-01T00:00:00Z' })).toEqual({});
    expect(
      problemsOf({ ...request, expiresAt: '2025-07-02T00:00:00Z' }, { policy: { maxDurationDays: 30 } }),
    ).toEqual({
      expiresAt: 'must be at most 30 days after creation (policy)',
    });
  });

  it('refuses a missing expiry: every exception ends', () => {
    const { expiresAt: _, ...withoutExpiry } = request;
    expect(problemsOf(withoutExpiry)).toEqual({ expiresAt: containing('ISO 8601') });
  });

  it.each([
    ['a relative URL', '/browse/SEC-42'],
    ['a javascript URL', 'javascript:alert(1)'],
    ['not a URL', 'SEC-42'],
  ])('refuses %s as the ticket', (_, ticketUrl) => {
    expect(Object.keys(problemsOf({ ...request, ticketUrl }))).toEqual(['ticketUrl']);
  });

  it('refuses a scope that mixes a resource key and names, or has no glob', () => {
    expect(
      problemsOf({ ...request, scope: { type: 'resource', resourceKey: 'oss:a', accountAlias: 'prod' } }),
    ).toEqual({
      'scope.accountAlias': 'is not part of a resource scope',
    });
    expect(
      problemsOf({ ...request, scope: { type: 'names', accountAlias: 'prod', namePatterns: [] } }),
    ).toEqual({
      'scope.namePatterns': 'must name at least one glob',
    });
    expect(problemsOf({ ...request, scope: { type: 'everything' } })).toEqual({
      'scope.type': 'must be one of resource, names',
    });
    expect(problemsOf({ ...request, scope: { type: 'resource', resourceKey: 'oss: a' } })).toEqual({
      'scope.resourceKey': 'must be a resource key without spaces',
    });
  });

  it('refuses input that is not an object', () => {
    expect(problemsOf('exception please')).toEqual({ '': 'must be an object' });
  });
});

describe('createException', () => {
  it('creates a pending API exception with its creation record', () => {
    const result = createException(request, {
      id: 'exc-9',
      createdBy: ' alice@example.com ',
      at: AT,
      knownControlIds,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { exception, record } = result.value;
    expect(exception).toMatchObject({
      id: 'exc-9',
      source: 'api',
      createdBy: 'alice@example.com',
      createdAt: AT,
      approvedBy: null,
      approvedAt: null,
      revokedAt: null,
    });
    expect(exceptionStateAt(exception, AT)).toBe('pending_approval');
    expect(record).toMatchObject({
      action: 'created',
      actor: 'alice@example.com',
      before: null,
      after: exception,
    });
  });

  it('returns the problems and creates nothing for a bad request', () => {
    const result = createException(
      { ...request, approver: 'alice@example.com' },
      { id: 'x', createdBy: 'alice@example.com', at: AT },
    );
    expect(result).toEqual({
      ok: false,
      problems: [{ field: 'approver', message: 'must be someone other than the creator' }],
    });
  });
});

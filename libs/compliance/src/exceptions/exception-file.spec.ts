import { parse } from 'yaml';

import { DEFAULT_CATALOGUE } from '../catalogue/default-catalogue';
import { AT } from '../testing/facts';
import { exceptionStateAt } from './exception';
import { parseExceptionsFile } from './exception-file';

// A matcher typed as the string it stands for.
const containing = (text: string): string => expect.stringContaining(text) as string;

const knownControlIds = DEFAULT_CATALOGUE.controls.map((control) => control.id);

// The file as a person writes it, parsed as the integrator's loader will (yaml).
const FILE = `
version: 1
exceptions:
  - id: legacy-logs
    scope: { type: names, accountAlias: prod, namePatterns: ['logs-*'], region: cn-hangzhou, resourceKind: bucket }
    controlIds: [cis-alibaba-v2.0.0-5.9]
    findingRules: [kms_default_key]
    reason: Log archive stays on the service key until SEC-42
    owner: alice@example.com
    approver: bob@example.com
    ticketUrl: https://jira.example.com/browse/SEC-42
    createdBy: alice@example.com
    createdAt: 2025-01-10T00:00:00Z
    approvedAt: 2025-01-11T00:00:00Z
    expiresAt: 2025-12-31T00:00:00Z
  - id: old-export
    scope: { type: resource, resourceKey: 'oss:old-export' }
    findingRules: [unencrypted]
    reason: Public dataset, nothing secret in it
    owner: dan@example.com
    approver: erin@example.com
    ticketUrl: https://jira.example.com/browse/SEC-7
    createdBy: dan@example.com
    createdAt: 2024-03-01
    approvedAt: 2024-03-02
    expiresAt: 2025-03-01
`;

function entry(overrides: Record<string, unknown>): Record<string, unknown> {
  const document = parse(FILE) as { exceptions: Record<string, unknown>[] };
  return { ...document.exceptions[0], ...overrides };
}

function problemsOf(document: unknown): Record<string, string> {
  const result = parseExceptionsFile(document, { knownControlIds });
  return result.ok
    ? {}
    : Object.fromEntries(result.problems.map((problem) => [problem.field, problem.message]));
}

describe('parseExceptionsFile', () => {
  it('reads every entry as a file exception, approved by its reviewer', () => {
    const result = parseExceptionsFile(parse(FILE), { knownControlIds });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const [logs, old] = result.value;
    expect(logs).toEqual({
      id: 'file:legacy-logs',
      source: 'file',
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
      createdBy: 'alice@example.com',
      createdAt: new Date('2025-01-10T00:00:00Z'),
      expiresAt: new Date('2025-12-31T00:00:00Z'),
      approvedBy: 'bob@example.com',
      approvedAt: new Date('2025-01-11T00:00:00Z'),
      revokedBy: null,
      revokedAt: null,
      revocationReason: null,
    });
    expect(exceptionStateAt(logs!, AT)).toBe('active');
    // An entry past its expiry is kept: its state says so.
    expect(exceptionStateAt(old!, AT)).toBe('expired');
  });

  it('counts the maximum duration from the entry creation, not from today', () => {
    expect(problemsOf({ version: 1, exceptions: [entry({ expiresAt: '2026-01-11T00:00:00Z' })] })).toEqual({
      'exceptions[0].expiresAt': 'must be at most 365 days after creation (policy)',
    });
  });

  it('rejects the whole file, naming each problem by path', () => {
    expect(
      problemsOf({
        version: 2,
        exceptions: [
          entry({ approver: 'alice@example.com' }),
          entry({ id: 'second', approvedAt: '2025-01-09T00:00:00Z' }),
          entry({ id: 'third', createdBy: undefined, ticketUrl: 'nope' }),
          'not an object',
        ],
      }),
    ).toEqual({
      version: 'must be 1',
      'exceptions[0].approver': 'must be someone other than the creator',
      'exceptions[1].approvedAt': 'must not be before createdAt',
      'exceptions[2].createdBy': 'is required',
      'exceptions[2].ticketUrl': 'must be a URL',
      'exceptions[3]': 'must be an object',
    });
  });

  it('refuses an entry without its approval, or approved after it expires', () => {
    expect(problemsOf({ version: 1, exceptions: [entry({ approvedAt: undefined })] })).toEqual({
      'exceptions[0].approvedAt': containing('ISO 8601'),
    });
    expect(problemsOf({ version: 1, exceptions: [entry({ approvedAt: '2026-01-01T00:00:00Z' })] })).toEqual({
      'exceptions[0].approvedAt': 'must be before expiresAt',
    });
  });

  it('refuses a repeated id and an id that is not a plain name', () => {
    expect(problemsOf({ version: 1, exceptions: [entry({}), entry({}), entry({ id: 'a b' })] })).toEqual({
      'exceptions[1].id': 'repeats "legacy-logs"',
      'exceptions[2].id': containing('an id of letters'),
    });
  });

  it('reads a file with no exceptions as an empty list', () => {
    expect(parseExceptionsFile({ version: 1 })).toEqual({ ok: true, value: [] });
    expect(parseExceptionsFile({ version: 1, exceptions: [] })).toEqual({ ok: true, value: [] });
  });

  it('refuses a document that is not a file of exceptions', () => {
    expect(problemsOf(null)).toEqual({ '': 'must be an object' });
    expect(problemsOf({ version: 1, exceptions: { id: 'x' } })).toEqual({ exceptions: 'must be a list' });
    expect(problemsOf({ version: 1, exceptions: [], extra: true })).toEqual({
      extra: 'is not a known field (expected version, exceptions)',
    });
  });
});

import { DEFAULT_FINDING_POLICY } from '@app/audit';
import {
  approveException,
  createException,
  DEFAULT_CATALOGUE,
  DEFAULT_COMPLIANCE_POLICY,
  revokeException,
} from '@app/compliance';
import { createTestDatabase, recordScan, seenBucket, type TestDatabase } from '@app/testing';

import { ControlResultRepository } from './control-result.repository';
import { ExceptionRepository } from './exception.repository';

const DAY_MS = 86_400_000;
const DAY1 = new Date('2026-03-01T02:00:00.000Z');
const DAY2 = new Date(DAY1.getTime() + DAY_MS);
const DAY3 = new Date(DAY2.getTime() + DAY_MS);
const CONTROL = 'config-oss-bucket-server-side-encryption-enabled';
const COMPLIANCE = {
  catalogue: DEFAULT_CATALOGUE,
  policy: DEFAULT_COMPLIANCE_POLICY,
  expiringWithinDays: 14,
  alertSeverities: DEFAULT_FINDING_POLICY.exceptionAlertSeverity,
};
const at = (day: Date, minutes: number): Date => new Date(day.getTime() + minutes * 60_000);

/**
 * The reads the API and the evidence pack use: results at an instant, between dates and per account;
 * the trend; exceptions with their change record as of a date range.
 */
describe('ControlResultRepository and ExceptionRepository reads', () => {
  let db: TestDatabase;
  let results: ControlResultRepository;
  let exceptions: ExceptionRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    results = new ControlResultRepository(db.dataSource);
    exceptions = new ExceptionRepository(db.dataSource);

    const created = createException(
      {
        scope: { type: 'resource', resourceKey: 'oss:logs' },
        controlIds: [CONTROL],
        findingRules: [],
        reason: 'Logs bucket waits for SEC-42',
        owner: 'alice@example.com',
        approver: 'bob@example.com',
        ticketUrl: 'https://jira.example.com/browse/SEC-42',
        expiresAt: new Date(DAY1.getTime() + 30 * DAY_MS).toISOString(),
      },
      { id: 'exc-logs', createdBy: 'alice@example.com', at: at(DAY1, -60) },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.problems));
    await exceptions.create(created.value);
    await exceptions.change('exc-logs', (current) =>
      approveException(current, { by: 'bob@example.com', at: at(DAY1, -30) }),
    );
    const seen = [
      seenBucket('logs', 'none'),
      seenBucket('web', 'oss_aes256'),
      seenBucket('billing', 'none', { accountAlias: 'finance', resourceKey: 'oss:billing' }),
    ];
    await recordScan(db.dataSource, DAY1, seen, { evaluatedAt: at(DAY1, 10), compliance: COMPLIANCE });
    await exceptions.change('exc-logs', (current) =>
      revokeException(current, { by: 'bob@example.com', at: at(DAY2, -60), reason: 'SEC-42 is done' }),
    );
    await recordScan(db.dataSource, DAY2, seen, { evaluatedAt: at(DAY2, 10), compliance: COMPLIANCE });
  });

  afterAll(async () => {
    await db.drop();
  });

  const statusesOf = (
    stored: readonly { resource: { name: string }; result: { controlId: string; status: string } }[],
  ) =>
    Object.fromEntries(
      stored
        .filter((entry) => entry.result.controlId === CONTROL)
        .map((entry) => [entry.resource.name, entry.result.status]),
    );

  it('answers an instant from the latest scan finished by then, and nothing before the first', async () => {
    const first = await results.resultsAt(at(DAY1, 30));
    expect(first.scan?.finishedAt).toEqual(at(DAY1, 10));
    expect(statusesOf(first.results)).toEqual({ logs: 'suppressed', web: 'pass', billing: 'fail' });
    const second = await results.resultsAt(null);
    expect(statusesOf(second.results)).toEqual({ logs: 'fail', web: 'pass', billing: 'fail' });
    expect(await results.resultsAt(DAY1)).toEqual({ scan: null, results: [] });
  });

  it('returns the results of the scans finished in [from, to), for the accounts asked', async () => {
    const firstDay = await results.resultsBetween(DAY1, DAY2, { accounts: ['prod'] });
    expect(new Set(firstDay.map((entry) => entry.scanId)).size).toBe(1);
    expect(statusesOf(firstDay)).toEqual({ logs: 'suppressed', web: 'pass' });
    const suppressed = firstDay.find(
      (entry) => entry.resource.name === 'logs' && entry.result.controlId === CONTROL,
    );
    expect(suppressed?.result).toMatchObject({
      suppressedStatus: 'fail',
      exceptionIds: ['exc-logs'],
      ruleId: 'sse_enabled',
    });
    expect((await results.resultsBetween(DAY1, DAY3)).map((entry) => entry.scanId)).toContain(2);
  });

  it('gives the trend oldest first, one point per scan', async () => {
    const trend = await results.trend(null, 10, { controlId: CONTROL });
    expect(
      trend.map((point) => point.results.filter((result) => result.status === 'suppressed').length),
    ).toEqual([1, 0]);
  });

  it('returns the exceptions of a range with the change record made before its end', async () => {
    const firstDay = await exceptions.exceptionsWithChangesBetween(DAY1, at(DAY2, -90));
    expect(firstDay.exceptions.map((stored) => stored.exception.id)).toEqual(['exc-logs']);
    expect(firstDay.changes.map((change) => change.action)).toEqual(['created', 'approved']);
    const both = await exceptions.exceptionsWithChangesBetween(DAY1, DAY3);
    expect(both.changes.map((change) => [change.action, change.actor])).toEqual([
      ['created', 'alice@example.com'],
      ['approved', 'bob@example.com'],
      ['revoked', 'bob@example.com'],
    ]);
    expect(
      (await exceptions.exceptionsWithChangesBetween(at(DAY1, -300), at(DAY1, -120))).exceptions,
    ).toEqual([]);
  });
});

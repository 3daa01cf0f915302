import {
  createTestDatabase,
  recordScan,
  seenBucket,
  storeApprovedException,
  type TestDatabase,
} from '@app/testing';

import { SummaryRepository } from './summary.repository';

const at = (iso: string): Date => new Date(iso);
const SCAN = at('2026-03-01T02:00:00Z');

describe('SummaryRepository: suppressed findings as of a date', () => {
  let db: TestDatabase;
  let summary: SummaryRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    summary = new SummaryRepository(db.dataSource);
    await recordScan(
      db.dataSource,
      SCAN,
      [
        seenBucket('logs.a', 'none'),
        seenBucket('logs.b', 'none'),
        seenBucket('logsXc', 'none'),
        seenBucket('logs.d', 'none', { region: 'cn-shanghai' }),
      ],
      { evaluatedAt: SCAN },
    );
    await storeApprovedException(
      db.dataSource,
      'exc-logs',
      {
        scope: {
          type: 'names',
          accountAlias: 'prod',
          namePatterns: ['logs.*'],
          region: 'cn-hangzhou',
          resourceKind: 'bucket',
        },
        controlIds: [],
        findingRules: ['unencrypted'],
        reason: 'Log buckets are encrypted by the SEC-9 migration',
        ticketUrl: 'https://jira.example.com/browse/SEC-9',
        expiresAt: at('2026-03-20T00:00:00Z'),
      },
      at('2026-03-05T00:00:00Z'),
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  const countsAt = async (iso: string): Promise<[number, number]> => {
    const posture = await summary.postureCountsAt(at(iso));
    return [posture.openFindings.reduce((total, row) => total + row.count, 0), posture.suppressedFindings];
  };

  it('counts what a name-glob exception covered while it was active, by its glob, region and rule', async () => {
    // `logs.*` is a glob: the dot is a dot (logsXc is not covered); logs.d is in another region.
    expect(await countsAt('2026-03-10T00:00:00Z')).toEqual([2, 2]);
  });

  it('counts the same findings as open before the approval and after the expiry', async () => {
    expect(await countsAt('2026-03-04T00:00:00Z')).toEqual([4, 0]);
    expect(await countsAt('2026-03-21T00:00:00Z')).toEqual([4, 0]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { approveException, ComplianceError, createException, revokeException } from '@app/compliance';
import type { FleetSpec } from '@app/oss-emulator';
import { ExceptionRepository } from '@app/persistence';
import { startScanEnvironment, storeApprovedException, type ScanEnvironment } from '@app/testing';

const DAY_MS = 86_400_000;
const ACCOUNT = 'account-1';
const FLEET: FleetSpec = {
  accounts: [
    {
      id: '1357924680135792',
      accessKeys: [
        { accessKeyId: 'LTAI5tExceptionScan00001', accessKeySecret: 'exception-scan-secret-0000000001' },
      ],
      buckets: [
        { name: 'legacy-dump', region: 'cn-hangzhou', encryption: null },
        { name: 'cdn-origin', region: 'cn-hangzhou', encryption: null },
      ],
      tableBuckets: [],
    },
  ],
};
const ACCEPTED_CONTROL = 'config-oss-bucket-server-side-encryption-enabled';

/** A file exception (reviewed in git) that covers no resource of the fleet: stale from the first scan. */
const FILE_CREATED = new Date(Date.now() - DAY_MS).toISOString();
const FILE_EXPIRES = new Date(Date.now() + 100 * DAY_MS).toISOString();

function exceptionsFile(reason: string): string {
  const [created, expires] = [FILE_CREATED, FILE_EXPIRES];
  return `version: 1
exceptions:
  - id: retired-archive
    scope: { type: names, accountAlias: ${ACCOUNT}, namePatterns: ['retired-*'], region: null, resourceKind: bucket }
    controlIds: [${ACCEPTED_CONTROL}]
    reason: ${reason}
    owner: carol@example.com
    approver: dave@example.com
    ticketUrl: https://jira.example.com/browse/SEC-7
    createdBy: carol@example.com
    createdAt: ${created}
    approvedAt: ${created}
    expiresAt: ${expires}
`;
}

interface ExceptionAlertRow {
  readonly event_type: string;
  readonly dedupe_key: string;
  readonly severity: string;
  readonly resource_id: string | null;
  readonly payload: Record<string, unknown>;
}

interface FindingRow {
  readonly status: string;
  readonly exception_id: string | null;
}

/**
 * The exception lifecycle across real scans of an emulated fleet: an approved exception suppresses
 * a finding (visible, no alert) and its control result; when it expires the finding counts again
 * and one alert fires, once; an exception that covers nothing is stale; the exceptions file is
 * synced with a change record per edit; the record is append-only.
 */
describe('exceptions across scans', () => {
  let env: ScanEnvironment;
  let repository: ExceptionRepository;
  let offsetMs = 0;
  let directory: string;
  let filePath: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'seed-exceptions-'));
    filePath = join(directory, 'exceptions.yaml');
    writeFileSync(filePath, exceptionsFile('The archive bucket was retired with SEC-7'));
    env = await startScanEnvironment({
      fleet: FLEET,
      now: () => new Date(Date.now() + offsetMs),
      extra: { exceptions: { file: filePath, expiringWithinDays: 14 } },
    });
    repository = new ExceptionRepository(env.database.dataSource);
  });

  afterAll(async () => {
    await env.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const findingOf = async (bucket: string, rule: string): Promise<FindingRow[]> =>
    env.database.dataSource.query(
      `SELECT f."status", f."exception_id" FROM "findings" f JOIN "resources" r ON r."id" = f."resource_id"
       WHERE r."name" = $1 AND f."rule" = $2 ORDER BY f."opened_at"`,
      [bucket, rule],
    );
  const alertsOf = async (bucket: string): Promise<{ dedupe_key: string }[]> =>
    env.database.dataSource.query(
      `SELECT a."dedupe_key" FROM "alert_outbox" a JOIN "resources" r ON r."id" = a."resource_id"
       WHERE r."name" = $1 ORDER BY a."id"`,
      [bucket],
    );
  const exceptionAlerts = async (): Promise<ExceptionAlertRow[]> =>
    env.database.dataSource.query(
      `SELECT "event_type", "dedupe_key", "severity", "resource_id", "payload" FROM "alert_outbox"
       WHERE "exception_id" IS NOT NULL ORDER BY "id"`,
    );
  const resultOf = async (
    scanId: number,
    bucket: string,
  ): Promise<{ status: string; suppressed_status: string | null; exception_ids: string[] }[]> =>
    env.database.dataSource.query(
      `SELECT c."status", c."suppressed_status", c."exception_ids" FROM "control_results" c
       JOIN "resources" r ON r."id" = c."resource_id"
       WHERE c."scan_id" = $1 AND r."name" = $2 AND c."control_id" = $3`,
      [scanId, bucket, ACCEPTED_CONTROL],
    );

  it('refuses an approval by the creator, and records nothing for it', async () => {
    const created = createException(
      {
        scope: { type: 'resource', resourceKey: 'oss:legacy-dump' },
        controlIds: [ACCEPTED_CONTROL],
        findingRules: ['unencrypted'],
        reason: 'Legacy dump is read once a year; encryption lands with SEC-42',
        owner: 'alice@example.com',
        approver: 'bob@example.com',
        ticketUrl: 'https://jira.example.com/browse/SEC-42',
        expiresAt: new Date(Date.now() + 10 * DAY_MS).toISOString(),
      },
      { id: 'exc-legacy-dump', createdBy: 'alice@example.com', at: new Date(Date.now() - DAY_MS) },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.problems));
    await repository.create(created.value);

    await expect(
      repository.change('exc-legacy-dump', (current) =>
        approveException(current, { by: 'Alice@Example.com ', at: new Date() }),
      ),
    ).rejects.toThrow(ComplianceError);
    expect((await repository.changes('exc-legacy-dump')).map((change) => change.action)).toEqual(['created']);

    await repository.change('exc-legacy-dump', (current) =>
      approveException(current, { by: 'bob@example.com', at: new Date(Date.now() - DAY_MS / 2) }),
    );
    const history = await repository.changes('exc-legacy-dump');
    expect(history.map((change) => [change.action, change.actor])).toEqual([
      ['created', 'alice@example.com'],
      ['approved', 'bob@example.com'],
    ]);
    expect(history[1]?.before?.approvedBy).toBeNull();
    expect(history[1]?.after?.approvedBy).toBe('bob@example.com');
  });

  it('suppresses the covered finding and control result while the exception is active: no alert', async () => {
    // Ends within the window too, but revoked before the scan: it is never alerted.
    await storeApprovedException(
      env.database.dataSource,
      'exc-revoked',
      {
        scope: { type: 'resource', resourceKey: 'oss:cdn-origin' },
        controlIds: [ACCEPTED_CONTROL],
        findingRules: ['unencrypted'],
        reason: 'The CDN origin serves public assets only',
        ticketUrl: 'https://jira.example.com/browse/SEC-51',
        expiresAt: new Date(Date.now() + 5 * DAY_MS),
      },
      new Date(),
    );
    await repository.change('exc-revoked', (current) =>
      revokeException(current, { by: 'bob@example.com', at: new Date(), reason: 'SEC-51 was rejected' }),
    );
    const scan = await env.runScan();
    expect(await findingOf('legacy-dump', 'unencrypted')).toEqual([
      { status: 'open', exception_id: 'exc-legacy-dump' },
    ]);
    expect(await alertsOf('legacy-dump')).toEqual([]);
    expect(await resultOf(scan.id, 'legacy-dump')).toEqual([
      { status: 'suppressed', suppressed_status: 'fail', exception_ids: ['exc-legacy-dump'] },
    ]);
    // The bucket next to it is not covered: it fails and alerts as usual.
    expect(await findingOf('cdn-origin', 'unencrypted')).toEqual([{ status: 'open', exception_id: null }]);
    expect((await alertsOf('cdn-origin')).length).toBe(1);
    expect(await resultOf(scan.id, 'cdn-origin')).toEqual([
      { status: 'fail', suppressed_status: null, exception_ids: [] },
    ]);
  });

  it('loads the exceptions file with a file_added record, and reports the exception covering nothing as stale', async () => {
    const fileException = await repository.find('file:retired-archive');
    expect(fileException?.exception.source).toBe('file');
    expect(fileException?.staleSince).not.toBeNull();
    expect((await repository.changes('file:retired-archive')).map((change) => change.action)).toEqual([
      'file_added',
    ]);
    expect((await repository.find('exc-legacy-dump'))?.staleSince).toBeNull();
  });

  it('alerts the exception entering the expiry window and the stale one, each with its owner and scope', async () => {
    const [firstScan] = await env.database.dataSource.query<{ id: number }[]>(
      `SELECT min("id")::integer AS "id" FROM "scans"`,
    );
    const alerts = await exceptionAlerts();
    expect(
      alerts.map((alert) => [alert.event_type, alert.dedupe_key, alert.severity, alert.resource_id]),
    ).toEqual([
      [
        'exception_expiring',
        expect.stringMatching(/^exception_expiring:exc-legacy-dump:\d{4}-\d\d-\d\dT/) as unknown,
        'medium',
        null,
      ],
      ['exception_stale', `exception_stale:file:retired-archive:${String(firstScan?.id)}`, 'low', null],
    ]);
    expect(alerts[0]?.payload).toMatchObject({
      exceptionId: 'exc-legacy-dump',
      scope: { type: 'resource', resourceKey: 'oss:legacy-dump' },
      accountAlias: ACCOUNT,
      findingRules: ['unencrypted'],
      owner: 'alice@example.com',
      approver: 'bob@example.com',
      ticketUrl: 'https://jira.example.com/browse/SEC-42',
    });
    expect(alerts[1]?.payload).toMatchObject({
      scope: { type: 'names', accountAlias: ACCOUNT, namePatterns: ['retired-*'] },
      staleScanId: firstScan?.id,
    });
  });

  it('records an edit of the file as file_changed, and nothing when the file is unchanged', async () => {
    writeFileSync(filePath, exceptionsFile('The archive bucket was retired with SEC-7 and SEC-8'));
    await env.runScan();
    await env.runScan();
    const history = await repository.changes('file:retired-archive');
    expect(history.map((change) => change.action)).toEqual(['file_added', 'file_changed']);
    expect(history[1]?.changedFields).toEqual(['reason']);
    expect(history[1]?.before?.reason).toBe('The archive bucket was retired with SEC-7');
  });

  it('alerts an expiring or stale exception once, however many scans see it so', async () => {
    expect((await exceptionAlerts()).map((alert) => alert.event_type)).toEqual([
      'exception_expiring',
      'exception_stale',
    ]);
  });

  it('alerts a stale exception again once it covered something and went stale again', async () => {
    env.emulator.state.addBucket(FLEET.accounts[0]!.id, { name: 'retired-box', region: 'cn-hangzhou' });
    await env.runScan();
    expect((await repository.find('file:retired-archive'))?.staleSince).toBeNull();
    env.emulator.state.removeBucket('retired-box');
    const staleAgain = await env.runScan();
    const stale = (await exceptionAlerts()).filter((alert) => alert.event_type === 'exception_stale');
    expect(stale.map((alert) => alert.dedupe_key).at(-1)).toBe(
      `exception_stale:file:retired-archive:${String(staleAgain.id)}`,
    );
    expect(stale).toHaveLength(2);
  });

  it('opens the finding again when the exception expires, alerting once across later scans', async () => {
    offsetMs = 11 * DAY_MS;
    const expired = await env.runScan();
    expect(await findingOf('legacy-dump', 'unencrypted')).toEqual([{ status: 'open', exception_id: null }]);
    expect(await resultOf(expired.id, 'legacy-dump')).toEqual([
      { status: 'fail', suppressed_status: null, exception_ids: [] },
    ]);
    offsetMs = 12 * DAY_MS;
    await env.runScan();
    expect(await alertsOf('legacy-dump')).toEqual([
      { dedupe_key: expect.stringMatching(/^finding_reopened:[0-9a-f]{32}:exc-legacy-dump$/) as unknown },
    ]);
    // An expired exception is not expiring any more: nothing new about it.
    expect((await exceptionAlerts()).map((alert) => alert.event_type)).toEqual([
      'exception_expiring',
      'exception_stale',
      'exception_stale',
    ]);
  });

  it('keeps the change record append-only: the database refuses UPDATE and DELETE', async () => {
    const { dataSource } = env.database;
    await expect(dataSource.query(`UPDATE "exception_changes" SET "actor" = 'mallory'`)).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(dataSource.query(`DELETE FROM "exception_changes"`)).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    expect((await repository.changes()).every((change) => change.actor !== 'mallory')).toBe(true);
  });
});

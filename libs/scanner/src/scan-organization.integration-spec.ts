import { parseAuditConfig } from '@app/config';
import { startEmulator, type EmulatorHandle } from '@app/oss-emulator';
import { AccountRepository, type ScanRecord } from '@app/persistence';
import {
  allFindings,
  createTestDatabase,
  memberAccountId,
  memberAccountSpec,
  memberSpec,
  organizationAuditConfig,
  organizationFleet,
  TEST_JOB_SETTINGS,
  type TestDatabase,
} from '@app/testing';

import { ScanRuntime } from './scan-runtime';

/**
 * A whole organisation through Resource Directory, on the real emulator and PostgreSQL: members
 * discovered at the start of each scan (ListAccounts, paged), each audited through AssumeRole on
 * its role, refusals named in coverage, members that join audited in the same scan and members
 * that leave taken out of scope.
 */

const DENYING = [7, 19];

async function startOrganization(options: {
  fleet: Parameters<typeof startEmulator>[0]['fleet'];
  organization?: Record<string, unknown>;
  managementSecret?: string;
  maxPageSize?: number;
}): Promise<{
  emulator: EmulatorHandle;
  database: TestDatabase;
  runtime: ScanRuntime;
  close(): Promise<void>;
}> {
  const database = await createTestDatabase();
  const emulator = await startEmulator({
    fleet: options.fleet,
    ...(options.maxPageSize === undefined ? {} : { maxPageSize: options.maxPageSize }),
  });
  const { document, env } = organizationAuditConfig({
    emulatorUrl: emulator.url,
    databaseUrl: database.url,
    ...(options.organization === undefined ? {} : { organization: options.organization }),
    ...(options.managementSecret === undefined ? {} : { managementSecret: options.managementSecret }),
  });
  const config = parseAuditConfig(document, { env, source: 'organisation test' });
  const runtime = new ScanRuntime({ config, dataSource: database.dataSource, jobs: TEST_JOB_SETTINGS });
  return {
    emulator,
    database,
    runtime,
    close: async () => {
      await runtime.close(5_000);
      await emulator.close();
      await database.drop();
    },
  };
}

function rowsOf(scan: ScanRecord, alias: string) {
  return scan.coverage.filter((row) => row.accountAlias === alias && row.kind === 'bucket');
}

describe('an organisation of 30 members, 2 of which deny the audit role', () => {
  let org: Awaited<ReturnType<typeof startOrganization>>;
  let first: ScanRecord;

  beforeAll(async () => {
    // Pages of 8 members: the directory is read in 4 pages.
    org = await startOrganization({
      fleet: organizationFleet({ members: 30, denying: DENYING }),
      maxPageSize: 8,
    });
    first = await org.runtime.runScan('cli');
  }, 120_000);
  afterAll(async () => {
    await org.close();
  });

  it('audits the 28 members whose role it assumed, and ends partial', async () => {
    expect(first.status).toBe('partial');
    expect(org.emulator.requestCount('ListAccounts')).toBe(4);
    const observed = await org.database.dataSource.query<{ account_alias: string; count: number }[]>(
      `SELECT r."account_alias", count(*)::int AS count FROM "scan_observations" so
         JOIN "resources" r ON r."id" = so."resource_id"
        WHERE so."scan_id" = $1 AND r."kind" = 'bucket' GROUP BY r."account_alias"`,
      [first.id],
    );
    const reached = Array.from({ length: 30 }, (_, index) => index + 1).filter((n) => !DENYING.includes(n));
    expect(new Map(observed.map((row) => [row.account_alias, row.count]))).toEqual(
      new Map(reached.map((n) => [memberAccountId(n), 2])),
    );
  });

  it('names each refusal in the coverage of its member: AssumeRole NoPermission from STS', () => {
    for (const n of DENYING) {
      const rows = rowsOf(first, memberAccountId(n));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => !row.enumerationComplete)).toBe(true);
      expect(rows.flatMap((row) => row.errors ?? [])).toEqual([
        expect.objectContaining({ operation: 'AssumeRole', code: 'NoPermission', httpStatus: 403 }),
      ]);
    }
  });

  it('lists every member as a discovered account with what the scan reached of it', async () => {
    const accounts = await new AccountRepository(org.database.dataSource).list();
    expect(accounts).toHaveLength(30);
    expect(accounts.every((account) => account.source === 'discovered' && account.inScope)).toBe(true);
    const denied = accounts.filter((account) => account.lastReachedAt === null);
    expect(denied.map((account) => account.alias).sort()).toEqual(DENYING.map(memberAccountId).sort());
    expect(denied.map((account) => account.lastError?.code)).toEqual(['NoPermission', 'NoPermission']);
    const member1 = accounts.find((account) => account.alias === memberAccountId(1));
    expect(member1).toMatchObject({ name: 'member-01', folderId: 'fd-odd', lastScanId: first.id });
    // m1-b1 is unencrypted: one open high finding.
    expect(member1?.openFindings).toMatchObject({ high: 1 });
  });

  it('audits a member that joined since the last scan, and takes one that left out of scope', async () => {
    org.emulator.state.addAccount(memberAccountSpec(31));
    org.emulator.state.directory?.join(memberSpec(31));
    org.emulator.state.directory?.leave(memberAccountId(2));
    const before = (await allFindings(org.database.dataSource)).filter(
      (finding) => finding.resourceKey.includes('m2-') && finding.status === 'open',
    );
    expect(before.length).toBeGreaterThan(0);

    const second = await org.runtime.runScan('cli');

    expect(rowsOf(second, memberAccountId(31))).toEqual([
      expect.objectContaining({ listed: 2, observed: 2, enumerationComplete: true }),
    ]);
    expect(rowsOf(second, memberAccountId(2))).toEqual([]);
    const after = await allFindings(org.database.dataSource);
    for (const finding of before) {
      expect(after.find((candidate) => candidate.id === finding.id)).toMatchObject({
        status: 'resolved',
        resolution: 'out_of_scope',
        resolvedScanId: second.id,
      });
    }
    const accounts = await new AccountRepository(org.database.dataSource).list();
    expect(accounts.find((account) => account.alias === memberAccountId(2))).toMatchObject({
      inScope: false,
      leftAt: second.startedAt,
    });
    expect(accounts.find((account) => account.alias === memberAccountId(31))).toMatchObject({
      inScope: true,
      lastScanId: second.id,
    });
  });
});

describe('discovery that fails', () => {
  it('fails the scan when the management key does not sign right, never auditing an empty organisation', async () => {
    const org = await startOrganization({
      fleet: organizationFleet({ members: 3 }),
      managementSecret: 'not-the-management-secret',
    });
    try {
      const scan = await org.runtime.runScan('cli');
      expect(scan.status).toBe('failed');
      expect(scan.failureReason).toMatch(
        /^Organisation discovery failed: ListAccounts SignatureDoesNotMatch/,
      );
      expect(org.emulator.requestCount('AssumeRole')).toBe(0);
    } finally {
      await org.close();
    }
  }, 60_000);

  it('audits the members of the previous plan when ListAccounts fails later, and ends partial', async () => {
    const org = await startOrganization({ fleet: organizationFleet({ members: 3 }) });
    try {
      expect((await org.runtime.runScan('cli')).status).toBe('succeeded');
      org.emulator.setFaults([
        {
          match: { operation: 'ListAccounts' },
          fault: { kind: 'error', code: 'ServiceUnavailable', status: 503 },
        },
      ]);
      const scan = await org.runtime.runScan('cli');
      expect(scan.status).toBe('partial');
      expect(scan.failureReason).toMatch(
        /^Organisation discovery failed: ListAccounts ServiceUnavailableTemporary \(HTTP 503\)/,
      );
      expect(new Set(scan.coverage.map((row) => row.accountAlias))).toEqual(
        new Set([1, 2, 3].map(memberAccountId)),
      );
      expect(scan.coverage.every((row) => row.enumerationComplete)).toBe(true);
    } finally {
      await org.close();
    }
  }, 60_000);
});

describe('member credentials during a long scan', () => {
  it('renews each member role before its 2-second credentials expire, and the scan reads everything', async () => {
    const org = await startOrganization({
      fleet: organizationFleet({ members: 3, bucketsPerMember: 40, minDurationSeconds: 1 }),
      organization: {
        durationSeconds: 2,
        refreshMarginSeconds: 1,
        // About 10 requests a second per member: its 41 calls outlast several credential lifetimes.
        defaults: {
          regions: ['cn-hangzhou'],
          discover: { tableBuckets: false },
          rate: { initialRps: 10, maxRps: 10, minRps: 1, concurrency: 2 },
        },
      },
    });
    try {
      const scan = await org.runtime.runScan('cli');
      expect(scan.status).toBe('succeeded');
      expect(scan.coverage.reduce((sum, row) => sum + row.observed, 0)).toBe(120);
      // More than one AssumeRole per member: the credentials were renewed during the scan.
      expect(org.emulator.requestCount('AssumeRole')).toBeGreaterThan(3);
    } finally {
      await org.close();
    }
  }, 60_000);
});

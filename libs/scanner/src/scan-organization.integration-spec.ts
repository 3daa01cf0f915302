import type { AccountSpec, FleetSpec } from '@app/oss-emulator';
import { AccountRepository, type ScanRecord } from '@app/persistence';
import {
  allFindings,
  expectedFindings,
  memberAccountId,
  memberAccountSpec,
  memberSpec,
  openFindingRules,
  organizationFleet,
  startOrganizationScanEnvironment,
  type ScanEnvironment,
} from '@app/testing';

/**
 * A whole organisation through Resource Directory, on the real emulator and PostgreSQL: members
 * discovered at the start of each scan (ListAccounts, paged), each audited through AssumeRole on
 * its role (OSS, OSS Tables and KMS alike), refusals named in coverage, members that join audited
 * in the same scan and members that leave taken out of scope, a member an `accounts[]` entry names
 * audited once, as that entry says.
 */

const DENYING = [7, 19];

/** The fleet with member n's account changed (its resources, its keys). */
function withMember(fleet: FleetSpec, n: number, change: (account: AccountSpec) => AccountSpec): FleetSpec {
  return {
    ...fleet,
    accounts: fleet.accounts.map((account) =>
      account.id === memberAccountId(n) ? change(account) : account,
    ),
  };
}

function rowsOf(scan: ScanRecord, alias: string) {
  return scan.coverage.filter((row) => row.accountAlias === alias && row.kind === 'bucket');
}

describe('an organisation of 30 members, 2 of which deny the audit role', () => {
  let org: ScanEnvironment;
  let first: ScanRecord;

  beforeAll(async () => {
    // Pages of 8 members: the directory is read in 4 pages.
    org = await startOrganizationScanEnvironment({
      fleet: { ...organizationFleet({ members: 30, denying: DENYING }), maxPageSize: 8 },
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
    const org = await startOrganizationScanEnvironment({
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
    const org = await startOrganizationScanEnvironment({ fleet: organizationFleet({ members: 3 }) });
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
    const org = await startOrganizationScanEnvironment({
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

/** The resource keys a scan observed, by the alias of the account they were audited under. */
async function observedByAccount(org: ScanEnvironment, scan: ScanRecord): Promise<Map<string, string[]>> {
  const rows = await org.database.dataSource.query<{ account_alias: string; resource_key: string }[]>(
    `SELECT r."account_alias", r."resource_key" FROM "scan_observations" so
       JOIN "resources" r ON r."id" = so."resource_id"
      WHERE so."scan_id" = $1 ORDER BY r."resource_key"`,
    [scan.id],
  );
  const observed = new Map<string, string[]>();
  for (const row of rows) {
    observed.set(row.account_alias, [...(observed.get(row.account_alias) ?? []), row.resource_key]);
  }
  return observed;
}

describe('a member that an accounts[] entry configures by its uid', () => {
  const OVERRIDDEN = 2;
  const memberKey = {
    accessKeyId: 'LTAI5tMemberTwoOwnKey001',
    accessKeySecret: 'secret-of-member-two-own-key',
  };
  // Member 2 also has a bucket in cn-shanghai, a region the organisation's defaults do not audit.
  const fleet = withMember(organizationFleet({ members: 3 }), OVERRIDDEN, (account) => ({
    ...account,
    accessKeys: [memberKey],
    buckets: [
      ...account.buckets,
      { name: 'm2-sh', region: 'cn-shanghai', encryption: { sseAlgorithm: 'KMS' } },
    ],
  }));
  let org: ScanEnvironment;
  let scan: ScanRecord;

  beforeAll(async () => {
    org = await startOrganizationScanEnvironment({
      fleet,
      accounts: (url) => [
        {
          alias: 'member-two',
          accountId: memberAccountId(OVERRIDDEN),
          credentials: {
            type: 'access_key',
            accessKeyIdEnv: 'SEED_MEMBER_TWO_ACCESS_KEY_ID',
            accessKeySecretEnv: 'SEED_MEMBER_TWO_ACCESS_KEY_SECRET',
          },
          regions: ['cn-hangzhou', 'cn-shanghai'],
          exclude: ['m2-b1'],
          discover: { tableBuckets: false },
          endpoints: { oss: url, tables: url, kms: url, addressing: 'path', allowInsecureHttp: true },
        },
      ],
      extraEnv: {
        SEED_MEMBER_TWO_ACCESS_KEY_ID: memberKey.accessKeyId,
        SEED_MEMBER_TWO_ACCESS_KEY_SECRET: memberKey.accessKeySecret,
      },
    });
    scan = await org.runtime.runScan('cli');
  }, 60_000);
  afterAll(async () => {
    await org.close();
  });

  it('audits that member as the entry says (its own regions and excludes), the others with the defaults', async () => {
    expect(scan.status).toBe('succeeded');
    expect(await observedByAccount(org, scan)).toEqual(
      new Map([
        [memberAccountId(1), ['oss:m1-b0', 'oss:m1-b1']],
        ['member-two', ['oss:m2-b0', 'oss:m2-sh']],
        [memberAccountId(3), ['oss:m3-b0', 'oss:m3-b1']],
      ]),
    );
  });

  it('audits that member once: never as discovered, never through the organisation role', async () => {
    expect(new Set(scan.coverage.map((row) => row.accountAlias))).toEqual(
      new Set([memberAccountId(1), 'member-two', memberAccountId(3)]),
    );
    // Only members 1 and 3 were reached through their role.
    expect(org.emulator.requestCount('AssumeRole')).toBe(2);
    const accounts = await new AccountRepository(org.database.dataSource).list();
    expect(accounts.filter((account) => account.accountId === memberAccountId(OVERRIDDEN))).toEqual([
      expect.objectContaining({ alias: 'member-two', source: 'configured', inScope: true }),
    ]);
  });
});

describe('a member without the audit role', () => {
  it('is a named coverage failure (AssumeRole EntityNotExist.Role from STS) and the scan ends partial', async () => {
    const org = await startOrganizationScanEnvironment({
      fleet: organizationFleet({ members: 3, withoutRole: [2] }),
    });
    try {
      const scan = await org.runtime.runScan('cli');
      expect(scan.status).toBe('partial');
      const rows = rowsOf(scan, memberAccountId(2));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => !row.enumerationComplete)).toBe(true);
      expect(rows.flatMap((row) => row.errors ?? [])).toEqual([
        expect.objectContaining({ operation: 'AssumeRole', code: 'EntityNotExist.Role', httpStatus: 404 }),
      ]);
      for (const n of [1, 3]) {
        expect(rowsOf(scan, memberAccountId(n)).every((row) => row.enumerationComplete)).toBe(true);
      }
      const accounts = await new AccountRepository(org.database.dataSource).list();
      const without = accounts.find((account) => account.alias === memberAccountId(2));
      expect(without?.lastReachedAt).toBeNull();
      expect(without?.lastError?.code).toBe('EntityNotExist.Role');
    } finally {
      await org.close();
    }
  }, 60_000);
});

describe('a member with table buckets, audited through its role', () => {
  const member = memberAccountId(1);
  const keyId = 'key-hzz6304944631tables01';
  const keyArn = `acs:kms:cn-hangzhou:${member}:key/${keyId}`;
  // A KMS table bucket whose tables were created before (none, AES256) and after (KMS) its default.
  const fleet = withMember(organizationFleet({ members: 2 }), 1, (account) => ({
    ...account,
    kmsKeys: [{ keyId, region: 'cn-hangzhou', automaticRotation: 'Enabled', deletionProtection: 'Enabled' }],
    tableBuckets: [
      {
        name: 'm1-tables',
        region: 'cn-hangzhou',
        encryption: { sseAlgorithm: 'KMS', kmsKeyArn: keyArn },
        namespaces: [
          {
            name: 'sales',
            tables: [
              { name: 'orders' },
              { name: 'refunds', encryption: { sseAlgorithm: 'AES256' } },
              { name: 'legacy', encryption: null },
            ],
          },
        ],
      },
    ],
  }));

  it('reads the table bucket, its tables and their key with the assumed-role credentials, as the fleet truth says', async () => {
    const org = await startOrganizationScanEnvironment({
      fleet,
      organization: { defaults: { regions: ['cn-hangzhou'] } },
    });
    try {
      const scan = await org.runtime.runScan('cli');
      expect(scan.status).toBe('succeeded');
      const memberRows = scan.coverage.filter((row) => row.accountAlias === member);
      expect(memberRows.filter((row) => row.kind === 'table_bucket')).toEqual([
        expect.objectContaining({ listed: 1, observed: 1, enumerationComplete: true }),
      ]);
      expect(memberRows.filter((row) => row.kind === 'table')).toEqual([
        expect.objectContaining({ listed: 3, observed: 3, enumerationComplete: true }),
      ]);
      const tableBucketArn = `acs:osstables:cn-hangzhou:${member}:bucket/m1-tables`;
      expect((await observedByAccount(org, scan)).get(member)).toEqual(
        expect.arrayContaining([tableBucketArn, keyArn]),
      );
      expect(await openFindingRules(org.database.dataSource)).toEqual(expectedFindings(fleet));
      // refunds (AES256) and legacy (none) were created before the bucket's KMS default.
      const weaker = (await allFindings(org.database.dataSource)).filter(
        (finding) => finding.rule === 'table_weaker_than_bucket',
      );
      expect(weaker).toHaveLength(2);
      // The member has no AccessKey of its own: only the role's temporary credentials read its tables.
      expect(org.emulator.requestCount('GetTableEncryption')).toBe(3);
    } finally {
      await org.close();
    }
  }, 60_000);
});

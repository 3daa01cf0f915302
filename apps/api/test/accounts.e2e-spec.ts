import { generateFleet } from '@app/oss-emulator';
import {
  memberAccountId,
  organizationFleet,
  startOrganizationScanEnvironment,
  startScanEnvironment,
  type ScanEnvironment,
} from '@app/testing';

import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

interface AccountBody {
  readonly alias: string;
  readonly accountId: string | null;
  readonly source: string;
  readonly name: string | null;
  readonly folderId: string | null;
  readonly inScope: boolean;
  readonly leftAt: string | null;
  readonly lastScanId: number | null;
  readonly lastReachedAt: string | null;
  readonly lastError: { readonly code: string } | null;
  readonly coverage: { readonly listed: number; readonly observed: number } | null;
  readonly openFindings: Record<string, number>;
}

describe('GET /v1/accounts', () => {
  const fleet = generateFleet({
    accounts: 2,
    regions: ['cn-hangzhou'],
    buckets: 12,
    tableBuckets: 0,
    seed: 5,
  });
  let scanning: ScanEnvironment;
  let api: ApiTestApp;

  beforeAll(async () => {
    scanning = await startScanEnvironment({ fleet });
    api = await startApiTestApp(scanning);
  }, 60_000);
  afterAll(async () => {
    await api.close();
    await scanning.close();
  });

  it('lists each configured account with what the latest scan reached, its coverage and open findings', async () => {
    const scan = await scanning.runScan();
    const { token } = await api.issueKey('reader');

    const response = await api.http
      .get('/v1/accounts')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);

    const items = (response.body as { items: AccountBody[] }).items;
    expect(items.map((item) => [item.alias, item.accountId, item.source, item.inScope])).toEqual([
      ['account-1', fleet.accounts[0]?.id, 'configured', true],
      ['account-2', fleet.accounts[1]?.id, 'configured', true],
    ]);
    const openFindings = await scanning.database.dataSource.query<{ account_alias: string; count: number }[]>(
      `SELECT r."account_alias", count(*)::int AS count FROM "findings" f
         JOIN "resources" r ON r."id" = f."resource_id" WHERE f."status" = 'open' GROUP BY 1 ORDER BY 1`,
    );
    for (const item of items) {
      expect(item.lastScanId).toBe(scan.id);
      expect(item.lastReachedAt).toBe(scan.finishedAt?.toISOString());
      const rows = scan.coverage.filter((row) => row.accountAlias === item.alias && row.kind === 'bucket');
      expect(item.coverage?.listed).toBe(rows.reduce((sum, row) => sum + row.listed, 0));
      const total = Object.values(item.openFindings).reduce((sum, count) => sum + count, 0);
      expect(total).toBe(openFindings.find((row) => row.account_alias === item.alias)?.count ?? 0);
    }
  });

  it('needs an API key', async () => {
    await api.http.get('/v1/accounts').expect(401);
  });
});

describe('GET /v1/accounts of an organisation', () => {
  let scanning: ScanEnvironment;
  let api: ApiTestApp;

  beforeAll(async () => {
    // Member 3's role does not trust the management account.
    scanning = await startOrganizationScanEnvironment({
      fleet: organizationFleet({ members: 3, denying: [3] }),
    });
    api = await startApiTestApp(scanning);
  }, 60_000);
  afterAll(async () => {
    await api.close();
    await scanning.close();
  });

  const accounts = async (): Promise<AccountBody[]> => {
    const { token } = await api.issueKey('reader');
    const response = await api.http
      .get('/v1/accounts')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);
    return (response.body as { items: AccountBody[] }).items;
  };

  it('lists each discovered member by uid with its directory name and folder, and what the scan reached', async () => {
    const scan = await scanning.runScan();

    const items = await accounts();

    expect(items.map((item) => [item.alias, item.accountId, item.source, item.name, item.folderId])).toEqual([
      [memberAccountId(1), memberAccountId(1), 'discovered', 'member-01', 'fd-odd'],
      [memberAccountId(2), memberAccountId(2), 'discovered', 'member-02', 'fd-even'],
      [memberAccountId(3), memberAccountId(3), 'discovered', 'member-03', 'fd-odd'],
    ]);
    expect(items.every((item) => item.inScope && item.leftAt === null && item.lastScanId === scan.id)).toBe(
      true,
    );
    const reached = items.filter((item) => item.lastReachedAt !== null).map((item) => item.alias);
    expect(reached).toEqual([memberAccountId(1), memberAccountId(2)]);
    expect(items.find((item) => item.alias === memberAccountId(3))?.lastError?.code).toBe('NoPermission');
  });

  it('keeps a member that left the directory, out of scope with the start of the scan that saw it gone', async () => {
    scanning.emulator.state.directory?.leave(memberAccountId(2));
    const second = await scanning.runScan();

    const items = await accounts();

    // In scope first.
    expect(items.map((item) => [item.alias, item.inScope, item.leftAt])).toEqual([
      [memberAccountId(1), true, null],
      [memberAccountId(3), true, null],
      [memberAccountId(2), false, second.startedAt.toISOString()],
    ]);
    expect(items.find((item) => item.alias === memberAccountId(2))).toMatchObject({
      source: 'discovered',
      name: 'member-02',
      folderId: 'fd-even',
    });
  });
});

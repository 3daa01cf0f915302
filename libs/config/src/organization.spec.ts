import type { AuditConfig, OrganizationConfig } from './audit-config.types';
import type { ConfigEnvironment } from './audit-config.schema';
import { ConfigError, type ConfigIssue } from './config-error';
import { parseAuditConfig } from './load-audit-config';
import { compileMemberFilter, memberAccountConfig, type DirectoryMember } from './organization-members';

const ENV: ConfigEnvironment = {
  DATABASE_URL: 'postgres://seed:pw@localhost:5432/seed',
  SEED_ORG_KEY_ID: 'LTAI5tManagement',
  SEED_ORG_KEY_SECRET: 'management-secret-4f1d',
};

function organization(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    credentials: {
      type: 'access_key',
      accessKeyIdEnv: 'SEED_ORG_KEY_ID',
      accessKeySecretEnv: 'SEED_ORG_KEY_SECRET',
    },
    roleName: 'SeedAuditRole',
    ...overrides,
  };
}

function load(document: Record<string, unknown>): AuditConfig {
  return parseAuditConfig(document, { env: ENV, source: 'test.yaml' });
}

function issuesOf(document: Record<string, unknown>): readonly ConfigIssue[] {
  try {
    load(document);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

function loadOrganization(overrides: Record<string, unknown> = {}): OrganizationConfig {
  const config = load({ organization: organization(overrides) });
  if (config.organization === null) throw new Error('no organization');
  return config.organization;
}

describe('the organization block', () => {
  it('is enough on its own: no accounts are needed when an organisation is audited', () => {
    const config = load({ organization: organization({ defaults: { regions: ['cn-hangzhou'] } }) });
    expect(config.accounts).toEqual([]);
    expect(config.organization).toMatchObject({
      roleName: 'SeedAuditRole',
      externalId: null,
      roleSessionName: 'seed-auditor',
      durationSeconds: 3600,
      refreshMarginSeconds: 300,
      include: { accountIds: [], names: [], folderIds: [] },
      defaults: { regions: ['cn-hangzhou'], tableRegions: ['cn-hangzhou'] },
    });
  });

  it('still requires an account when there is no organisation', () => {
    const issues = issuesOf({});
    expect(issues.map((issue) => issue.path)).toEqual(['accounts']);
    expect(issues[0]?.message).toContain('at least one account');
  });

  it('names the key path of a bad role name, folder id and account id', () => {
    const issues = issuesOf({
      organization: organization({
        roleName: 'role with spaces',
        include: { folderIds: ['folder-1'], accountIds: ['12ab'] },
        defaults: { regions: ['cn-hangzhou'] },
      }),
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'organization.include.accountIds[0]',
      'organization.include.folderIds[0]',
      'organization.roleName',
    ]);
  });

  it('refuses sessions shorter than STS allows unless STS is an emulator', () => {
    expect(
      issuesOf({
        organization: organization({ durationSeconds: 60, defaults: { regions: ['cn-hangzhou'] } }),
      }),
    ).toEqual([
      {
        path: 'organization.durationSeconds',
        message:
          "must be 900-43200 (STS AssumeRole's limits); shorter only with an emulator as endpoints.sts",
      },
    ]);
    const emulated = loadOrganization({
      durationSeconds: 60,
      endpoints: { sts: 'http://127.0.0.1:9000', allowInsecureHttp: true },
      defaults: { regions: ['cn-hangzhou'] },
    });
    expect(emulated.durationSeconds).toBe(60);
  });

  it('requires tableRegions when members are audited in every region and their table buckets listed', () => {
    expect(issuesOf({ organization: organization() })).toEqual([
      expect.objectContaining({ path: 'organization.defaults.tableRegions' }),
    ]);
  });

  it('never quotes the management secret in an error', () => {
    const issues = issuesOf({
      organization: organization({
        credentials: {
          type: 'access_key',
          accessKeyIdEnv: 'SEED_ORG_KEY_ID',
          accessKeySecretEnv: 'management-secret-4f1d',
        },
        defaults: { regions: ['cn-hangzhou'] },
      }),
    });
    expect(JSON.stringify(issues)).not.toContain('management-secret-4f1d');
    expect(issues.map((issue) => issue.path)).toEqual(['organization.credentials.accessKeySecretEnv']);
  });
});

describe('which members are audited', () => {
  const members: DirectoryMember[] = [
    { accountId: '2000000000000001', displayName: 'prod-payments', folderId: 'fd-prod' },
    { accountId: '2000000000000002', displayName: 'prod-sandbox', folderId: 'fd-prod' },
    { accountId: '2000000000000003', displayName: 'dev-tools', folderId: 'fd-dev' },
    { accountId: '2000000000000004', displayName: 'shared', folderId: null },
  ];
  const selected = (filters: Record<string, unknown>) =>
    members
      .filter(compileMemberFilter(loadOrganization({ ...filters, defaults: { regions: ['cn-hangzhou'] } })))
      .map((member) => member.displayName);

  it('audits every member when nothing is included or excluded', () => {
    expect(selected({})).toEqual(['prod-payments', 'prod-sandbox', 'dev-tools', 'shared']);
  });

  it('includes by account id, name glob or folder id (any of them)', () => {
    expect(selected({ include: { accountIds: ['2000000000000004'], folderIds: ['fd-dev'] } })).toEqual([
      'dev-tools',
      'shared',
    ]);
    expect(selected({ include: { names: ['prod-*'] } })).toEqual(['prod-payments', 'prod-sandbox']);
  });

  it('lets exclude win over include', () => {
    expect(selected({ include: { folderIds: ['fd-prod'] }, exclude: { names: ['*-sandbox'] } })).toEqual([
      'prod-payments',
    ]);
    expect(selected({ exclude: { accountIds: ['2000000000000001'], folderIds: ['fd-dev'] } })).toEqual([
      'prod-sandbox',
      'shared',
    ]);
  });
});

describe('a member audited with the organisation defaults', () => {
  it('is addressed by its uid and assumes the organisation role in its own account', () => {
    const member = memberAccountConfig(
      loadOrganization({
        externalId: 'ext-7',
        defaults: { regions: ['cn-shanghai'], rate: { initialRps: 5, maxRps: 20 } },
      }),
      '2000000000000009',
    );
    expect(member).toMatchObject({
      alias: '2000000000000009',
      accountId: '2000000000000009',
      credentials: {
        type: 'organization_role',
        roleArn: 'acs:ram::2000000000000009:role/SeedAuditRole',
        externalId: 'ext-7',
      },
      regions: ['cn-shanghai'],
      tableRegions: ['cn-shanghai'],
      rate: { initialRps: 5, maxRps: 20, minRps: 1, concurrency: 8 },
    });
  });
});

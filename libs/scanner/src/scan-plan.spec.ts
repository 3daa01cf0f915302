import { parseAuditConfig } from '@app/config';

import { enumerationTasks } from './scan-plan';

function accounts(...aliases: string[]) {
  const config = parseAuditConfig(
    {
      accounts: aliases.map((alias) => ({
        alias,
        regions: ['cn-hangzhou', 'cn-shanghai'],
        credentials: { type: 'access_key', accessKeyIdEnv: 'AK', accessKeySecretEnv: 'SK' },
      })),
    },
    {
      env: {
        AK: 'LTAI5tExampleKeyId',
        SK: 'example-secret',
        DATABASE_URL: 'postgres://auditor@localhost/seed',
      },
      source: 'scan-plan test',
    },
  );
  return config.accounts;
}

describe('enumerationTasks', () => {
  it("lists every account's buckets first: the jobs are fetched in this order, and bucket listings find most of the work", () => {
    const tasks = enumerationTasks(accounts('prod', 'dev'));
    expect(tasks.map((task) => `${task.accountAlias} ${task.resourceKind} ${task.region}`)).toEqual([
      'prod bucket *',
      'dev bucket *',
      'prod table_bucket cn-hangzhou',
      'prod table_bucket cn-shanghai',
      'dev table_bucket cn-hangzhou',
      'dev table_bucket cn-shanghai',
    ]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, parseAuditConfig } from '@app/config';

import { assertExceptionsFileValid, readExceptionsFile } from './exceptions-file';

const VALID = `version: 1
exceptions:
  - id: legacy-logs
    scope: { type: names, accountAlias: prod, namePatterns: ['logs-*'], region: null, resourceKind: bucket }
    controlIds: [cis-alibaba-v2.0.0-5.9]
    findingRules: [kms_default_key]
    reason: Log archive stays on the service key until SEC-42
    owner: alice@example.com
    approver: bob@example.com
    ticketUrl: https://jira.example.com/browse/SEC-42
    createdBy: alice@example.com
    createdAt: 2026-01-10T00:00:00Z
    approvedAt: 2026-01-11T00:00:00Z
    expiresAt: 2026-12-31T00:00:00Z
`;

describe('the exceptions file', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'seed-exceptions-file-'));
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  const write = (name: string, text: string): string => {
    const path = join(directory, name);
    writeFileSync(path, text);
    return path;
  };
  const configNaming = (file: string | null) =>
    parseAuditConfig(
      {
        accounts: [
          {
            alias: 'prod',
            credentials: { type: 'access_key', accessKeyIdEnv: 'AK', accessKeySecretEnv: 'SK' },
            regions: ['cn-hangzhou'],
          },
        ],
        exceptions: { file },
      },
      { env: { AK: 'LTAI5tExample', SK: 'secret-value', DATABASE_URL: 'postgres://127.0.0.1/x' } },
    );

  it('reads a valid file into file exceptions', async () => {
    const reading = await readExceptionsFile(write('valid.yaml', VALID), { maxDurationDays: 365 });
    expect(reading.ok && reading.exceptions.map((exception) => [exception.id, exception.source])).toEqual([
      ['file:legacy-logs', 'file'],
    ]);
  });

  it('rejects the whole file, naming the file, the entry and the field of every problem', async () => {
    const path = write('bad.yaml', VALID.replace('approver: bob@example.com', 'approver: alice@example.com'));
    const reading = await readExceptionsFile(path, { maxDurationDays: 365 });
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.problems.join('\n')).toContain(`${path}: exceptions[0].approver`);
  });

  it('stops startup with a configuration error naming exceptions.file, and passes a valid or no file', async () => {
    await expect(
      assertExceptionsFileValid(configNaming(join(directory, 'missing.yaml')), 'audit.yaml'),
    ).rejects.toThrow(ConfigError);
    await expect(
      assertExceptionsFileValid(configNaming(join(directory, 'missing.yaml')), 'audit.yaml'),
    ).rejects.toThrow(/exceptions\.file/);
    await expect(
      assertExceptionsFileValid(configNaming(write('ok.yaml', VALID)), 'audit.yaml'),
    ).resolves.toBeUndefined();
    await expect(assertExceptionsFileValid(configNaming(null), 'audit.yaml')).resolves.toBeUndefined();
  });
});

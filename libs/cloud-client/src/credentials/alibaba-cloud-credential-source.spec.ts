import { inspect } from 'node:util';

import type { CredentialsProvider } from '@alicloud/credentials';

import { AlibabaCloudCredentialSource } from './alibaba-cloud-credential-source';

const SECRET = 'sk-very-secret-value-0002';

/** A provider of the library's interface whose answers the test releases by hand. */
function manualProvider() {
  const calls: ((value: { accessKeyId: string; accessKeySecret: string; securityToken: string }) => void)[] =
    [];
  const provider = {
    getProviderName: () => 'manual',
    getCredentials: () =>
      new Promise((resolve) => {
        calls.push(resolve);
      }),
  } as unknown as CredentialsProvider;
  return { provider, calls };
}

describe('AlibabaCloudCredentialSource', () => {
  it('reads an access_key spec through the library without a security token', async () => {
    const source = new AlibabaCloudCredentialSource({
      type: 'access_key',
      accessKeyId: 'LTAI5tExampleKey',
      accessKeySecret: SECRET,
    });
    await expect(source.getCredentials()).resolves.toEqual({
      accessKeyId: 'LTAI5tExampleKey',
      accessKeySecret: SECRET,
    });
  });

  it('reads an sts spec through the library with its security token', async () => {
    const source = new AlibabaCloudCredentialSource({
      type: 'sts',
      accessKeyId: 'STS.NExample',
      accessKeySecret: SECRET,
      securityToken: 'token-1',
    });
    await expect(source.getCredentials()).resolves.toEqual({
      accessKeyId: 'STS.NExample',
      accessKeySecret: SECRET,
      securityToken: 'token-1',
    });
  });

  it('builds an AssumeRole provider without contacting STS until credentials are asked for', () => {
    expect(
      () =>
        new AlibabaCloudCredentialSource({
          type: 'ram_role_arn',
          accessKeyId: 'LTAI5tExampleKey',
          accessKeySecret: SECRET,
          roleArn: 'acs:ram::1234567890:role/auditor',
          roleSessionName: 'seed-audit',
        }),
    ).not.toThrow();
  });

  it('passes the library its own validation errors (AssumeRole sessions shorter than 900 s)', () => {
    expect(
      () =>
        new AlibabaCloudCredentialSource({
          type: 'ram_role_arn',
          accessKeyId: 'LTAI5tExampleKey',
          accessKeySecret: SECRET,
          roleArn: 'acs:ram::1234567890:role/auditor',
          durationSeconds: 60,
        }),
    ).toThrow(/900/);
  });

  it('makes concurrent callers share one in-flight fetch', async () => {
    const { provider, calls } = manualProvider();
    const source = new AlibabaCloudCredentialSource(provider);
    const results = Promise.all([source.getCredentials(), source.getCredentials(), source.getCredentials()]);
    expect(calls).toHaveLength(1);
    calls[0]!({ accessKeyId: 'STS.A', accessKeySecret: SECRET, securityToken: 't' });
    const [first, second, third] = await results;
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('asks the provider again once the previous fetch settled (the library decides on renewal)', async () => {
    const { provider, calls } = manualProvider();
    const source = new AlibabaCloudCredentialSource(provider);
    const first = source.getCredentials();
    calls[0]!({ accessKeyId: 'STS.A', accessKeySecret: SECRET, securityToken: 't1' });
    await first;
    const second = source.getCredentials();
    calls[1]!({ accessKeyId: 'STS.B', accessKeySecret: SECRET, securityToken: 't2' });
    await expect(second).resolves.toMatchObject({ accessKeyId: 'STS.B', securityToken: 't2' });
  });

  it('renders as its credential type only', () => {
    const source = new AlibabaCloudCredentialSource({
      type: 'access_key',
      accessKeyId: 'LTAI5tExampleKey',
      accessKeySecret: SECRET,
    });
    for (const rendering of [
      String(source),
      inspect(source, { depth: 10, showHidden: true }),
      JSON.stringify(source),
    ]) {
      expect(rendering).toContain('access_key');
      expect(rendering).not.toContain(SECRET);
    }
  });
});

import { request } from 'undici';

import { startEmulator, type EmulatorHandle } from '@app/oss-emulator';
import {
  AUDIT_ROLE_NAME,
  MANAGEMENT_KEY,
  memberAccountId,
  memberAccountSpec,
  memberSpec,
  organizationFleet,
  waitUntil,
} from '@app/testing';

import { StaticCredentialSource, type CredentialSource } from '../credentials/credential-source';
import { KmsClient } from '../kms-client';
import { OssClient } from '../oss-client';
import { createOssDispatcher } from '../transport/dispatcher';
import { AssumedRoleCredentialSource } from './assumed-role-credential-source';
import { ResourceManagerClient, StsClient } from './organization-clients';

/**
 * Resource Manager ListAccounts and STS AssumeRole against the emulator, which verifies their
 * ACS3-HMAC-SHA256 signatures as the gateway does, and the temporary credentials it issues used
 * with OSS and KMS until they expire.
 */
describe('the organisation APIs on the emulator', () => {
  let emulator: EmulatorHandle;
  const dispatcher = createOssDispatcher();
  // Member 2 does not trust the management account; member 3 has no audit role.
  const fleet = organizationFleet({ members: 12, denying: [2], withoutRole: [3], minDurationSeconds: 1 });
  const roleArn = (n: number) => `acs:ram::${memberAccountId(n)}:role/${AUDIT_ROLE_NAME}`;
  const management = new StaticCredentialSource(MANAGEMENT_KEY);
  const clientOptions = (credentials: CredentialSource = management) => ({
    credentials,
    dispatcher,
    endpointOverride: emulator.url,
    retry: { maxAttempts: 1 },
  });

  beforeAll(async () => {
    emulator = await startEmulator({ fleet, maxPageSize: 5 });
  });
  afterAll(async () => {
    await emulator.close();
    await dispatcher.close();
  });

  it('lists every member across pages, in join order, with name and folder', async () => {
    const pages: (string | null)[] = [];
    const members = [];
    for await (const member of new ResourceManagerClient(clientOptions()).listAccounts({
      onPage: (page) => pages.push(page.requestId),
    })) {
      members.push(member);
    }
    expect(members.map((member) => member.accountId)).toEqual(
      Array.from({ length: 12 }, (_, index) => memberAccountId(index + 1)),
    );
    expect(members[0]).toMatchObject({
      displayName: 'member-01',
      folderId: 'fd-odd',
      status: 'CreateSuccess',
    });
    expect(pages).toHaveLength(3);
    expect(pages.every((id) => id !== null)).toBe(true);
  });

  it('refuses a request signed with the wrong secret (SignatureDoesNotMatch)', async () => {
    const forged = new StaticCredentialSource({ ...MANAGEMENT_KEY, accessKeySecret: 'not-the-secret' });
    const listing = new ResourceManagerClient(clientOptions(forged)).listAccounts();
    await expect(listing[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      info: { code: 'SignatureDoesNotMatch', operation: 'ListAccounts' },
    });
  });

  it('answers a role the member lacks with 404 EntityNotExist.Role, and a role that distrusts the caller with 403 NoPermission', async () => {
    const sts = new StsClient(clientOptions());
    const request = { roleSessionName: 'seed-auditor', durationSeconds: 900 };
    expect(await sts.assumeRole({ ...request, roleArn: roleArn(3) })).toMatchObject({
      outcome: 'error',
      error: { code: 'EntityNotExist.Role', httpStatus: 404, operation: 'AssumeRole' },
    });
    expect(await sts.assumeRole({ ...request, roleArn: roleArn(2) })).toMatchObject({
      outcome: 'error',
      error: { code: 'NoPermission', httpStatus: 403 },
    });
  });

  it('issues credentials that OSS and KMS of the member accept, and refuse once they expire', async () => {
    const sts = new StsClient(clientOptions());
    const issued = await sts.assumeRole({
      roleArn: roleArn(1),
      roleSessionName: 'seed-auditor',
      durationSeconds: 1,
    });
    if (issued.outcome !== 'credentials') throw new Error(`AssumeRole failed: ${issued.error.code}`);
    const { accessKeyId, accessKeySecret, securityToken, expiration } = issued.credentials;
    const temporary = new StaticCredentialSource({ accessKeyId, accessKeySecret, securityToken });
    const oss = new OssClient({
      ...clientOptions(temporary),
      addressing: 'path-style',
      listBucketsRegion: 'cn-hangzhou',
    });
    const kms = new KmsClient(clientOptions(temporary));

    expect(await oss.getBucketEncryption('m1-b0', 'cn-hangzhou')).toMatchObject({ outcome: 'rule' });
    expect(await kms.describeKey('cn-hangzhou', 'key-absent')).toMatchObject({ outcome: 'key_not_found' });

    await waitUntil(() => Date.now() >= expiration.getTime() + 50, {
      timeoutMs: 5_000,
      what: 'the credentials to expire',
    });
    expect(await oss.getBucketEncryption('m1-b0', 'cn-hangzhou')).toMatchObject({
      outcome: 'error',
      error: { code: 'SecurityTokenExpired', httpStatus: 403 },
    });
    expect(await kms.describeKey('cn-hangzhou', 'key-absent')).toMatchObject({
      outcome: 'error',
      error: { code: 'InvalidSecurityToken.Expired' },
    });
  });

  it('renews a member role before its credentials expire', async () => {
    const source = new AssumedRoleCredentialSource({
      sts: new StsClient(clientOptions()),
      request: { roleArn: roleArn(4), roleSessionName: 'seed-auditor', durationSeconds: 2 },
      refreshMarginSeconds: 1,
    });
    const first = await source.getCredentials();
    expect(await source.getCredentials()).toBe(first);
    const assumedBefore = emulator.requestCount('AssumeRole');
    // Half the 2-second lifetime on, the source asks STS again.
    await waitUntil(async () => (await source.getCredentials()).accessKeyId !== first.accessKeyId, {
      timeoutMs: 5_000,
      what: 'renewed credentials',
    });
    expect(emulator.requestCount('AssumeRole')).toBe(assumedBefore + 1);
    const oss = new OssClient({
      ...clientOptions(source),
      addressing: 'path-style',
      listBucketsRegion: 'cn-hangzhou',
    });
    expect(await oss.getBucketEncryption('m4-b0', 'cn-hangzhou')).toMatchObject({ outcome: 'rule' });
  });

  it('lists a member that joined through the admin API, and no longer one that left', async () => {
    const admin = (method: 'POST' | 'DELETE', path: string, body?: unknown) =>
      request(`${emulator.url}/__emulator/${path}`, {
        method,
        headers: { authorization: `Bearer ${emulator.adminToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const joined = await admin('POST', 'directory-members', {
      account: memberAccountSpec(13),
      member: memberSpec(13),
    });
    expect(joined.statusCode).toBe(201);
    expect(await joined.body.json()).toMatchObject({ accountId: memberAccountId(13), folderId: 'fd-odd' });
    const left = await admin('DELETE', `directory-members/${memberAccountId(5)}`);
    expect(left.statusCode).toBe(204);
    await left.body.dump();

    const ids: string[] = [];
    for await (const member of new ResourceManagerClient(clientOptions()).listAccounts())
      ids.push(member.accountId);
    expect(ids).toContain(memberAccountId(13));
    expect(ids).not.toContain(memberAccountId(5));
    expect(ids).toHaveLength(12);
  });
});

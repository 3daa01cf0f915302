import type { SigningCredentials } from '@app/signing';

import type { CredentialSource } from './credentials/credential-source';
import { OssArgumentError } from './errors';
import { KmsClient } from './kms-client';
import { createMockService, NOW, TEST_CREDENTIALS, verifySeenAcs3Request } from './testing/mock-service';
import {
  DESCRIBE_KEY_DOC,
  DESCRIBE_KEY_PENDING_DELETION,
  DOC_KEY_ID,
  kmsError,
} from './testing/kms-responses';

const ORIGIN = 'https://kms.cn-hangzhou.aliyuncs.com';
const KEY_ID = 'key-hzz630494463ejqjx0001';
const ANY_KEY = /^\/\?KeyId=/;
const JSON_HEADERS = { headers: { 'content-type': 'application/json;charset=utf-8' } };

function errorReply(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return [
    status,
    kmsError(code, message),
    { headers: { 'content-type': 'application/json', ...headers } },
  ] as const;
}

describe('KmsClient.describeKey', () => {
  let service: ReturnType<typeof createMockService>;
  let client: KmsClient;

  beforeEach(() => {
    service = createMockService();
    client = new KmsClient(service.options);
  });

  afterEach(async () => {
    await service.agent.close();
  });

  const kms = () => service.agent.get(ORIGIN);

  it('POSTs to / with the KeyId in the query, x-acs-action and version, signed with ACS3', async () => {
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION, JSON_HEADERS);
    await client.describeKey('cn-hangzhou', KEY_ID);
    const [request] = service.requests();

    expect(request).toMatchObject({ method: 'POST', path: `/?KeyId=${KEY_ID}` });
    expect(request!.headers).toMatchObject({
      host: 'kms.cn-hangzhou.aliyuncs.com',
      'x-acs-action': 'DescribeKey',
      'x-acs-version': '2016-01-20',
      'x-acs-date': '2025-04-17T08:00:00Z',
      'x-acs-signature-nonce': 'nonce-0001',
      'x-acs-security-token': TEST_CREDENTIALS.securityToken,
      accept: 'application/json',
    });
    expect(request!.headers['authorization']).toMatch(
      /^ACS3-HMAC-SHA256 Credential=STS\.NTestKeyId,SignedHeaders=host;/,
    );
    expect(verifySeenAcs3Request(request!)).toMatchObject({
      ok: true,
      action: 'DescribeKey',
      version: '2016-01-20',
    });
  });

  it('returns the documented sample (asked by alias) as metadata, empty strings as null, with the request id', async () => {
    kms().intercept({ path: ANY_KEY, method: 'POST' }).reply(200, DESCRIBE_KEY_DOC, JSON_HEADERS);
    await expect(client.describeKey('cn-hangzhou', 'alias/doc-sample')).resolves.toEqual({
      outcome: 'key',
      requestId: 'f1fdfa9d-bd49-418b-942f-8f3e3ec00a4f',
      metadata: {
        keyId: DOC_KEY_ID,
        arn: 'acs:kms:cn-hangzhou:154035569884****:key/05754286-3ba2-4fa6-8d41-4323aca6****',
        keyState: 'Enabled',
        creator: '154035569884****',
        origin: 'Aliyun_KMS',
        protectionLevel: 'HSM',
        automaticRotation: 'Disabled',
        rotationInterval: null,
        deletionProtection: 'Enabled',
        deleteDate: null,
        keySpec: 'Aliyun_AES_256',
        keyUsage: 'ENCRYPT/DECRYPT',
        creationDate: '2021-05-20T06:34:21Z',
        nextRotationDate: null,
        lastRotationDate: '2021-05-20T06:34:21Z',
        primaryKeyVersion: '515e0b0a-624f-45ab-92b5-54f9b551****',
        materialExpireTime: null,
        description: null,
      },
    });
  });

  it('reads a key pending deletion with its delete date, rotation and imported material', async () => {
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION, JSON_HEADERS);
    await expect(client.describeKey('cn-hangzhou', KEY_ID)).resolves.toMatchObject({
      outcome: 'key',
      requestId: 'REQ-PD',
      metadata: {
        keyState: 'PendingDeletion',
        deleteDate: '2024-05-26T18:22:03Z',
        origin: 'EXTERNAL',
        automaticRotation: 'Enabled',
        rotationInterval: '31536000s',
        materialExpireTime: '2026-01-01T00:00:00Z',
      },
    });
  });

  it('asks by ARN and by alias, encoding the alias slash in the query', async () => {
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION, JSON_HEADERS)
      .times(2);
    await client.describeKey('cn-hangzhou', `acs:kms:cn-hangzhou:1540355698840001:key/${KEY_ID}`);
    await client.describeKey('cn-hangzhou', 'alias/acs/oss');
    expect(service.requests().map((request) => request.path)).toEqual([
      `/?KeyId=acs%3Akms%3Acn-hangzhou%3A1540355698840001%3Akey%2F${KEY_ID}`,
      '/?KeyId=alias%2Facs%2Foss',
    ]);
  });

  it('uses kms-vpc when internal, and connects to an override while keeping the KMS Host', async () => {
    const vpc = new KmsClient({ ...service.options, internal: true });
    service.agent
      .get('https://kms-vpc.cn-shanghai.aliyuncs.com')
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION, JSON_HEADERS);
    await vpc.describeKey('cn-shanghai', KEY_ID);
    const emulated = new KmsClient({ ...service.options, endpointOverride: 'http://127.0.0.1:9000' });
    service.agent
      .get('http://127.0.0.1:9000')
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION, JSON_HEADERS);
    await emulated.describeKey('cn-beijing', KEY_ID);
    expect(service.requests().map((request) => [request.origin, request.headers['host']])).toEqual([
      ['https://kms-vpc.cn-shanghai.aliyuncs.com', 'kms-vpc.cn-shanghai.aliyuncs.com'],
      ['http://127.0.0.1:9000', 'kms.cn-beijing.aliyuncs.com'],
    ]);
  });

  it.each([
    ['Forbidden.KeyNotFound', 'The specified Key is not found.'],
    ['Forbidden.AliasNotFound', 'The specified Alias is not found.'],
  ])('reads a 404 %s as key_not_found', async (code, message) => {
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(...errorReply(404, code, message));
    await expect(client.describeKey('cn-hangzhou', KEY_ID)).resolves.toEqual({
      outcome: 'key_not_found',
      code,
      requestId: 'REQ-ERR',
    });
  });

  it.each(['Forbidden.NoPermission', 'Forbidden.RAM', 'Forbidden.KmsServiceNotEnabled'])(
    'reads a 403 %s as access_denied, not retried',
    async (code) => {
      kms()
        .intercept({ path: ANY_KEY, method: 'POST' })
        .reply(...errorReply(403, code, 'denied'));
      await expect(client.describeKey('cn-hangzhou', KEY_ID)).resolves.toEqual({
        outcome: 'access_denied',
        error: {
          code,
          message: 'denied',
          requestId: 'REQ-ERR',
          ec: null,
          httpStatus: 403,
          operation: 'DescribeKey',
          attempts: 1,
          host: 'kms.cn-hangzhou.aliyuncs.com',
          kind: 'service',
        },
      });
    },
  );

  it('retries Throttling (a 400) as a throttle and halves the account rate', async () => {
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(...errorReply(400, 'Throttling', 'Request was denied due to request throttling.'));
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION, JSON_HEADERS);
    await expect(client.describeKey('cn-hangzhou', KEY_ID)).resolves.toMatchObject({ outcome: 'key' });
    expect(service.rateLimiter.currentRate()).toBeLessThan(1_000);
    expect(service.sleeps).toHaveLength(1);
  });

  it('signs every attempt afresh, with a new nonce', async () => {
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(...errorReply(503, 'ServiceUnavailableTemporary', 'x'));
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION, JSON_HEADERS);
    await client.describeKey('cn-hangzhou', KEY_ID);
    expect(service.requests().map((request) => request.headers['x-acs-signature-nonce'])).toEqual([
      'nonce-0001',
      'nonce-0002',
    ]);
  });

  it('gives up on InternalFailure after the attempt limit as an error', async () => {
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(...errorReply(500, 'InternalFailure', 'Internal Failure.'))
      .times(3);
    await expect(client.describeKey('cn-hangzhou', KEY_ID)).resolves.toMatchObject({
      outcome: 'error',
      error: { code: 'InternalFailure', httpStatus: 500, attempts: 3, kind: 'service' },
    });
  });

  it('corrects the clock from the Date header of InvalidTimeStamp.Expired and re-signs once', async () => {
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(
        ...errorReply(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.', {
          date: new Date(NOW + 20 * 60_000).toUTCString(),
        }),
      );
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION, JSON_HEADERS);
    await expect(client.describeKey('cn-hangzhou', KEY_ID)).resolves.toMatchObject({ outcome: 'key' });
    expect(service.requests().map((request) => request.headers['x-acs-date'])).toEqual([
      '2025-04-17T08:00:00Z',
      '2025-04-17T08:20:00Z',
    ]);
    expect(service.retryBudget.available).toBe(500);
  });

  it('refreshes credentials once on InvalidSecurityToken.Expired', async () => {
    const rotated: SigningCredentials = { ...TEST_CREDENTIALS, securityToken: 'rotated-token' };
    let calls = 0;
    const rotating: CredentialSource = {
      getCredentials: () => Promise.resolve(++calls === 1 ? TEST_CREDENTIALS : rotated),
    };
    service = createMockService(rotating);
    client = new KmsClient(service.options);
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(...errorReply(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.'));
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(200, DESCRIBE_KEY_PENDING_DELETION, JSON_HEADERS);
    await expect(client.describeKey('cn-hangzhou', KEY_ID)).resolves.toMatchObject({ outcome: 'key' });
    expect(service.requests()[1]!.headers['x-acs-security-token']).toBe('rotated-token');
  });

  it('never echoes the secret or token a service message carries', async () => {
    const echo = `bad token ${TEST_CREDENTIALS.securityToken} for ${TEST_CREDENTIALS.accessKeySecret}`;
    kms()
      .intercept({ path: ANY_KEY, method: 'POST' })
      .reply(...errorReply(400, 'IncompleteSignature', echo));
    const result = await client.describeKey('cn-hangzhou', KEY_ID);
    expect(result).toMatchObject({ outcome: 'error', error: { code: 'IncompleteSignature', attempts: 1 } });
    expect(JSON.stringify(result)).not.toContain(TEST_CREDENTIALS.securityToken);
    expect(JSON.stringify(result)).not.toContain(TEST_CREDENTIALS.accessKeySecret);
  });

  it.each([
    ['a body that is not JSON', '<html>gateway</html>'],
    ['an answer without KeyMetadata', '{"RequestId":"R"}'],
    ['a KeyMetadata without KeyState', JSON.stringify({ KeyMetadata: { KeyId: KEY_ID } })],
    ['a non-string value', JSON.stringify({ KeyMetadata: { KeyId: KEY_ID, KeyState: 1 } })],
    [
      'another key than the one asked for',
      JSON.stringify({ KeyMetadata: { KeyId: 'key-other', KeyState: 'Enabled' } }),
    ],
    ['JSON nested beyond the limit', `${'['.repeat(50)}${']'.repeat(50)}`],
  ])('refuses %s as malformed_response', async (_name, body) => {
    kms().intercept({ path: ANY_KEY, method: 'POST' }).reply(200, body, JSON_HEADERS).times(3);
    await expect(client.describeKey('cn-hangzhou', KEY_ID)).resolves.toMatchObject({
      outcome: 'error',
      error: { kind: 'malformed_response', code: 'MalformedResponse', attempts: 3 },
    });
  });

  it('refuses an answer over the size cap unread', async () => {
    const small = new KmsClient({ ...service.options, maxResponseBytes: 1024 });
    kms().intercept({ path: ANY_KEY, method: 'POST' }).reply(200, 'x'.repeat(4096), JSON_HEADERS);
    await expect(small.describeKey('cn-hangzhou', KEY_ID)).resolves.toMatchObject({
      outcome: 'error',
      error: { kind: 'response_too_large' },
    });
  });

  it('throws OssArgumentError for an invalid KeyId, region, or an ARN of another region', async () => {
    await expect(client.describeKey('cn-hangzhou', 'not a key')).rejects.toThrow(OssArgumentError);
    await expect(client.describeKey('cn hangzhou', KEY_ID)).rejects.toThrow(OssArgumentError);
    await expect(client.describeKey('cn-hangzhou', `acs:kms:cn-beijing:1:key/${KEY_ID}`)).rejects.toThrow(
      OssArgumentError,
    );
    expect(service.requests()).toEqual([]);
  });
});

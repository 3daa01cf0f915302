import { request } from 'undici';

import { startEmulator, type EmulatorHandle } from './emulator';
import { sendAcs3, type Acs3Call } from '../testing/acs3-client';
import { kmsTestFleet } from '../testing/kms-test-fleet';
import { ACCOUNT_A, ACCOUNT_B, EXPIRED_STS_A, KEY_A, KEY_C, STS_A } from '../testing/test-fleet';

/** KMS DescribeKey over loopback: routing, ACS3 verification, every answer, faults, admin changes. */

const NOW = Date.UTC(2025, 3, 17, 10, 0, 0);
const HZ = 'kms.cn-hangzhou.aliyuncs.com';

let emulator: EmulatorHandle;
let nonces = 0;

beforeEach(async () => {
  emulator = await startEmulator({ fleet: kmsTestFleet(), now: () => NOW, adminToken: 'admin' });
});

afterEach(async () => {
  await emulator.close();
});

function describeKey(keyId: string | undefined, overrides: Partial<Acs3Call> = {}): Acs3Call {
  nonces += 1;
  return {
    host: HZ,
    query: keyId === undefined ? [] : [['KeyId', keyId]],
    credentials: KEY_A,
    signingTime: new Date(NOW),
    nonce: `nonce-${nonces}`,
    ...overrides,
  };
}

async function codeOf(call: Acs3Call, mutate?: (h: Record<string, string>) => Record<string, string>) {
  const answer = await sendAcs3(emulator.url, call, mutate);
  return `${answer.status} ${String(answer.json.Code)}`;
}

describe('DescribeKey answers', () => {
  it('describes a key on its regional host, as KMS answers', async () => {
    const answer = await sendAcs3(emulator.url, describeKey('cmk-0001'));
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json;charset=utf-8',
      date: 'Thu, 17 Apr 2025 10:00:00 GMT',
    });
    expect(answer.headers['x-acs-request-id']).toMatch(/^[0-9A-F-]{36}$/);
    expect(answer.json).toEqual({
      RequestId: answer.headers['x-acs-request-id'],
      KeyMetadata: {
        KeyId: 'cmk-0001',
        Arn: `acs:kms:cn-hangzhou:${ACCOUNT_A}:key/cmk-0001`,
        KeyState: 'Enabled',
        Creator: ACCOUNT_A,
        Origin: 'Aliyun_KMS',
        ProtectionLevel: 'SOFTWARE',
        KeySpec: 'Aliyun_AES_256',
        KeyUsage: 'ENCRYPT/DECRYPT',
        Description: '',
        CreationDate: '2024-01-01T00:00:00Z',
        AutomaticRotation: 'Disabled',
        LastRotationDate: '2024-01-01T00:00:00Z',
        DeletionProtection: 'Disabled',
        DeleteDate: '',
        MaterialExpireTime: '',
        PrimaryKeyVersion: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      },
    });
  });

  it('tells the states, the OSS service key by alias, deletion and rotation apart', async () => {
    const pending = await sendAcs3(emulator.url, describeKey('cmk-0002'));
    const service = await sendAcs3(emulator.url, describeKey('alias/acs/oss'));
    const imported = await sendAcs3(
      emulator.url,
      describeKey('key-byok-sh', { host: 'kms.cn-shanghai.aliyuncs.com' }),
    );
    expect(pending.json.KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      DeleteDate: '2025-04-24T10:00:00Z',
      AutomaticRotation: 'Enabled',
      RotationInterval: '31536000s',
      NextRotationDate: '2024-12-31T00:00:00Z',
    });
    expect(service.json.KeyMetadata).toMatchObject({
      KeyId: 'key-oss-service-hz',
      Creator: 'Oss',
      DeletionProtection: 'Enabled',
    });
    expect(imported.json.KeyMetadata).toMatchObject({ KeyState: 'PendingImport', Origin: 'EXTERNAL' });
  });

  it('serves the VPC host, and a neutral host that carries x-acs-action, by ARN', async () => {
    const vpc = await sendAcs3(
      emulator.url,
      describeKey('cmk-0001', { host: 'kms-vpc.cn-hangzhou.aliyuncs.com' }),
    );
    const arn = `acs:kms:cn-shanghai:${ACCOUNT_A}:key/key-byok-sh`;
    const neutral = await sendAcs3(emulator.url, describeKey(arn, { host: '127.0.0.1' }));
    expect([vpc.status, neutral.status]).toEqual([200, 200]);
    expect(neutral.json.KeyMetadata).toMatchObject({ KeyId: 'key-byok-sh' });
  });

  it('reads the KeyId from a form body too, and answers GET', async () => {
    const form = await sendAcs3(
      emulator.url,
      describeKey(undefined, {
        body: 'KeyId=cmk-0001',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    const get = await sendAcs3(emulator.url, describeKey('cmk-0001', { method: 'GET' }));
    expect([form.status, get.status]).toEqual([200, 200]);
  });

  it('counts DescribeKey requests', async () => {
    await sendAcs3(emulator.url, describeKey('cmk-0001'));
    await sendAcs3(emulator.url, describeKey('nope-0001'));
    expect(emulator.requestCount('DescribeKey')).toBe(2);
  });
});

describe('DescribeKey errors', () => {
  it.each([
    ['an unknown key', 'key-nothing', '404 Forbidden.KeyNotFound'],
    ['a key of another region', 'key-byok-sh', '404 Forbidden.KeyNotFound'],
    ["another account's key by id", 'key-b-0001', '404 Forbidden.KeyNotFound'],
    ['an unknown alias', 'alias/nothing', '404 Forbidden.AliasNotFound'],
    ['a key whose policy denies the caller', 'key-denied', '403 Forbidden.NoPermission'],
    [
      "another account's key by ARN",
      `acs:kms:cn-hangzhou:${ACCOUNT_B}:key/key-b-0001`,
      '403 Forbidden.NoPermission',
    ],
    ['a KeyId of no known form', 'not a key', '400 InvalidParameter'],
  ])('answers %s (KeyId %s) with %s', async (_name, keyId, expected) => {
    expect(await codeOf(describeKey(keyId))).toBe(expected);
  });

  it('answers 400 MissingParameter without a KeyId', async () => {
    expect(await codeOf(describeKey(undefined))).toBe('400 MissingParameter');
  });

  it('answers 403 Forbidden.RAM when the account policy denies kms:DescribeKey', async () => {
    expect(await codeOf(describeKey('key-c-0001', { credentials: KEY_C }))).toBe('403 Forbidden.RAM');
  });

  it('answers 404 InvalidApi.NotFound for an unknown action and 400 InvalidVersion for another version', async () => {
    expect(await codeOf(describeKey('cmk-0001', { action: 'ScheduleKeyDeletion' }))).toBe(
      '404 InvalidApi.NotFound',
    );
    expect(await codeOf(describeKey('cmk-0001', { version: '2015-01-01' }))).toBe('400 InvalidVersion');
  });

  it('answers 403 UnsupportedHTTPMethod for DELETE', async () => {
    expect(await codeOf(describeKey('cmk-0001', { method: 'DELETE' }))).toBe('403 UnsupportedHTTPMethod');
  });
});

describe('ACS3 verification', () => {
  it('answers 400 SignatureDoesNotMatch for a wrong secret, with the server string to sign', async () => {
    const answer = await sendAcs3(
      emulator.url,
      describeKey('cmk-0001', { credentials: { ...KEY_A, accessKeySecret: 'wrong' } }),
    );
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ Code: 'SignatureDoesNotMatch', HostId: HZ });
    expect(String(answer.json.Message)).toMatch(/server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
  });

  it('answers 400 IncompleteSignature without or with a garbled Authorization', async () => {
    expect(await codeOf(describeKey('cmk-0001'), ({ authorization: _a, ...rest }) => rest)).toBe(
      '400 IncompleteSignature',
    );
    expect(
      await codeOf(describeKey('cmk-0001'), (h) => ({ ...h, authorization: 'ACS3-HMAC-SHA256 x' })),
    ).toBe('400 IncompleteSignature');
  });

  it('answers 404 InvalidAccessKeyId.NotFound for an unknown AccessKey', async () => {
    expect(
      await codeOf(
        describeKey('cmk-0001', { credentials: { accessKeyId: 'LTAI5tNobody', accessKeySecret: 'x' } }),
      ),
    ).toBe('404 InvalidAccessKeyId.NotFound');
  });

  it('accepts an STS key with its token and refuses one without it or with an expired one', async () => {
    const { accessKeyId, accessKeySecret } = STS_A;
    expect(await codeOf(describeKey('cmk-0001', { credentials: STS_A }))).toBe('200 undefined');
    expect(await codeOf(describeKey('cmk-0001', { credentials: { accessKeyId, accessKeySecret } }))).toBe(
      '400 MissingSecurityToken',
    );
    expect(await codeOf(describeKey('cmk-0001', { credentials: EXPIRED_STS_A }))).toBe(
      '400 InvalidSecurityToken.Expired',
    );
  });

  it('answers 400 SignatureNonceUsed when a nonce comes back', async () => {
    const call = describeKey('cmk-0001');
    expect(await codeOf(call)).toBe('200 undefined');
    expect(await codeOf(call)).toBe('400 SignatureNonceUsed');
  });

  it('answers 400 InvalidTimeStamp.Expired beyond 15 minutes, with the server time in Date', async () => {
    emulator.setClockSkewMs(20 * 60_000);
    const answer = await sendAcs3(emulator.url, describeKey('cmk-0001'));
    expect([answer.status, answer.json.Code]).toEqual([400, 'InvalidTimeStamp.Expired']);
    expect(Date.parse(answer.headers.date!)).toBe(NOW + 20 * 60_000);
  });
});

describe('faults and admin changes', () => {
  it('applies fault rules to DescribeKey in KMS vocabulary', async () => {
    emulator.setFaults([
      { match: { operation: 'DescribeKey' }, fault: { kind: 'error', code: 'QpsLimitExceeded' }, times: 1 },
      {
        match: { operation: 'DescribeKey', accountId: ACCOUNT_A },
        fault: { kind: 'error', code: 'InternalError' },
        times: 1,
      },
      { match: { operation: 'DescribeKey' }, fault: { kind: 'malformed' }, times: 1 },
    ]);
    expect(await codeOf(describeKey('cmk-0001'))).toBe('400 Throttling');
    expect(await codeOf(describeKey('cmk-0001'))).toBe('500 InternalFailure');
    const malformed = await sendAcs3(emulator.url, describeKey('cmk-0001'));
    expect(malformed.status).toBe(200);
    expect(malformed.json.raw).toMatch(/^\{"RequestId"/);
    expect(await codeOf(describeKey('cmk-0001'))).toBe('200 undefined');
  });

  it('changes a key through PATCH /__emulator/kms-keys/{id} and serves the change', async () => {
    const patch = await request(`${emulator.url}/__emulator/kms-keys/cmk-0001`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer admin', 'content-type': 'application/json' },
      body: JSON.stringify({
        keyState: 'Disabled',
        automaticRotation: 'Enabled',
        deletionProtection: 'Enabled',
      }),
    });
    expect(patch.statusCode).toBe(200);
    await patch.body.json();
    const answer = await sendAcs3(emulator.url, describeKey('cmk-0001'));
    expect(answer.json.KeyMetadata).toMatchObject({
      KeyState: 'Disabled',
      AutomaticRotation: 'Enabled',
      DeletionProtection: 'Enabled',
      RotationInterval: '31536000s',
    });
  });

  it('refuses an admin change that leaves a key PendingDeletion without a date, and an unknown key', async () => {
    const send = (path: string, body: unknown) =>
      request(`${emulator.url}/__emulator/kms-keys/${path}`, {
        method: 'PATCH',
        headers: { authorization: 'Bearer admin' },
        body: JSON.stringify(body),
      });
    const invalid = await send('cmk-0001', { keyState: 'PendingDeletion' });
    const unknown = await send('key-nothing', { keyState: 'Disabled' });
    await Promise.all([invalid.body.text(), unknown.body.text()]);
    expect([invalid.statusCode, unknown.statusCode]).toEqual([400, 404]);
  });

  it('adds a key through POST /__emulator/kms-keys', async () => {
    const created = await request(`${emulator.url}/__emulator/kms-keys`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin' },
      body: JSON.stringify({ accountId: ACCOUNT_A, key: { keyId: 'key-new-0001', region: 'cn-hangzhou' } }),
    });
    await created.body.json();
    expect(created.statusCode).toBe(201);
    expect(await codeOf(describeKey('key-new-0001'))).toBe('200 undefined');
  });
});

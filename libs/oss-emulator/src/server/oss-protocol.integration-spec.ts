import { createHash } from 'node:crypto';

import { XMLParser } from 'fast-xml-parser';
import { request } from 'undici';

import { startEmulator, type EmulatorHandle } from './emulator';
import { sendSigned, type SignedCall } from '../testing/signed-client';
import { ACCOUNT_A, KEY_A, testFleet } from '../testing/test-fleet';

/** OSS wire details checked with our own signer and undici, on a pinned server clock. */

const NOW = Date.UTC(2025, 3, 17, 10, 0, 0);
const SIGNED_AT = new Date(NOW);
const parser = new XMLParser({ parseTagValue: false, ignoreDeclaration: true });

let emulator: EmulatorHandle;

beforeEach(async () => {
  emulator = await startEmulator({ fleet: testFleet(), now: () => NOW });
});

afterEach(async () => {
  await emulator.close();
});

function getEncryption(bucket: string, overrides: Partial<SignedCall> = {}): SignedCall {
  return {
    method: 'GET',
    host: `${bucket}.oss-cn-hangzhou.aliyuncs.com`,
    path: '/',
    query: [['encryption', '']],
    target: { product: 'oss', bucket },
    credentials: KEY_A,
    signingTime: SIGNED_AT,
    region: 'cn-hangzhou',
    ...overrides,
  };
}

function putEncryption(bucket: string, body: string, headers: Record<string, string> = {}): SignedCall {
  return getEncryption(bucket, {
    method: 'PUT',
    body,
    headers: {
      'content-type': 'application/xml',
      'content-md5': createHash('md5').update(body).digest('base64'),
      ...headers,
    },
  });
}

function errorOf(body: string): Record<string, string> {
  return (parser.parse(body) as { Error: Record<string, string> }).Error;
}

describe('successful answers', () => {
  it('serves GetBucketEncryption virtual-hosted with the service headers', async () => {
    const response = await sendSigned(emulator.url, getEncryption('a-kms-sm4'));
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      server: 'AliyunOSS',
      date: 'Thu, 17 Apr 2025 10:00:00 GMT',
      'content-type': 'application/xml',
    });
    expect(response.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(response.headers['x-oss-server-time']).toMatch(/^\d+$/);
    expect(parser.parse(response.body)).toEqual({
      ServerSideEncryptionRule: {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: 'KMS',
          KMSMasterKeyID: 'cmk-0002',
          KMSDataEncryption: 'SM4',
        },
      },
    });
  });

  it('gives every response its own request id', async () => {
    const first = await sendSigned(emulator.url, getEncryption('a-aes'));
    const second = await sendSigned(emulator.url, getEncryption('a-aes'));
    expect(first.headers['x-oss-request-id']).not.toBe(second.headers['x-oss-request-id']);
  });

  it('serves path-style requests on the IP endpoint with V1 too', async () => {
    const response = await sendSigned(
      emulator.url,
      getEncryption('a-aes', { host: emulator.url.slice('http://'.length), path: '/a-aes/', version: 'v1' }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toContain('<SSEAlgorithm>AES256</SSEAlgorithm>');
  });

  it('lists buckets with every field, without truncation elements on the last page', async () => {
    const response = await sendSigned(emulator.url, {
      ...getEncryption('x', { host: 'oss-cn-hangzhou.aliyuncs.com', query: [['prefix', 'a-s']] }),
      target: { product: 'oss' },
    });
    const result = (parser.parse(response.body) as { ListAllMyBucketsResult: Record<string, unknown> })
      .ListAllMyBucketsResult;
    expect(result).toEqual({
      Owner: { ID: ACCOUNT_A, DisplayName: 'account-a' },
      Buckets: {
        Bucket: [
          {
            CreationDate: '2024-01-01T00:00:00.000Z',
            ExtranetEndpoint: 'oss-cn-shanghai.aliyuncs.com',
            IntranetEndpoint: 'oss-cn-shanghai-internal.aliyuncs.com',
            Location: 'oss-cn-shanghai',
            Name: 'a-sh-1',
            Region: 'cn-shanghai',
            StorageClass: 'Standard',
            ResourceGroupId: expect.stringMatching(/^rg-/) as unknown,
          },
          expect.objectContaining({ Name: 'a-sm4', Region: 'cn-hangzhou' }) as unknown,
        ],
      },
    });
  });

  it('echoes Prefix, Marker, MaxKeys, IsTruncated and NextMarker on a truncated page', async () => {
    const response = await sendSigned(emulator.url, {
      ...getEncryption('x', {
        host: 'oss-cn-hangzhou.aliyuncs.com',
        query: [
          ['prefix', 'a-'],
          ['marker', 'a-bj-1'],
          ['max-keys', '2'],
        ],
      }),
      target: { product: 'oss' },
    });
    expect(
      (parser.parse(response.body) as { ListAllMyBucketsResult: unknown }).ListAllMyBucketsResult,
    ).toMatchObject({
      Prefix: 'a-',
      Marker: 'a-bj-1',
      MaxKeys: '2',
      IsTruncated: 'true',
      NextMarker: 'a-kms-cmk',
    });
  });

  it('deletes a bucket (204), after which it is gone', async () => {
    const deleted = await sendSigned(emulator.url, getEncryption('a-aes', { method: 'DELETE', query: [] }));
    expect(deleted.status).toBe(204);
    expect(emulator.state.buckets.has('a-aes')).toBe(false);
    expect(errorOf((await sendSigned(emulator.url, getEncryption('a-aes'))).body)).toMatchObject({
      Code: 'NoSuchBucket',
      BucketName: 'a-aes',
    });
  });

  it('stores a valid PutBucketEncryption body', async () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm><KMSDataEncryption>SM4</KMSDataEncryption></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>';
    const response = await sendSigned(emulator.url, putEncryption('a-none', body));
    expect(response.status).toBe(200);
    expect(emulator.state.buckets.get('a-none')?.encryption).toEqual({
      sseAlgorithm: 'KMS',
      kmsDataEncryption: 'SM4',
    });
  });
});

describe('authentication errors', () => {
  it('rejects a signature with one changed character as SignatureDoesNotMatch, showing the string to sign', async () => {
    const response = await sendSigned(emulator.url, getEncryption('a-aes'), (headers) => {
      const authorization = headers.authorization ?? '';
      const last = authorization.slice(-1) === '0' ? '1' : '0';
      return { ...headers, authorization: authorization.slice(0, -1) + last };
    });
    expect(response.status).toBe(403);
    expect(response.headers['x-oss-ec']).toBe('0002-00000040');
    expect(errorOf(response.body)).toMatchObject({
      Code: 'SignatureDoesNotMatch',
      HostId: 'a-aes.oss-cn-hangzhou.aliyuncs.com',
      EC: '0002-00000040',
      StringToSign: expect.stringContaining('OSS4-HMAC-SHA256') as unknown,
    });
  });

  it('rejects a request signed 20 minutes ago with the server time in the body and Date header', async () => {
    const response = await sendSigned(
      emulator.url,
      getEncryption('a-aes', { signingTime: new Date(NOW - 20 * 60_000) }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.date).toBe('Thu, 17 Apr 2025 10:00:00 GMT');
    expect(errorOf(response.body)).toMatchObject({
      Code: 'RequestTimeTooSkewed',
      ServerTime: '2025-04-17T10:00:00.000Z',
      RequestTime: '2025-04-17T09:40:00.000Z',
      MaxAllowedSkewMilliseconds: '900000',
      EC: '0002-00000504',
    });
  });

  it('moves the server clock with setClockSkewMs', async () => {
    emulator.setClockSkewMs(20 * 60_000);
    const response = await sendSigned(emulator.url, getEncryption('a-aes'));
    expect(response.headers.date).toBe('Thu, 17 Apr 2025 10:20:00 GMT');
    expect(errorOf(response.body)).toMatchObject({
      Code: 'RequestTimeTooSkewed',
      ServerTime: '2025-04-17T10:20:00.000Z',
    });
  });

  it('rejects an unknown AccessKey id', async () => {
    const response = await sendSigned(
      emulator.url,
      getEncryption('a-aes', { credentials: { accessKeyId: 'LTAI5tUnknown', accessKeySecret: 'x' } }),
    );
    expect(errorOf(response.body)).toMatchObject({
      Code: 'InvalidAccessKeyId',
      OSSAccessKeyId: 'LTAI5tUnknown',
    });
  });

  it('rejects anonymous requests with AccessDenied', async () => {
    const response = await request(`${emulator.url}/a-aes/?encryption`);
    expect(response.statusCode).toBe(403);
    expect(errorOf(await response.body.text()).Code).toBe('AccessDenied');
  });

  it('rejects a V4 scope region other than the endpoint region', async () => {
    const response = await sendSigned(emulator.url, getEncryption('a-aes', { region: 'cn-shanghai' }));
    expect(response.status).toBe(403);
    expect(errorOf(response.body)).toMatchObject({
      Code: 'SignatureDoesNotMatch',
      Region: 'cn-shanghai',
      ExpectedRegion: 'cn-hangzhou',
    });
  });
});

describe('authorisation and addressing errors', () => {
  it('names the right endpoint for a bucket of another region', async () => {
    const response = await sendSigned(emulator.url, getEncryption('a-sh-1'));
    expect(response.status).toBe(403);
    expect(errorOf(response.body)).toMatchObject({
      Code: 'AccessDenied',
      Endpoint: 'oss-cn-shanghai.aliyuncs.com',
    });
  });

  it('treats the V4 scope region as the endpoint when the Host names none', async () => {
    const response = await sendSigned(
      emulator.url,
      getEncryption('a-sh-1', { host: '127.0.0.1', path: '/a-sh-1/', region: 'cn-hangzhou' }),
    );
    expect(errorOf(response.body)).toMatchObject({
      Code: 'AccessDenied',
      Endpoint: 'oss-cn-shanghai.aliyuncs.com',
    });
  });

  it('answers NoSuchBucket with the bucket name and EC', async () => {
    const response = await sendSigned(emulator.url, getEncryption('no-such-bucket'));
    expect(response.status).toBe(404);
    expect(response.headers['x-oss-ec']).toBe('0015-00000101');
    expect(errorOf(response.body)).toMatchObject({ Code: 'NoSuchBucket', BucketName: 'no-such-bucket' });
  });

  it('answers NoSuchServerSideEncryptionRule for a bucket without a rule', async () => {
    const response = await sendSigned(emulator.url, getEncryption('a-none'));
    expect(response.status).toBe(404);
    expect(errorOf(response.body)).toMatchObject({
      Code: 'NoSuchServerSideEncryptionRule',
      EC: '0005-00000004',
    });
  });

  it('refuses object operations with MethodNotAllowed', async () => {
    const response = await sendSigned(
      emulator.url,
      getEncryption('a-aes', { path: '/object.txt', query: [] }),
    );
    expect(response.status).toBe(405);
    expect(errorOf(response.body).Code).toBe('MethodNotAllowed');
  });
});

describe('PutBucketEncryption validation', () => {
  const rule = (inner: string) =>
    `<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>${inner}</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>`;

  it('refuses malformed XML', async () => {
    const response = await sendSigned(emulator.url, putEncryption('a-none', '<ServerSideEncryptionRule>'));
    expect(response.status).toBe(400);
    expect(errorOf(response.body).Code).toBe('MalformedXML');
  });

  it('refuses an unknown algorithm with InvalidArgument naming it', async () => {
    const response = await sendSigned(
      emulator.url,
      putEncryption('a-none', rule('<SSEAlgorithm>ROT13</SSEAlgorithm>')),
    );
    expect(errorOf(response.body)).toMatchObject({
      Code: 'InvalidArgument',
      ArgumentName: 'SSEAlgorithm',
      ArgumentValue: 'ROT13',
    });
  });

  it('refuses a body that does not match its Content-MD5', async () => {
    const response = await sendSigned(
      emulator.url,
      putEncryption('a-none', rule('<SSEAlgorithm>AES256</SSEAlgorithm>'), {
        'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==',
      }),
    );
    expect(response.status).toBe(400);
    expect(errorOf(response.body).Code).toBe('InvalidDigest');
    expect(emulator.state.buckets.get('a-none')?.encryption).toBeNull();
  });

  it('refuses bodies over 64 KiB', async () => {
    const response = await sendSigned(emulator.url, putEncryption('a-none', `<a>${'x'.repeat(70_000)}</a>`));
    expect(response.status).toBe(400);
    expect(errorOf(response.body).Code).toBe('EntityTooLarge');
  });
});

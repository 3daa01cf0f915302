import { SigningInputError } from './signing-input-error';
import type { SignableRequest } from './types';
import { presignV4, signV4 } from './v4-signer';

const REQUEST: SignableRequest = {
  method: 'GET',
  target: { product: 'oss', bucket: 'examplebucket' },
  query: [['encryption', '']],
  headers: { 'User-Agent': 'seed', Authorization: 'stale' },
};
const INPUT = {
  request: REQUEST,
  credentials: { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' },
  region: 'cn-hangzhou',
  product: 'oss',
  signingTime: new Date('2025-04-17T08:30:00Z'),
} as const;

describe('signV4', () => {
  it('returns lowercase headers with x-oss-date, x-oss-content-sha256, the STS token and the Authorization', () => {
    const signed = signV4(INPUT);

    expect(signed.headers).toEqual({
      'user-agent': 'seed',
      'x-oss-date': '20250417T083000Z',
      'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-oss-security-token': 'token',
      authorization: signed.authorization,
    });
  });

  it('keeps a payload hash the caller gives', () => {
    const signed = signV4({ ...INPUT, request: { ...REQUEST, headers: { 'X-Oss-Content-Sha256': 'abc' } } });

    expect(signed.headers['x-oss-content-sha256']).toBe('abc');
    expect(signed.canonicalRequest.endsWith('\nabc')).toBe(true);
  });

  it('announces the normalised additional headers', () => {
    const signed = signV4({
      ...INPUT,
      request: { ...REQUEST, headers: { Range: 'bytes=0-1' } },
      additionalHeaders: ['Range', 'X-Absent'],
    });

    expect(signed.authorization).toContain(',AdditionalHeaders=range,Signature=');
  });

  it('does not modify the request it is given', () => {
    const headers = { ...REQUEST.headers };
    signV4({ ...INPUT, request: { ...REQUEST, headers } });

    expect(headers).toEqual(REQUEST.headers);
  });

  it('refuses a product that differs from the target product', () => {
    expect(() => signV4({ ...INPUT, product: 'osstables' })).toThrow(
      expect.objectContaining({ code: 'ProductMismatch' }) as SigningInputError,
    );
  });
});

describe('presignV4', () => {
  it('appends the auth parameters, the signature last', () => {
    const presigned = presignV4({ ...INPUT, expiresInSeconds: 900 });

    expect(presigned.query.map(([name]) => name)).toEqual([
      'encryption',
      'x-oss-security-token',
      'x-oss-signature-version',
      'x-oss-date',
      'x-oss-expires',
      'x-oss-credential',
      'x-oss-signature',
    ]);
    expect(presigned.query.at(-1)).toEqual(['x-oss-signature', presigned.signature]);
  });

  it.each([0, 604801, 1.5])('refuses an expiry of %s seconds', (expiresInSeconds) => {
    expect(() => presignV4({ ...INPUT, expiresInSeconds })).toThrow(
      expect.objectContaining({ code: 'InvalidExpiry' }) as SigningInputError,
    );
  });
});

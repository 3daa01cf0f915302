import { SigningInputError } from './signing-input-error';
import { presignV1, signV1 } from './v1-signer';

const CREDENTIALS = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const TIME = new Date('2025-04-17T08:30:00Z');

describe('signV1', () => {
  it('sets date to the signing time and signs it when there is no x-oss-date', () => {
    const signed = signV1({
      request: { method: 'GET', target: { product: 'oss' }, query: [], headers: {} },
      credentials: CREDENTIALS,
      signingTime: TIME,
    });

    expect(signed.headers.date).toBe('Thu, 17 Apr 2025 08:30:00 GMT');
    expect(signed.stringToSign).toBe('GET\n\n\nThu, 17 Apr 2025 08:30:00 GMT\n/');
    expect(signed.canonicalRequest).toBe('');
  });

  it('signs x-oss-date instead of date when the request carries one, as ali-oss sends', () => {
    const signed = signV1({
      request: {
        method: 'GET',
        target: { product: 'oss' },
        query: [],
        headers: { 'x-oss-date': 'Thu, 17 Apr 2025 08:29:59 GMT' },
      },
      credentials: CREDENTIALS,
      signingTime: TIME,
    });

    expect(signed.stringToSign.split('\n')[3]).toBe('Thu, 17 Apr 2025 08:29:59 GMT');
  });

  it('refuses an OSS Tables target, which accepts V4 only', () => {
    expect(() =>
      signV1({
        request: { method: 'GET', target: { product: 'osstables', path: 'buckets' }, query: [], headers: {} },
        credentials: CREDENTIALS,
        signingTime: TIME,
      }),
    ).toThrow(expect.objectContaining({ code: 'UnsupportedTarget' }) as SigningInputError);
  });
});

describe('presignV1', () => {
  it('signs the Expires seconds and adds security-token as a sub-resource for STS', () => {
    const presigned = presignV1({
      request: { method: 'GET', target: { product: 'oss', bucket: 'b', key: 'k' }, query: [], headers: {} },
      credentials: { ...CREDENTIALS, securityToken: 'tok' },
      expires: new Date('2025-04-17T08:45:00.900Z'),
    });

    expect(presigned.stringToSign).toBe('GET\n\n\n1744879500\n/b/k?security-token=tok');
    expect(presigned.query.map(([name]) => name)).toEqual([
      'security-token',
      'Expires',
      'OSSAccessKeyId',
      'Signature',
    ]);
  });
});

import { sha256Hex } from './acs3-canonical-request';
import { acs3Authorization, signAcs3, type SignAcs3Input } from './acs3-signer';
import { SigningInputError } from './signing-input-error';

const INPUT: SignAcs3Input = {
  request: {
    method: 'POST',
    path: '/',
    query: [['KeyId', 'key-hzz630494463ejqjx0001']],
    headers: { Host: 'kms.cn-hangzhou.aliyuncs.com', 'User-Agent': 'seed', Authorization: 'stale' },
  },
  credentials: { accessKeyId: 'STS.ak', accessKeySecret: 'sk', securityToken: 'token' },
  action: 'DescribeKey',
  version: '2016-01-20',
  signingTime: new Date('2025-04-17T08:30:00.456Z'),
  nonce: 'nonce-0001',
};

describe('signAcs3', () => {
  it('returns lowercase headers with the x-acs-* common headers, the STS token and the Authorization', () => {
    const signed = signAcs3(INPUT);

    expect(signed.headers).toEqual({
      host: 'kms.cn-hangzhou.aliyuncs.com',
      'user-agent': 'seed',
      'x-acs-action': 'DescribeKey',
      'x-acs-version': '2016-01-20',
      'x-acs-date': '2025-04-17T08:30:00Z',
      'x-acs-signature-nonce': 'nonce-0001',
      'x-acs-content-sha256': sha256Hex(''),
      'x-acs-security-token': 'token',
      authorization: signed.authorization,
    });
  });

  it('signs host and every x-acs-* header, not user-agent', () => {
    expect(signAcs3(INPUT).signedHeaders).toEqual([
      'host',
      'x-acs-action',
      'x-acs-content-sha256',
      'x-acs-date',
      'x-acs-security-token',
      'x-acs-signature-nonce',
      'x-acs-version',
    ]);
  });

  it('hashes the body into x-acs-content-sha256 and the last canonical line', () => {
    const signed = signAcs3({ ...INPUT, body: 'KeyId=x' });

    expect(signed.headers['x-acs-content-sha256']).toBe(sha256Hex('KeyId=x'));
    expect(signed.canonicalRequest.endsWith(`\n${sha256Hex('KeyId=x')}`)).toBe(true);
  });

  it('drops a stale token header when the credentials have none', () => {
    const signed = signAcs3({
      ...INPUT,
      request: { ...INPUT.request, headers: { host: 'h', 'x-acs-security-token': 'old' } },
      credentials: { accessKeyId: 'ak', accessKeySecret: 'sk' },
    });

    expect(signed.headers['x-acs-security-token']).toBeUndefined();
    expect(signed.signedHeaders).not.toContain('x-acs-security-token');
  });

  it('gives the query string to send, equal to the canonical one', () => {
    const signed = signAcs3({
      ...INPUT,
      request: {
        ...INPUT.request,
        query: [
          ['b', 'x y'],
          ['a', ''],
        ],
      },
    });

    expect(signed.queryString).toBe('a=&b=x%20y');
    expect(signed.canonicalRequest.split('\n')[2]).toBe(signed.queryString);
  });

  it('agrees with acs3Authorization over the headers it sends', () => {
    const signed = signAcs3(INPUT);
    const { authorization, ...sent } = signed.headers;

    expect(
      acs3Authorization({
        request: { ...INPUT.request, headers: sent },
        accessKeyId: 'STS.ak',
        accessKeySecret: 'sk',
        hashedPayload: sha256Hex(''),
      }).authorization,
    ).toBe(authorization);
  });

  it('refuses a request without a host header', () => {
    expect(() => signAcs3({ ...INPUT, request: { ...INPUT.request, headers: {} } })).toThrow(
      expect.objectContaining({ code: 'MissingHost' }) as SigningInputError,
    );
  });

  it.each(['', 'a b', 'x'.repeat(129)])('refuses the nonce %j', (nonce) => {
    expect(() => signAcs3({ ...INPUT, nonce })).toThrow(SigningInputError);
  });
});

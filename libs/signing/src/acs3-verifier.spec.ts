import { signAcs3, type SignAcs3Input } from './acs3-signer';
import { verifyAcs3Request, type Acs3ReceivedRequest, type Acs3VerifyOptions } from './acs3-verifier';
import type { CredentialRecord } from './verifier';

const SIGNING_TIME = new Date('2025-04-17T08:30:00Z');
const MINUTE = 60_000;
const RECORDS: Record<string, CredentialRecord> = {
  ak: { accessKeySecret: 'sk' },
  'STS.ak': { accessKeySecret: 'sts-sk', securityToken: 'sts-token' },
  'STS.old': {
    accessKeySecret: 'old-sk',
    securityToken: 'old-token',
    securityTokenExpiresAt: new Date('2025-04-17T08:00:00Z'),
  },
};

const INPUT: SignAcs3Input = {
  request: {
    method: 'POST',
    path: '/',
    query: [['KeyId', 'alias/acs/oss']],
    headers: { host: 'kms.cn-hangzhou.aliyuncs.com' },
  },
  credentials: { accessKeyId: 'ak', accessKeySecret: 'sk' },
  action: 'DescribeKey',
  version: '2016-01-20',
  signingTime: SIGNING_TIME,
  nonce: 'n-1',
};

function options(overrides: Partial<Acs3VerifyOptions> = {}): Acs3VerifyOptions {
  return { now: SIGNING_TIME, resolveCredential: (accessKeyId) => RECORDS[accessKeyId], ...overrides };
}

function received(
  input: SignAcs3Input = INPUT,
  mutate: (headers: Record<string, string>) => Record<string, string> = (headers) => headers,
): Acs3ReceivedRequest {
  const signed = signAcs3(input);
  return { ...input.request, headers: mutate(signed.headers), body: input.body ?? '' };
}

const codeOf = (request: Acs3ReceivedRequest, verifyOptions = options()) => {
  const result = verifyAcs3Request(request, verifyOptions);
  return result.ok ? 'ok' : `${result.error.httpStatus} ${result.error.code}`;
};

describe('verifyAcs3Request', () => {
  it('accepts a request our signer signed and reports who, the nonce, action and version', () => {
    expect(verifyAcs3Request(received(), options())).toEqual({
      ok: true,
      accessKeyId: 'ak',
      nonce: 'n-1',
      signedAt: SIGNING_TIME,
      action: 'DescribeKey',
      version: '2016-01-20',
    });
  });

  it('accepts an STS request and reports its token', () => {
    const sts = {
      ...INPUT,
      credentials: { accessKeyId: 'STS.ak', accessKeySecret: 'sts-sk', securityToken: 'sts-token' },
    };
    expect(verifyAcs3Request(received(sts), options())).toMatchObject({
      ok: true,
      securityToken: 'sts-token',
    });
  });

  it('accepts header names in any case and repeated values as arrays', () => {
    const request = received({
      ...INPUT,
      request: { ...INPUT.request, headers: { host: 'h', 'x-acs-test': ['b', 'a'] } },
    });
    const recased = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(codeOf({ ...request, headers: recased })).toBe('ok');
  });

  it('answers 400 IncompleteSignature without an Authorization header', () => {
    expect(codeOf(received(INPUT, ({ authorization: _dropped, ...rest }) => rest))).toBe(
      '400 IncompleteSignature',
    );
  });

  it('answers 400 IncompleteSignature for a garbled Authorization header', () => {
    expect(
      codeOf(received(INPUT, (headers) => ({ ...headers, authorization: 'ACS3-HMAC-SHA256 nonsense' }))),
    ).toBe('400 IncompleteSignature');
  });

  it('answers 400 IncompleteSignature when an x-acs-* header was added after signing', () => {
    expect(codeOf(received(INPUT, (headers) => ({ ...headers, 'x-acs-extra': '1' })))).toBe(
      '400 IncompleteSignature',
    );
  });

  it('answers 400 IncompleteSignature when host is not signed', () => {
    const unsigned = received(INPUT, (headers) => ({
      ...headers,
      authorization: headers.authorization!.replace('SignedHeaders=host;', 'SignedHeaders='),
    }));
    expect(codeOf(unsigned)).toBe('400 IncompleteSignature');
  });

  it('answers 400 IllegalTimestamp without x-acs-date and InvalidTimeStamp.Format for a malformed one', () => {
    const stripped = received(INPUT, (headers) => {
      const { 'x-acs-date': _date, ...rest } = headers;
      return { ...rest, authorization: rest.authorization!.replace('x-acs-date;', '') };
    });
    expect(codeOf(stripped)).toBe('400 IllegalTimestamp');
    expect(codeOf(received(INPUT, (headers) => ({ ...headers, 'x-acs-date': '20250417T083000Z' })))).toBe(
      '400 InvalidTimeStamp.Format',
    );
  });

  it('answers 400 MissingSignatureNonce without a nonce', () => {
    expect(codeOf(received(INPUT, (headers) => ({ ...headers, 'x-acs-signature-nonce': '' })))).toBe(
      '400 MissingSignatureNonce',
    );
  });

  it('answers 404 InvalidAccessKeyId.NotFound for an unknown key', () => {
    expect(codeOf(received({ ...INPUT, credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' } }))).toBe(
      '404 InvalidAccessKeyId.NotFound',
    );
  });

  it('answers MissingSecurityToken for an STS key without its token', () => {
    expect(
      codeOf(received({ ...INPUT, credentials: { accessKeyId: 'STS.ak', accessKeySecret: 'sts-sk' } })),
    ).toBe('400 MissingSecurityToken');
  });

  it('answers InvalidSecurityToken.MismatchWithAccessKey for a wrong token or a token on a permanent key', () => {
    const wrongToken = { accessKeyId: 'STS.ak', accessKeySecret: 'sts-sk', securityToken: 'other' };
    const tokenOnPermanentKey = { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'x' };
    expect(codeOf(received({ ...INPUT, credentials: wrongToken }))).toBe(
      '400 InvalidSecurityToken.MismatchWithAccessKey',
    );
    expect(codeOf(received({ ...INPUT, credentials: tokenOnPermanentKey }))).toBe(
      '400 InvalidSecurityToken.MismatchWithAccessKey',
    );
  });

  it('answers InvalidSecurityToken.Expired once the token has expired', () => {
    const expired = { accessKeyId: 'STS.old', accessKeySecret: 'old-sk', securityToken: 'old-token' };
    expect(codeOf(received({ ...INPUT, credentials: expired }))).toBe('400 InvalidSecurityToken.Expired');
  });

  it('answers 400 InvalidTimeStamp.Expired beyond 15 minutes either way, with both times', () => {
    const late = options({ now: new Date(SIGNING_TIME.getTime() + 15 * MINUTE + 1000) });
    const early = options({ now: new Date(SIGNING_TIME.getTime() - 16 * MINUTE) });
    const result = verifyAcs3Request(received(), late);

    expect(codeOf(received(), options({ now: new Date(SIGNING_TIME.getTime() + 15 * MINUTE) }))).toBe('ok');
    expect(codeOf(received(), early)).toBe('400 InvalidTimeStamp.Expired');
    expect(result).toMatchObject({
      ok: false,
      error: { details: { RequestTime: '2025-04-17T08:30:00.000Z', ServerTime: '2025-04-17T08:45:01.000Z' } },
    });
  });

  it('answers 400 SignatureDoesNotMatch with the server string to sign and a token-free canonical request', () => {
    const sts = {
      ...INPUT,
      credentials: { accessKeyId: 'STS.ak', accessKeySecret: 'wrong', securityToken: 'sts-token' },
    };
    const result = verifyAcs3Request(received(sts), options());

    expect(result).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch', httpStatus: 400 } });
    if (result.ok) return;
    expect(result.error.message).toContain(`server string to sign is:${result.error.details.StringToSign}`);
    expect(result.error.details.CanonicalRequest).toContain('x-acs-security-token:<redacted>');
    expect(JSON.stringify(result.error)).not.toContain('sts-token');
  });

  it('refuses a body that is not the one signed', () => {
    expect(codeOf({ ...received(), body: 'other' })).toBe('400 SignatureDoesNotMatch');
  });
});

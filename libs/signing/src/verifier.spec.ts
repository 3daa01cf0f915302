import { decodeQueryString, encodeQueryString } from './canonical-query';
import { V1_PRESIGN_VECTORS, V4_PRESIGN_VECTORS } from './testing/official-vectors';
import type { SignableRequest, SigningCredentials } from './types';
import { presignV1, signV1 } from './v1-signer';
import { presignV4, signV4 } from './v4-signer';
import { verifyRequest, type CredentialRecord, type VerifyOptions, type VerifyResult } from './verifier';

const SIGNING_TIME = new Date('2025-04-17T08:30:00Z');
const PLAIN: SigningCredentials = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const STS: SigningCredentials = {
  accessKeyId: 'STS.ak',
  accessKeySecret: 'sts-sk',
  securityToken: 'sts-token',
};
const MINUTE = 60_000;

const GET_ENCRYPTION: SignableRequest = {
  method: 'GET',
  target: { product: 'oss', bucket: 'examplebucket' },
  query: [['encryption', '']],
  headers: {},
};

const RECORDS: Record<string, CredentialRecord> = {
  ak: { accessKeySecret: 'sk' },
  'STS.ak': { accessKeySecret: 'sts-sk', securityToken: 'sts-token' },
};

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return { now: SIGNING_TIME, resolveCredential: (accessKeyId) => RECORDS[accessKeyId], ...overrides };
}

function v4Headers(credentials = PLAIN, request = GET_ENCRYPTION): Record<string, string> {
  return signV4({
    request,
    credentials,
    region: 'cn-hangzhou',
    product: request.target.product === 'osstables' ? 'osstables' : 'oss',
    signingTime: SIGNING_TIME,
  }).headers;
}

function v1Headers(credentials = PLAIN): Record<string, string> {
  return signV1({ request: GET_ENCRYPTION, credentials, signingTime: SIGNING_TIME }).headers;
}

const verify = (
  headers: SignableRequest['headers'],
  verifyOptions = options(),
  request = GET_ENCRYPTION,
): VerifyResult => verifyRequest({ ...request, headers }, verifyOptions);

const errorOf = (result: VerifyResult) => {
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
};

describe('verifyRequest: who is asking', () => {
  it('rejects an anonymous request with 403 AccessDenied', () => {
    expect(errorOf(verify({}))).toMatchObject({ code: 'AccessDenied', httpStatus: 403 });
  });

  it('treats an empty Authorization header as anonymous', () => {
    expect(errorOf(verify({ authorization: '  ' }))).toMatchObject({ code: 'AccessDenied', httpStatus: 403 });
  });

  it.each([
    ['an unknown scheme', 'Bearer abc'],
    ['a V1 header without signature', 'OSS ak'],
    [
      'a V4 header without Signature',
      'OSS4-HMAC-SHA256 Credential=ak/20250417/cn-hangzhou/oss/aliyun_v4_request',
    ],
    [
      'a V4 credential with a bad terminator',
      'OSS4-HMAC-SHA256 Credential=ak/20250417/cn-hangzhou/oss/x,Signature=' + 'a'.repeat(64),
    ],
  ])('rejects %s with 400 InvalidArgument', (_variant, authorization) => {
    expect(errorOf(verify({ ...v4Headers(), authorization }))).toMatchObject({
      code: 'InvalidArgument',
      httpStatus: 400,
    });
  });

  it('accepts a V4 header written with spaces after the commas', () => {
    const headers = v4Headers();

    expect(verify({ ...headers, authorization: headers.authorization!.replaceAll(',', ', ') })).toMatchObject(
      { ok: true },
    );
  });

  it('reports an unknown AccessKey ID with 403 InvalidAccessKeyId', () => {
    const error = errorOf(verify(v4Headers({ accessKeyId: 'nobody', accessKeySecret: 'x' })));

    expect(error).toMatchObject({
      code: 'InvalidAccessKeyId',
      httpStatus: 403,
      message: 'The OSS Access Key Id you provided does not exist in our records.',
      details: { OSSAccessKeyId: 'nobody' },
    });
  });

  it('reports an STS key sent without its token as a possibly lost Security Token', () => {
    const error = errorOf(verify(v4Headers({ accessKeyId: 'STS.ak', accessKeySecret: 'sts-sk' })));

    expect(error).toMatchObject({
      code: 'InvalidAccessKeyId',
      ec: '0002-00000003',
      message:
        'The OSS Access Key Id you provided does not exist in our records. The Security Token may be lost to specify that it is a STS Access Id.',
    });
  });

  it('reports a token sent with a non-STS key as an invalid STS key (EC 0002-00000002)', () => {
    expect(errorOf(verify(v4Headers({ ...PLAIN, securityToken: 'stray' })))).toMatchObject({
      code: 'InvalidAccessKeyId',
      ec: '0002-00000002',
    });
  });

  it('reports a token that does not belong to the key with 403 InvalidSecurityToken', () => {
    expect(errorOf(verify(v4Headers({ ...STS, securityToken: 'other-token' })))).toMatchObject({
      code: 'InvalidSecurityToken',
      httpStatus: 403,
    });
  });

  it('reports an expired STS token with 403 SecurityTokenExpired', () => {
    const expiring = options({
      resolveCredential: (accessKeyId) =>
        accessKeyId === 'STS.ak'
          ? { ...RECORDS['STS.ak']!, securityTokenExpiresAt: SIGNING_TIME }
          : undefined,
    });

    expect(errorOf(verify(v4Headers(STS), expiring))).toMatchObject({
      code: 'SecurityTokenExpired',
      httpStatus: 403,
    });
  });

  it('returns the key, version, mode, scope and presented token when the signature holds', () => {
    expect(verify(v4Headers(STS))).toEqual({
      ok: true,
      accessKeyId: 'STS.ak',
      version: 'v4',
      mode: 'header',
      region: 'cn-hangzhou',
      product: 'oss',
      securityToken: 'sts-token',
    });
  });
});

describe('verifyRequest: dates', () => {
  it('requires x-oss-date for V4 (AccessDenied, EC 0002-00000503)', () => {
    const { 'x-oss-date': _date, ...headers } = v4Headers();

    expect(errorOf(verify(headers))).toMatchObject({
      code: 'AccessDenied',
      httpStatus: 403,
      ec: '0002-00000503',
    });
  });

  it('rejects an RFC 1123 x-oss-date on a V4 request (AccessDenied, EC 0002-00000502)', () => {
    expect(errorOf(verify({ ...v4Headers(), 'x-oss-date': 'Thu, 17 Apr 2025 08:30:00 GMT' }))).toMatchObject({
      code: 'AccessDenied',
      ec: '0002-00000502',
    });
  });

  it("rejects an x-oss-date on another day than the credential's (AccessDenied, EC 0002-00000502)", () => {
    expect(errorOf(verify({ ...v4Headers(), 'x-oss-date': '20250418T083000Z' }))).toMatchObject({
      code: 'AccessDenied',
      ec: '0002-00000502',
    });
  });

  it('requires a Date or x-oss-date for V1 (AccessDenied, EC 0002-00000503)', () => {
    const { date: _date, ...headers } = v1Headers();

    expect(errorOf(verify(headers))).toMatchObject({ code: 'AccessDenied', ec: '0002-00000503' });
  });

  it('rejects a V1 date that is not RFC 1123 (AccessDenied, EC 0002-00000502)', () => {
    expect(errorOf(verify({ ...v1Headers(), date: '20250417T083000Z' }))).toMatchObject({
      code: 'AccessDenied',
      ec: '0002-00000502',
    });
  });

  describe.each([
    ['V4', v4Headers],
    ['V1', v1Headers],
  ])('%s 15-minute window', (_version, headersOf) => {
    it.each([-15 * MINUTE, 15 * MINUTE])('accepts a server clock %d ms away', (offset) => {
      expect(verify(headersOf(), options({ now: new Date(SIGNING_TIME.getTime() + offset) }))).toMatchObject({
        ok: true,
      });
    });

    it.each([-15 * MINUTE - 1000, 15 * MINUTE + 1000])(
      'rejects a server clock %d ms away as RequestTimeTooSkewed',
      (offset) => {
        const now = new Date(SIGNING_TIME.getTime() + offset);

        expect(errorOf(verify(headersOf(), options({ now })))).toEqual({
          code: 'RequestTimeTooSkewed',
          httpStatus: 403,
          message: 'The difference between the request time and the current time is too large.',
          ec: '0002-00000504',
          details: {
            RequestTime: '2025-04-17T08:30:00.000Z',
            ServerTime: now.toISOString(),
            MaxAllowedSkewMilliseconds: '900000',
          },
        });
      },
    );
  });

  it('honours a custom maximum skew', () => {
    const now = new Date(SIGNING_TIME.getTime() + 2000);

    expect(errorOf(verify(v4Headers(), options({ now, maxSkewMs: 1000 })))).toMatchObject({
      code: 'RequestTimeTooSkewed',
      details: { MaxAllowedSkewMilliseconds: '1000' },
    });
  });
});

describe('verifyRequest: signature mismatch', () => {
  it("returns the server's V4 string to sign and canonical request, without the STS token", () => {
    const headers: Record<string, string> = { ...v4Headers(STS), 'x-oss-meta-added': 'after signing' };
    const error = errorOf(verify(headers));

    expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', httpStatus: 403, ec: '0002-00000040' });
    expect(error.details.StringToSign).toMatch(
      /^OSS4-HMAC-SHA256\n20250417T083000Z\n20250417\/cn-hangzhou\/oss\/aliyun_v4_request\n[0-9a-f]{64}$/,
    );
    expect(error.details.CanonicalRequest).toBe(
      'GET\n/examplebucket/\nencryption\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250417T083000Z\n' +
        'x-oss-meta-added:after signing\nx-oss-security-token:<redacted>\n\n\nUNSIGNED-PAYLOAD',
    );
    expect(error.details.SignatureProvided).toBe(headers.authorization!.split('Signature=')[1]);
    expect(error.details.OSSAccessKeyId).toBe('STS.ak');
    expect(JSON.stringify(error)).not.toContain('sts-token');
    expect(JSON.stringify(error)).not.toContain('sts-sk');
  });

  it('returns the V1 string to sign with its bytes, the token redacted', () => {
    const error = errorOf(verify({ ...v1Headers(STS), 'content-type': 'text/plain' }));
    const stringToSign =
      'GET\n\ntext/plain\nThu, 17 Apr 2025 08:30:00 GMT\nx-oss-security-token:<redacted>\n/examplebucket/?encryption';

    expect(error.details.StringToSign).toBe(stringToSign);
    expect(error.details.StringToSignBytes).toBe(
      [...Buffer.from(stringToSign)].map((byte) => byte.toString(16).padStart(2, '0')).join(' '),
    );
    expect(error.details.CanonicalRequest).toBeUndefined();
  });
});

describe('verifyRequest: products', () => {
  const TABLES: SignableRequest = {
    method: 'GET',
    target: { product: 'osstables', path: 'buckets' },
    query: [],
    headers: {},
  };

  it('accepts an osstables signature on an OSS Tables request', () => {
    expect(verify(v4Headers(PLAIN, TABLES), options(), TABLES)).toMatchObject({
      ok: true,
      product: 'osstables',
    });
  });

  it('rejects an oss-scoped signature on an OSS Tables request with InvalidArgument', () => {
    expect(errorOf(verify(v4Headers(), options(), TABLES))).toMatchObject({ code: 'InvalidArgument' });
  });

  it('rejects a V1 signature on an OSS Tables request with InvalidArgument', () => {
    expect(errorOf(verify(v1Headers(), options(), TABLES))).toMatchObject({ code: 'InvalidArgument' });
  });
});

describe('verifyRequest: presigned URLs', () => {
  const received = (request: SignableRequest, query: SignableRequest['query']): SignableRequest => ({
    ...request,
    query: decodeQueryString(encodeQueryString(query)),
  });

  it.each(V4_PRESIGN_VECTORS.map((vector) => [vector.id, vector] as const))(
    'accepts the official %s URL',
    (_id, vector) => {
      const { query } = presignV4({ ...vector, expiresInSeconds: vector.expiresInSeconds });
      const result = verifyRequest(received(vector.request, query), {
        now: vector.signingTime,
        resolveCredential: () => ({ ...vector.credentials }),
      });

      expect(result).toMatchObject({ ok: true, version: 'v4', mode: 'query' });
    },
  );

  it.each(V1_PRESIGN_VECTORS.map((vector) => [vector.id, vector] as const))(
    'accepts the official %s URL',
    (_id, vector) => {
      const { query } = presignV1(vector);
      const result = verifyRequest(received(vector.request, query), {
        now: new Date(vector.expires.getTime() - MINUTE),
        resolveCredential: () => ({ ...vector.credentials }),
      });

      expect(result).toMatchObject({ ok: true, version: 'v1', mode: 'query' });
    },
  );

  const v4Url = (): SignableRequest =>
    received(
      GET_ENCRYPTION,
      presignV4({
        request: GET_ENCRYPTION,
        credentials: PLAIN,
        region: 'cn-hangzhou',
        product: 'oss',
        signingTime: SIGNING_TIME,
        expiresInSeconds: 600,
      }).query,
    );

  it('accepts a V4 URL up to its last second', () => {
    expect(
      verifyRequest(v4Url(), options({ now: new Date(SIGNING_TIME.getTime() + 600_000) })),
    ).toMatchObject({ ok: true });
  });

  it('rejects an expired V4 URL with AccessDenied', () => {
    expect(
      errorOf(verifyRequest(v4Url(), options({ now: new Date(SIGNING_TIME.getTime() + 601_000) }))),
    ).toMatchObject({
      code: 'AccessDenied',
      message: 'Request has expired.',
    });
  });

  it('rejects a V4 URL signed more than 15 minutes in the future as RequestTimeTooSkewed', () => {
    expect(
      errorOf(verifyRequest(v4Url(), options({ now: new Date(SIGNING_TIME.getTime() - 16 * MINUTE) }))),
    ).toMatchObject({
      code: 'RequestTimeTooSkewed',
    });
  });

  it.each([
    ['x-oss-expires', '0'],
    ['x-oss-expires', '604801'],
    ['x-oss-signature-version', 'OSS2'],
    ['x-oss-signature', 'not-hex'],
    ['x-oss-credential', 'ak/20250417/cn-hangzhou/oss'],
  ])('rejects a V4 URL whose %s is %j with InvalidArgument', (name, value) => {
    const url = v4Url();
    const query = url.query.map(([candidate, original]): [string, string] => [
      candidate,
      candidate === name ? value : original,
    ]);

    expect(errorOf(verifyRequest({ ...url, query }, options()))).toMatchObject({
      code: 'InvalidArgument',
      httpStatus: 400,
    });
  });

  const v1Url = (): SignableRequest =>
    received(
      GET_ENCRYPTION,
      presignV1({
        request: GET_ENCRYPTION,
        credentials: PLAIN,
        expires: new Date(SIGNING_TIME.getTime() + 600_000),
      }).query,
    );

  it('rejects an expired V1 URL with AccessDenied', () => {
    expect(
      errorOf(verifyRequest(v1Url(), options({ now: new Date(SIGNING_TIME.getTime() + 601_000) }))),
    ).toMatchObject({
      code: 'AccessDenied',
      message: 'Request has expired.',
    });
  });

  it('rejects a V1 URL without Signature with InvalidArgument', () => {
    const url = v1Url();

    expect(
      errorOf(
        verifyRequest({ ...url, query: url.query.filter(([name]) => name !== 'Signature') }, options()),
      ),
    ).toMatchObject({
      code: 'InvalidArgument',
    });
  });
});

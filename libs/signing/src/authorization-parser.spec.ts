import { parseAuthorizationHeader } from './authorization-parser';

const SIGNATURE = 'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe';
const CREDENTIAL = 'ak/20231216/cn-hangzhou/oss/aliyun_v4_request';

describe('parseAuthorizationHeader', () => {
  it('reads a V1 header', () => {
    expect(parseAuthorizationHeader('OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=')).toEqual({
      ok: true,
      value: { version: 'v1', accessKeyId: 'ak', signature: 'kSHKmLxlyEAKtZPkJhG9bZb5k7M=' },
    });
  });

  it('reads a V4 header as the SDKs write it', () => {
    expect(
      parseAuthorizationHeader(
        `OSS4-HMAC-SHA256 Credential=${CREDENTIAL},AdditionalHeaders=abc;zabc,Signature=${SIGNATURE}`,
      ),
    ).toEqual({
      ok: true,
      value: {
        version: 'v4',
        credential: { accessKeyId: 'ak', date: '20231216', region: 'cn-hangzhou', product: 'oss' },
        additionalHeaders: ['abc', 'zabc'],
        signature: SIGNATURE,
      },
    });
  });

  it('accepts spaces after the commas, as the documentation shows', () => {
    const parsed = parseAuthorizationHeader(
      `OSS4-HMAC-SHA256 Credential=${CREDENTIAL}, AdditionalHeaders=abc,  Signature=${SIGNATURE}`,
    );

    expect(parsed).toMatchObject({ ok: true, value: { additionalHeaders: ['abc'], signature: SIGNATURE } });
  });

  it.each([
    ['a V1 header without signature', 'OSS ak'],
    ['a V1 header with an empty key', 'OSS :kSHKmLxlyEAKtZPkJhG9bZb5k7M='],
    ['a V1 header with an empty signature', 'OSS ak:'],
    ['a V1 header with two spaces', 'OSS  ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M='],
    ['an unknown scheme', 'Bearer token'],
    ['a lowercase algorithm', `oss4-hmac-sha256 Credential=${CREDENTIAL},Signature=${SIGNATURE}`],
    ['the algorithm alone', 'OSS4-HMAC-SHA256'],
    ['no Signature', `OSS4-HMAC-SHA256 Credential=${CREDENTIAL}`],
    ['no Credential', `OSS4-HMAC-SHA256 Signature=${SIGNATURE}`],
    ['a short signature', `OSS4-HMAC-SHA256 Credential=${CREDENTIAL},Signature=abc123`],
    [
      'an uppercase-hex signature',
      `OSS4-HMAC-SHA256 Credential=${CREDENTIAL},Signature=${SIGNATURE.toUpperCase()}`,
    ],
    [
      'a credential with four parts',
      `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss,Signature=${SIGNATURE}`,
    ],
    [
      'a wrong terminator',
      `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aws4_request,Signature=${SIGNATURE}`,
    ],
    [
      'a non-numeric date',
      `OSS4-HMAC-SHA256 Credential=ak/2023121x/cn-hangzhou/oss/aliyun_v4_request,Signature=${SIGNATURE}`,
    ],
    [
      'an uppercase region',
      `OSS4-HMAC-SHA256 Credential=ak/20231216/CN/oss/aliyun_v4_request,Signature=${SIGNATURE}`,
    ],
    [
      'an empty AccessKey ID',
      `OSS4-HMAC-SHA256 Credential=/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=${SIGNATURE}`,
    ],
    [
      'a duplicated field',
      `OSS4-HMAC-SHA256 Credential=${CREDENTIAL},Credential=${CREDENTIAL},Signature=${SIGNATURE}`,
    ],
    [
      'an unknown field',
      `OSS4-HMAC-SHA256 Credential=${CREDENTIAL},SignedHeaders=host,Signature=${SIGNATURE}`,
    ],
    ['a field without =', `OSS4-HMAC-SHA256 Credential=${CREDENTIAL},Signature`],
    [
      'an invalid additional header name',
      `OSS4-HMAC-SHA256 Credential=${CREDENTIAL},AdditionalHeaders=a b,Signature=${SIGNATURE}`,
    ],
    [
      'an empty additional header name',
      `OSS4-HMAC-SHA256 Credential=${CREDENTIAL},AdditionalHeaders=a;;b,Signature=${SIGNATURE}`,
    ],
  ])('rejects %s', (_variant, value) => {
    expect(parseAuthorizationHeader(value)).toMatchObject({ ok: false });
  });
});

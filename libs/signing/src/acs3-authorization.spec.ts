import { parseAcs3Authorization } from './acs3-authorization';

const SIGNATURE = '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0';

describe('parseAcs3Authorization', () => {
  it('reads Credential, SignedHeaders and Signature', () => {
    expect(
      parseAcs3Authorization(
        `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-date,Signature=${SIGNATURE}`,
      ),
    ).toEqual({
      ok: true,
      value: { accessKeyId: 'ak', signedHeaders: ['host', 'x-acs-date'], signature: SIGNATURE },
    });
  });

  it('accepts whitespace after the commas and any field order', () => {
    expect(
      parseAcs3Authorization(
        `ACS3-HMAC-SHA256 Signature=${SIGNATURE}, SignedHeaders=host,  Credential=STS.ak`,
      ),
    ).toMatchObject({ ok: true, value: { accessKeyId: 'STS.ak', signedHeaders: ['host'] } });
  });

  it.each([
    ['another scheme', `OSS4-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=${SIGNATURE}`],
    ['a missing field', `ACS3-HMAC-SHA256 Credential=ak,Signature=${SIGNATURE}`],
    [
      'a duplicate field',
      `ACS3-HMAC-SHA256 Credential=ak,Credential=b,SignedHeaders=host,Signature=${SIGNATURE}`,
    ],
    ['an unknown field', `ACS3-HMAC-SHA256 Credential=ak,Scope=x,SignedHeaders=host,Signature=${SIGNATURE}`],
    [
      'an uppercase signed header',
      `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=Host,Signature=${SIGNATURE}`,
    ],
    [
      'a repeated signed header',
      `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;host,Signature=${SIGNATURE}`,
    ],
    ['a short signature', 'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=abc'],
    ['an empty credential', `ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=${SIGNATURE}`],
  ])('refuses %s', (_name, value) => {
    expect(parseAcs3Authorization(value).ok).toBe(false);
  });
});

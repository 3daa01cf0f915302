import {
  acs3CanonicalQueryString,
  acs3CanonicalUri,
  acs3SignedHeaderNames,
  buildAcs3CanonicalRequest,
  normalizeAcs3Headers,
} from './acs3-canonical-request';

describe('acs3CanonicalQueryString', () => {
  it('encodes names and values with RFC 3986 (space as %20, reserved and non-ASCII as UTF-8 %XX)', () => {
    expect(acs3CanonicalQueryString([['Key Id', "a b+c*~!'()/é"]])).toBe(
      'Key%20Id=a%20b%2Bc%2A~%21%27%28%29%2F%C3%A9',
    );
  });

  it('writes name= for an empty value', () => {
    expect(
      acs3CanonicalQueryString([
        ['empty', ''],
        ['test', 'ok'],
      ]),
    ).toBe('empty=&test=ok');
  });

  it('sorts by the name before encoding, byte order, then by value', () => {
    expect(
      acs3CanonicalQueryString([
        ['b', '2'],
        ['[x', '1'],
        ['Z', '3'],
        ['a', 'y'],
        ['a', 'x'],
      ]),
    ).toBe('Z=3&%5Bx=1&a=x&a=y&b=2');
  });

  it('is empty without parameters', () => {
    expect(acs3CanonicalQueryString([])).toBe('');
  });
});

describe('acs3CanonicalUri', () => {
  it('keeps / and encodes each segment once', () => {
    expect(acs3CanonicalUri('/')).toBe('/');
    expect(acs3CanonicalUri('/clusters/a b/x+y')).toBe('/clusters/a%20b/x%2By');
  });
});

describe('normalizeAcs3Headers', () => {
  it('lowercases names, trims values, sorts and joins repeats of one name in any case', () => {
    const headers = normalizeAcs3Headers({ 'X-Acs-Test': ' https ', 'x-acs-test': ['http'], Host: 'h' });

    expect([...headers]).toEqual([
      ['x-acs-test', 'http,https'],
      ['host', 'h'],
    ]);
  });

  it('signs host, content-type and x-acs-* only, sorted', () => {
    const headers = normalizeAcs3Headers({
      'x-acs-version': 'v',
      'User-Agent': 'seed',
      Host: 'h',
      'content-type': 'application/json',
      accept: 'application/json',
    });

    expect(acs3SignedHeaderNames(headers)).toEqual(['content-type', 'host', 'x-acs-version']);
  });
});

describe('buildAcs3CanonicalRequest', () => {
  it('lays out the six parts with a blank line after the canonical headers', () => {
    const canonical = buildAcs3CanonicalRequest({
      method: 'POST',
      path: '/',
      query: [['KeyId', 'alias/acs/oss']],
      headers: new Map([
        ['host', 'kms.cn-hangzhou.aliyuncs.com'],
        ['x-acs-action', 'DescribeKey'],
      ]),
      signedHeaders: ['host', 'x-acs-action'],
      hashedPayload: 'abc',
    });

    expect(canonical).toBe(
      'POST\n/\nKeyId=alias%2Facs%2Foss\nhost:kms.cn-hangzhou.aliyuncs.com\nx-acs-action:DescribeKey\n\nhost;x-acs-action\nabc',
    );
  });
});

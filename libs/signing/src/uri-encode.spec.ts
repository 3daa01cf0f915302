import fc from 'fast-check';
import { percentDecode, uriEncode } from './uri-encode';

describe('uriEncode', () => {
  it.each([
    ['leaves RFC 3986 unreserved characters alone', 'AZaz09-._~', false, 'AZaz09-._~'],
    ['encodes a space as %20, never +', 'a b', false, 'a%20b'],
    ['encodes + as %2B', 'key+123', false, 'key%2B123'],
    ['uses uppercase hex', '|', false, '%7C'],
    ['encodes the characters encodeURIComponent keeps', "!'()*", false, '%21%27%28%29%2A'],
    ['encodes / unless asked to keep it', 'a/b', false, 'a%2Fb'],
    ['keeps / when asked', '1234+-/123/1.txt', true, '1234%2B-/123/1.txt'],
    ['encodes the UTF-8 bytes of non-ASCII text', 'é😀', false, '%C3%A9%F0%9F%98%80'],
    [
      'encodes : in a tables ARN',
      'acs:osstables:cn-hangzhou::bucket/',
      true,
      'acs%3Aosstables%3Acn-hangzhou%3A%3Abucket/',
    ],
  ])('%s', (_behaviour, value, keepSlash, expected) => {
    expect(uriEncode(value, keepSlash)).toBe(expected);
  });
});

describe('percentDecode', () => {
  it('undoes uriEncode for any well-formed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.boolean(), (value, keepSlash) => {
        expect(percentDecode(uriEncode(value, keepSlash), false)).toBe(value);
      }),
    );
  });

  it('reads + as a space only when told to', () => {
    expect(percentDecode('a+b%2Bc', true)).toBe('a b+c');
    expect(percentDecode('a+b%2Bc', false)).toBe('a+b+c');
  });

  it('keeps a % that does not start a valid escape', () => {
    expect(percentDecode('100%', false)).toBe('100%');
    expect(percentDecode('%zz%4', false)).toBe('%zz%4');
  });

  it('accepts lowercase hex', () => {
    expect(percentDecode('%c3%a9', false)).toBe('é');
  });
});

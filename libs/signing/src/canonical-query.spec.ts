import fc from 'fast-check';
import { canonicalQueryString, decodeQueryString, encodeQueryString } from './canonical-query';
import type { QueryParam } from './types';

describe('canonicalQueryString', () => {
  it('sorts by encoded name in byte order, unlike localeCompare', () => {
    expect(
      canonicalQueryString([
        ['prefix', 'a'],
        ['Zeta', 'b'],
      ]),
    ).toBe('Zeta=b&prefix=a');
    expect(['prefix', 'Zeta'].sort((a, b) => a.localeCompare(b))).toEqual(['prefix', 'Zeta']);
  });

  it('renders an empty value as the bare name', () => {
    expect(canonicalQueryString([['encryption', '']])).toBe('encryption');
  });

  it('sorts repeated names by value so the order they arrive in does not matter', () => {
    expect(
      canonicalQueryString([
        ['k', 'b'],
        ['k', 'a'],
      ]),
    ).toBe('k=a&k=b');
  });

  it('is empty without parameters', () => {
    expect(canonicalQueryString([])).toBe('');
  });
});

describe('encodeQueryString', () => {
  it('sends exactly the canonical form', () => {
    const query: QueryParam[] = [
      ['max-keys', '100'],
      ['prefix', 'audit team/'],
      ['marker', ''],
    ];

    expect(encodeQueryString(query)).toBe(canonicalQueryString(query));
    expect(encodeQueryString(query)).toBe('marker&max-keys=100&prefix=audit%20team%2F');
  });
});

describe('decodeQueryString', () => {
  it('treats ?encryption and ?encryption= alike', () => {
    expect(decodeQueryString('?encryption=')).toEqual([['encryption', '']]);
    expect(decodeQueryString('encryption')).toEqual([['encryption', '']]);
  });

  it('decodes each name and value once', () => {
    expect(decodeQueryString('%2Bparam1=value3&prefix=a%252F')).toEqual([
      ['+param1', 'value3'],
      ['prefix', 'a%2F'],
    ]);
  });

  it('reads a raw + as a space, as GO2 and PY2 sign it', () => {
    expect(decodeQueryString('prefix=a+b')).toEqual([['prefix', 'a b']]);
  });

  it('splits at the first = only and skips empty segments', () => {
    expect(decodeQueryString('a=b=c&&d')).toEqual([
      ['a', 'b=c'],
      ['d', ''],
    ]);
  });

  it('returns the pairs encodeQueryString was given, in canonical order', () => {
    const pair = fc.tuple(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string({ unit: 'grapheme' }));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 6 }), (query) => {
        const decoded = decodeQueryString(encodeQueryString(query));

        expect(canonicalQueryString(decoded)).toBe(canonicalQueryString(query));
        expect(decoded).toHaveLength(query.length);
      }),
    );
  });
});

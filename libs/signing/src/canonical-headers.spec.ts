import {
  canonicalHeadersV4,
  canonicalOssHeadersV1,
  isDefaultSignedV4Header,
  normalizeAdditionalHeaders,
  normalizeHeaders,
} from './canonical-headers';

describe('normalizeHeaders', () => {
  it('lowercases names, trims values and joins repeated values with a comma', () => {
    const headers = normalizeHeaders({
      'X-Oss-Meta-A': [' 1 ', '2'],
      'x-oss-meta-a': '3 ',
      Host: ' h ',
      Skip: undefined,
    });

    expect([...headers]).toEqual([
      ['x-oss-meta-a', '1,2,3'],
      ['host', 'h'],
    ]);
  });
});

describe('isDefaultSignedV4Header', () => {
  it.each([
    ['x-oss-meta-a', true],
    ['content-type', true],
    ['content-md5', true],
    ['host', false],
    ['date', false],
    ['user-agent', false],
    ['content-length', false],
  ])('%s -> %s', (name, expected) => {
    expect(isDefaultSignedV4Header(name)).toBe(expected);
  });
});

describe('normalizeAdditionalHeaders', () => {
  it('lowercases, de-duplicates, drops default-signed and absent names, and sorts (GO2 example)', () => {
    const headers = normalizeHeaders({ 'x-oss-head1': 'value', abc: 'value', ZAbc: 'value', XYZ: 'value' });

    expect(
      normalizeAdditionalHeaders(['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc', 'ABC'], headers),
    ).toEqual(['abc', 'zabc']);
  });

  it('drops a header sent with an empty value, as GO2 does', () => {
    expect(normalizeAdditionalHeaders(['range'], normalizeHeaders({ range: ' ' }))).toEqual([]);
  });
});

describe('canonicalHeadersV4', () => {
  it('signs x-oss-*, content-type, content-md5 and the listed headers, sorted, one per line', () => {
    const headers = normalizeHeaders({
      'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==',
      'Content-Type': 'application/json',
      'x-oss-date': '20250417T083000Z',
      Host: 'example',
      Range: 'bytes=0-1',
    });

    expect(canonicalHeadersV4(headers, ['range'])).toBe(
      'content-md5:1B2M2Y8AsgTpgAmY7PhCfg==\ncontent-type:application/json\nrange:bytes=0-1\nx-oss-date:20250417T083000Z\n',
    );
  });
});

describe('canonicalOssHeadersV1', () => {
  it('keeps only x-oss-* headers, sorted in byte order', () => {
    const headers = normalizeHeaders({
      'x-oss-meta-b': '2',
      'Content-Type': 'text/html',
      'X-OSS-Meta-A': '1',
    });

    expect(canonicalOssHeadersV1(headers)).toBe('x-oss-meta-a:1\nx-oss-meta-b:2\n');
  });

  it('is empty without x-oss-* headers', () => {
    expect(canonicalOssHeadersV1(normalizeHeaders({ Date: 'x' }))).toBe('');
  });
});

import { canonicalizedResource } from './v1-string-to-sign';

describe('canonicalizedResource', () => {
  it('is / for ListBuckets, whose prefix, marker and max-keys are not sub-resources', () => {
    expect(
      canonicalizedResource({ product: 'oss' }, [
        ['prefix', 'a'],
        ['marker', 'b'],
        ['max-keys', '10'],
      ]),
    ).toBe('/');
  });

  it('is /bucket/?encryption for GetBucketEncryption', () => {
    expect(canonicalizedResource({ product: 'oss', bucket: 'examplebucket' }, [['encryption', '']])).toBe(
      '/examplebucket/?encryption',
    );
  });

  it('keeps the object key raw and sub-resource values decoded', () => {
    expect(
      canonicalizedResource({ product: 'oss', bucket: 'b', key: 'a b+c' }, [['versionId', 'v 1+2']]),
    ).toBe('/b/a b+c?versionId=v 1+2');
  });

  it('signs every x-oss-* parameter and sorts sub-resources by name', () => {
    expect(
      canonicalizedResource({ product: 'oss', bucket: 'b', key: 'k' }, [
        ['x-oss-process', 'image/resize'],
        ['acl', ''],
        ['other', '1'],
      ]),
    ).toBe('/b/k?acl&x-oss-process=image/resize');
  });
});

describe('which query parameters V1 signs', () => {
  it.each([
    'acl',
    'encryption',
    'resourceGroup',
    'uploadId',
    'continuation-token',
    'security-token',
    'x-oss-process',
  ])('signs %s as a sub-resource', (name) => {
    expect(canonicalizedResource({ product: 'oss', bucket: 'b' }, [[name, 'v']])).toBe(`/b/?${name}=v`);
  });

  it.each(['prefix', 'marker', 'max-keys', 'non-resousce', 'Acl'])(
    'leaves %s out of the signature',
    (name) => {
      expect(canonicalizedResource({ product: 'oss', bucket: 'b' }, [[name, 'v']])).toBe('/b/');
    },
  );
});

import { canonicalizedResource } from './v1-string-to-sign';
import { V1_SUB_RESOURCES } from './v1-sub-resources';

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

describe('V1_SUB_RESOURCES', () => {
  it('contains the GO2 list, encryption and resourceGroup', () => {
    const go2 = [
      'acl',
      'bucketInfo',
      'location',
      'stat',
      'delete',
      'append',
      'tagging',
      'objectMeta',
      'uploads',
      'uploadId',
      'partNumber',
      'security-token',
      'position',
      'response-content-type',
      'response-content-language',
      'response-expires',
      'response-cache-control',
      'response-content-disposition',
      'response-content-encoding',
      'restore',
      'callback',
      'callback-var',
      'versions',
      'versioning',
      'versionId',
      'sequential',
      'continuation-token',
      'regionList',
      'cloudboxes',
      'symlink',
    ];

    expect(go2.filter((name) => !V1_SUB_RESOURCES.has(name))).toEqual([]);
    expect(V1_SUB_RESOURCES.has('encryption')).toBe(true);
    expect(V1_SUB_RESOURCES.has('resourceGroup')).toBe(true);
  });
});

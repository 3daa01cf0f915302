import { canonicalUri } from './canonical-uri';

const ARN = 'acs:osstables:cn-hangzhou:1234567890:bucket/my-table-bucket';

describe('canonicalUri', () => {
  it.each([
    ['ListBuckets', { product: 'oss' } as const, '/'],
    ['a bucket operation', { product: 'oss', bucket: 'examplebucket' } as const, '/examplebucket/'],
    [
      'an object, encoded once',
      { product: 'oss', bucket: 'bucket', key: '1234+-/123/1.txt' } as const,
      '/bucket/1234%2B-/123/1.txt',
    ],
    ['a CloudBox object', { product: 'oss-cloudbox', bucket: 'b', key: 'a b' } as const, '/b/a%20b'],
    [
      'a table-bucket operation (ARN twice, encoded once)',
      { product: 'osstables', path: `buckets/${ARN}/encryption`, tableBucketArn: ARN } as const,
      '/acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket/my-table-bucket/buckets/acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket/my-table-bucket/encryption',
    ],
    [
      'a tables call without ARN (account-less prefix, double slash)',
      { product: 'osstables', path: 'buckets' } as const,
      '/acs%3Aosstables%3Acn-hangzhou%3A%3Abucket//buckets',
    ],
  ])('%s', (_call, target, expected) => {
    expect(canonicalUri(target, 'cn-hangzhou')).toBe(expected);
  });

  it('puts the signing region in the ARN-less tables prefix', () => {
    expect(canonicalUri({ product: 'osstables', path: 'buckets' }, 'eu-central-1')).toBe(
      '/acs%3Aosstables%3Aeu-central-1%3A%3Abucket//buckets',
    );
  });
});

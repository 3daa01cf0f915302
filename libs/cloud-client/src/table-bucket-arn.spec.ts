import { OssArgumentError } from './errors';
import { parseTableBucketArn, tryParseTableBucketArn } from './table-bucket-arn';

describe('parseTableBucketArn', () => {
  it('splits a valid ARN into region, account and name', () => {
    expect(parseTableBucketArn('acs:osstables:cn-hangzhou:1234567890:bucket/my-table-bucket')).toEqual({
      arn: 'acs:osstables:cn-hangzhou:1234567890:bucket/my-table-bucket',
      region: 'cn-hangzhou',
      accountId: '1234567890',
      name: 'my-table-bucket',
    });
  });

  it.each([
    ['another service', 'acs:oss:cn-hangzhou:1234567890:bucket/demo'],
    ['another partition', 'arn:osstables:cn-hangzhou:1234567890:bucket/demo'],
    ['an empty account', 'acs:osstables:cn-hangzhou::bucket/demo'],
    ['a non-numeric account', 'acs:osstables:cn-hangzhou:abc:bucket/demo'],
    ['an invalid region', 'acs:osstables:CN_HZ:1234567890:bucket/demo'],
    ['a table qualifier', 'acs:osstables:cn-hangzhou:1234567890:bucket/demo/table/t1'],
    ['another resource type', 'acs:osstables:cn-hangzhou:1234567890:table/demo'],
    ['an invalid name', 'acs:osstables:cn-hangzhou:1234567890:bucket/De_mo'],
    ['an extra field', 'acs:osstables:cn-hangzhou:1234567890:x:bucket/demo'],
  ])('refuses %s', (_label, arn) => {
    expect(tryParseTableBucketArn(arn)).toBeNull();
    expect(() => parseTableBucketArn(arn)).toThrow(OssArgumentError);
  });
});

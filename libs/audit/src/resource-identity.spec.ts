import type { AuditError } from './audit-error';
import { bucketResourceKey, parseTableBucketArn, tableBucketArn } from './resource-identity';
import { thrownBy } from './testing/observations';

describe('parseTableBucketArn', () => {
  it('splits a valid ARN into region, account id and name', () => {
    expect(parseTableBucketArn('acs:osstables:cn-beijing:1234567890:bucket/demo-bucket')).toEqual({
      ok: true,
      value: { region: 'cn-beijing', accountId: '1234567890', name: 'demo-bucket' },
    });
  });

  it.each([
    ['the shortest name', 'acs:osstables:cn-hangzhou:1:bucket/abc'],
    ['a 32-character name', `acs:osstables:cn-hangzhou:1:bucket/${'a'.repeat(32)}`],
    ['a reserved word inside the name', 'acs:osstables:cn-hangzhou:1:bucket/my-oss-tables'],
  ])('accepts %s', (_case, arn) => {
    expect(parseTableBucketArn(arn).ok).toBe(true);
  });

  it.each([
    ['an empty string', '', 'expected acs:osstables'],
    ['too few fields', 'acs:osstables:cn-hangzhou:bucket/demo', 'expected acs:osstables'],
    ['another prefix', 'arn:osstables:cn-hangzhou:1:bucket/demo', 'must start with "acs:"'],
    ['another service', 'acs:oss:cn-hangzhou:1:bucket/demo', 'service must be "osstables"'],
    ['an empty region', 'acs:osstables::1:bucket/demo', 'region'],
    ['an upper-case region', 'acs:osstables:CN-HANGZHOU:1:bucket/demo', 'region'],
    ['an empty account', 'acs:osstables:cn-hangzhou::bucket/demo', 'account id'],
    ['a non-numeric account', 'acs:osstables:cn-hangzhou:abc:bucket/demo', 'account id'],
    ['a table resource', 'acs:osstables:cn-hangzhou:1:table/demo', 'resource must be "bucket/{name}"'],
    [
      'a qualifier after the name',
      'acs:osstables:cn-hangzhou:1:bucket/demo/table/t1',
      'no table or other qualifier',
    ],
    ['a colon in the resource', 'acs:osstables:cn-hangzhou:1:bucket/de:mo', 'bucket name'],
    ['a two-character name', 'acs:osstables:cn-hangzhou:1:bucket/ab', 'bucket name'],
    ['a 33-character name', `acs:osstables:cn-hangzhou:1:bucket/${'a'.repeat(33)}`, 'bucket name'],
    ['an upper-case name', 'acs:osstables:cn-hangzhou:1:bucket/Demo', 'bucket name'],
    ['an underscore in the name', 'acs:osstables:cn-hangzhou:1:bucket/de_mo', 'bucket name'],
    ['a leading hyphen', 'acs:osstables:cn-hangzhou:1:bucket/-demo', 'bucket name'],
    ['a trailing hyphen', 'acs:osstables:cn-hangzhou:1:bucket/demo-', 'bucket name'],
    ['the reserved prefix oss', 'acs:osstables:cn-hangzhou:1:bucket/ossdemo', 'must not start with "oss"'],
    ['the reserved prefix acs', 'acs:osstables:cn-hangzhou:1:bucket/acs-demo', 'must not start with "acs"'],
    [
      'the reserved prefix aliyun',
      'acs:osstables:cn-hangzhou:1:bucket/aliyun-x',
      'must not start with "aliyun"',
    ],
    [
      'the reserved prefix alibaba',
      'acs:osstables:cn-hangzhou:1:bucket/alibaba1',
      'must not start with "alibaba"',
    ],
    ['the reserved prefix aws', 'acs:osstables:cn-hangzhou:1:bucket/aws-demo', 'must not start with "aws"'],
  ])('rejects %s with a reason', (_case, arn, reason) => {
    const parsed = parseTableBucketArn(arn);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatchObject<Partial<AuditError>>({ code: 'INVALID_TABLE_BUCKET_ARN' });
      expect(parsed.error.message).toContain(reason);
    }
  });
});

describe('tableBucketArn', () => {
  it('formats acs:osstables:{region}:{account}:bucket/{name}', () => {
    expect(tableBucketArn('cn-hangzhou', '1234567890', 'demo')).toBe(
      'acs:osstables:cn-hangzhou:1234567890:bucket/demo',
    );
  });

  it('round-trips through parseTableBucketArn', () => {
    expect(parseTableBucketArn(tableBucketArn('eu-central-1', '42', 'lake-01'))).toEqual({
      ok: true,
      value: { region: 'eu-central-1', accountId: '42', name: 'lake-01' },
    });
  });

  it('throws INVALID_TABLE_BUCKET_ARN for parts that cannot form an ARN', () => {
    expect(thrownBy(() => tableBucketArn('cn-hangzhou', '1234567890', 'Bad_Name'))).toMatchObject({
      code: 'INVALID_TABLE_BUCKET_ARN',
    });
  });
});

describe('bucketResourceKey', () => {
  it('prefixes the bucket name with oss:', () => {
    expect(bucketResourceKey('examplebucket')).toBe('oss:examplebucket');
  });
});

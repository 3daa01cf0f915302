import { OssArgumentError } from './errors';
import { kmsKeyRegion, parseKmsKeyReference, tryParseKmsKeyArn } from './kms-key-id';

describe('tryParseKmsKeyArn', () => {
  it('splits a key ARN into region, account and key id', () => {
    expect(tryParseKmsKeyArn('acs:kms:cn-hangzhou:1540355698840001:key/key-hzz630494463ejqjx0001')).toEqual({
      arn: 'acs:kms:cn-hangzhou:1540355698840001:key/key-hzz630494463ejqjx0001',
      region: 'cn-hangzhou',
      accountId: '1540355698840001',
      keyId: 'key-hzz630494463ejqjx0001',
      alias: null,
    });
  });

  it('reads an alias ARN', () => {
    expect(tryParseKmsKeyArn('acs:kms:cn-shanghai:123:alias/acs/oss')).toMatchObject({
      region: 'cn-shanghai',
      accountId: '123',
      keyId: null,
      alias: 'alias/acs/oss',
    });
  });

  it.each([
    'acs:oss:cn-hangzhou:123:key/k',
    'acs:kms:cn-hangzhou::key/k',
    'acs:kms:cn hangzhou:123:key/k',
    'acs:kms:cn-hangzhou:123:key/',
    'acs:kms:cn-hangzhou:123:secret/s',
    'acs:kms:cn-hangzhou:123',
  ])('refuses %j', (value) => {
    expect(tryParseKmsKeyArn(value)).toBeNull();
  });
});

describe('parseKmsKeyReference', () => {
  it('tells an id, an ARN and an alias apart', () => {
    expect(parseKmsKeyReference('05754286-3ba2-4fa6-8d41-4323aca60001')).toEqual({
      kind: 'id',
      keyId: '05754286-3ba2-4fa6-8d41-4323aca60001',
    });
    expect(parseKmsKeyReference('acs:kms:cn-beijing:1:key/key-1').kind).toBe('arn');
    expect(parseKmsKeyReference('alias/acs/oss')).toEqual({ kind: 'alias', alias: 'alias/acs/oss' });
  });

  it.each(['', 'alias/', 'key id', 'acs:kms:x', '../etc', 'a'.repeat(200)])('refuses %j', (value) => {
    expect(() => parseKmsKeyReference(value)).toThrow(OssArgumentError);
  });
});

describe('kmsKeyRegion', () => {
  it("asks in an ARN's own region, else in the fallback (the bucket's)", () => {
    expect(kmsKeyRegion('acs:kms:cn-beijing:1:key/key-1', 'cn-hangzhou')).toBe('cn-beijing');
    expect(kmsKeyRegion('key-1', 'cn-hangzhou')).toBe('cn-hangzhou');
    expect(kmsKeyRegion('alias/acs/oss', 'cn-shanghai')).toBe('cn-shanghai');
  });
});

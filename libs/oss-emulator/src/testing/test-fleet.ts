import type { FleetSpec } from '../fleet/fleet.types';

/** A small fleet for the emulator's own socket tests: three accounts, every class, every denial. */

export const ACCOUNT_A = '1111111111111111';
export const ACCOUNT_B = '2222222222222222';
export const ACCOUNT_C = '3333333333333333';

export const KEY_A = {
  accessKeyId: 'LTAI5tTestAccountA000001',
  accessKeySecret: 'secret-of-account-a-000000001',
};
export const KEY_B = {
  accessKeyId: 'LTAI5tTestAccountB000001',
  accessKeySecret: 'secret-of-account-b-000000001',
};
export const KEY_C = {
  accessKeyId: 'LTAI5tTestAccountC000001',
  accessKeySecret: 'secret-of-account-c-000000001',
};
export const STS_A = {
  accessKeyId: 'STS.NUTestAccountA0000000001',
  accessKeySecret: 'sts-secret-of-account-a-000000000000000001',
  securityToken: 'CAISTestTokenOfAccountA0000000000000000000001',
};
export const EXPIRED_STS_A = {
  accessKeyId: 'STS.NUTestAccountA0000000002',
  accessKeySecret: 'sts-secret-of-account-a-000000000000000002',
  securityToken: 'CAISTestTokenOfAccountA0000000000000000000002',
  expiresAt: '2001-01-01T00:00:00Z',
};

/** Account A's bucket names of every region, in ListBuckets order. */
export const ACCOUNT_A_BUCKETS = [
  'a-aes',
  'a-bj-1',
  'a-denied',
  'a-kms-cmk',
  'a-kms-default',
  'a-kms-sm4',
  'a-none',
  'a-sh-1',
  'a-sm4',
];

export function testFleet(): FleetSpec {
  return {
    accounts: [
      {
        id: ACCOUNT_A,
        displayName: 'account-a',
        accessKeys: [KEY_A],
        stsCredentials: [STS_A, EXPIRED_STS_A],
        buckets: [
          {
            name: 'a-kms-cmk',
            region: 'cn-hangzhou',
            encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: 'cmk-0001' },
          },
          { name: 'a-kms-default', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'KMS' } },
          {
            name: 'a-kms-sm4',
            region: 'cn-hangzhou',
            encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: 'cmk-0002', kmsDataEncryption: 'SM4' },
          },
          { name: 'a-aes', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'AES256' } },
          { name: 'a-sm4', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'SM4' } },
          { name: 'a-none', region: 'cn-hangzhou' },
          { name: 'a-denied', region: 'cn-hangzhou', deny: 'all', encryption: { sseAlgorithm: 'AES256' } },
          { name: 'a-sh-1', region: 'cn-shanghai', encryption: { sseAlgorithm: 'AES256' } },
          { name: 'a-bj-1', region: 'cn-beijing' },
        ],
        tableBuckets: [
          { name: 'tb-aes', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'AES256', kmsKeyArn: '' } },
          {
            name: 'tb-kms',
            region: 'cn-hangzhou',
            encryption: { sseAlgorithm: 'KMS', kmsKeyArn: `acs:kms:cn-hangzhou:${ACCOUNT_A}:key/key-0001` },
          },
          { name: 'tb-none', region: 'cn-hangzhou' },
          { name: 'tb-denied', region: 'cn-hangzhou', deny: 'all', encryption: { sseAlgorithm: 'AES256' } },
          { name: 'tb-extra', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'AES256' } },
          { name: 'tb-bj', region: 'cn-beijing', encryption: { sseAlgorithm: 'AES256' } },
        ],
      },
      {
        id: ACCOUNT_B,
        accessKeys: [KEY_B],
        buckets: [{ name: 'b-hz-1', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'AES256' } }],
        tableBuckets: [{ name: 'tb-b', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'AES256' } }],
      },
      {
        id: ACCOUNT_C,
        accessKeys: [KEY_C],
        deny: ['ListBuckets', 'ListTableBuckets'],
        buckets: [{ name: 'c-hz-1', region: 'cn-hangzhou' }],
        tableBuckets: [],
      },
    ],
  };
}

import type { FleetSpec } from '../fleet/fleet.types';
import { ACCOUNT_A, ACCOUNT_B, ACCOUNT_C, testFleet } from './test-fleet';

/** The socket-test fleet plus KMS keys of every state, alias, deny and region the specs need. */
export function kmsTestFleet(): FleetSpec {
  const base = testFleet();
  return {
    ...base,
    accounts: base.accounts.map((account) => {
      if (account.id === ACCOUNT_A) {
        return {
          ...account,
          kmsKeys: [
            { keyId: 'cmk-0001', region: 'cn-hangzhou', aliases: ['alias/app-data'] },
            {
              keyId: 'key-oss-service-hz',
              region: 'cn-hangzhou',
              creator: 'Oss',
              aliases: ['alias/acs/oss'],
              deletionProtection: 'Enabled' as const,
            },
            {
              keyId: 'cmk-0002',
              region: 'cn-hangzhou',
              keyState: 'PendingDeletion' as const,
              deleteDate: '2025-04-24T10:00:00Z',
              automaticRotation: 'Enabled' as const,
            },
            { keyId: 'key-0001', region: 'cn-hangzhou', keyState: 'Disabled' as const },
            { keyId: 'key-denied', region: 'cn-hangzhou', deny: ['DescribeKey' as const] },
            {
              keyId: 'key-byok-sh',
              region: 'cn-shanghai',
              origin: 'EXTERNAL' as const,
              keyState: 'PendingImport' as const,
            },
          ],
        };
      }
      if (account.id === ACCOUNT_B) {
        return { ...account, kmsKeys: [{ keyId: 'key-b-0001', region: 'cn-hangzhou' }] };
      }
      if (account.id === ACCOUNT_C) {
        // Account C's RAM policy also denies kms:DescribeKey.
        return {
          ...account,
          deny: ['ListBuckets' as const, 'ListTableBuckets' as const, 'DescribeKey' as const],
          kmsKeys: [{ keyId: 'key-c-0001', region: 'cn-hangzhou' }],
        };
      }
      return account;
    }),
  };
}

import type { FleetSpec } from '@app/oss-emulator';

/**
 * The fleet with every KMS key healthy (enabled, rotating, protected, readable): for tests about
 * something else than key health, so that no finding comes from a key's state.
 */
export function withHealthyKeys(fleet: FleetSpec): FleetSpec {
  return {
    ...fleet,
    accounts: fleet.accounts.map((account) => ({
      ...account,
      kmsKeys: (account.kmsKeys ?? []).map(({ deny: _deny, deleteDate: _deleteDate, ...spec }) => ({
        ...spec,
        keyState: 'Enabled' as const,
        origin: 'Aliyun_KMS' as const,
        automaticRotation: 'Enabled' as const,
        deletionProtection: 'Enabled' as const,
      })),
    })),
  };
}

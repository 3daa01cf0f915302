import {
  OssError,
  type DirectoryAccount,
  type ListingPageReport,
  type ResourceManagerClient,
} from '@app/cloud-client';
import {
  compileMemberFilter,
  memberAccountConfig,
  type AccountConfig,
  type OrganizationConfig,
} from '@app/config';
import type { AccountRepository, PlannedAccount, ScopeError } from '@app/persistence';

/**
 * What a scan's discovery found, stored with its plan: how many members the directory listed,
 * which were planned, and, when the listing failed, why (the scan then audits the members the
 * previous plan covered and cannot end `succeeded`).
 */
export interface OrganizationPlan {
  readonly listed: number;
  readonly planned: number;
  /** Request ids of the ListAccounts pages that prove the list. */
  readonly proof: readonly string[];
  readonly error: ScopeError | null;
}

export interface DiscoveredMembers {
  readonly configs: readonly AccountConfig[];
  readonly planned: readonly PlannedAccount[];
  readonly plan: OrganizationPlan;
}

const MAX_PROOF = 3;

/**
 * Lists the directory's members (ListAccounts, every page), keeps those the organisation's
 * include/exclude select and that no `accounts[]` entry configures by uid (that entry overrides
 * the defaults), and returns how each is audited. A failed listing never reads as an empty
 * organisation: the members the last plan covered are audited again, and the error is kept.
 */
export async function discoverMembers(
  organization: OrganizationConfig,
  configured: readonly AccountConfig[],
  resourceManager: Pick<ResourceManagerClient, 'listAccounts'>,
  accounts: Pick<AccountRepository, 'discoveredInScope'>,
): Promise<DiscoveredMembers> {
  const configuredIds = new Set(configured.map((account) => account.accountId));
  const selected = compileMemberFilter(organization);
  const proof: string[] = [];
  const onPage = (page: ListingPageReport): void => {
    if (page.requestId !== null && proof.length < MAX_PROOF) proof.push(page.requestId);
  };
  let members: PlannedAccount[];
  let listed = 0;
  let error: ScopeError | null = null;
  try {
    const found: DirectoryAccount[] = [];
    for await (const member of resourceManager.listAccounts({ onPage })) found.push(member);
    listed = found.length;
    members = found
      .filter((member) => selected({ ...member }))
      .map((member) => ({
        alias: member.accountId,
        accountId: member.accountId,
        source: 'discovered',
        name: member.displayName,
        folderId: member.folderId,
      }));
  } catch (caught) {
    if (!(caught instanceof OssError)) throw caught;
    error = {
      code: caught.info.code,
      message: caught.info.message,
      httpStatus: caught.info.httpStatus,
      host: caught.info.host,
      requestId: caught.info.requestId,
      operation: caught.info.operation,
    };
    members = await accounts.discoveredInScope();
  }
  const planned = members.filter((member) => !configuredIds.has(member.accountId));
  return {
    configs: planned.map((member) => memberAccountConfig(organization, member.alias)),
    planned,
    plan: { listed, planned: planned.length, proof, error },
  };
}

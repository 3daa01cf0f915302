import { compileNamePattern } from '@app/audit';

import type { AccountConfig, MemberFilterConfig, OrganizationConfig } from './audit-config.types';

/** A member of the resource directory as discovery reports it. */
export interface DirectoryMember {
  readonly accountId: string;
  readonly displayName: string;
  readonly folderId: string | null;
}

function compileFilter(filter: MemberFilterConfig): {
  readonly empty: boolean;
  readonly matches: (member: DirectoryMember) => boolean;
} {
  const ids = new Set(filter.accountIds);
  const folders = new Set(filter.folderIds);
  const names = filter.names.map(compileNamePattern);
  return {
    empty: ids.size === 0 && folders.size === 0 && names.length === 0,
    matches: (member) =>
      ids.has(member.accountId) ||
      (member.folderId !== null && folders.has(member.folderId)) ||
      names.some((pattern) => pattern.test(member.displayName)),
  };
}

/**
 * Which members the organisation audits: those any `include` list names (every member when
 * `include` is empty) that no `exclude` list names. Exclude wins.
 */
export function compileMemberFilter(
  organization: Pick<OrganizationConfig, 'include' | 'exclude'>,
): (member: DirectoryMember) => boolean {
  const include = compileFilter(organization.include);
  const exclude = compileFilter(organization.exclude);
  return (member) => (include.empty || include.matches(member)) && !exclude.matches(member);
}

/** The RAM role a member is audited through. */
export function memberRoleArn(organization: Pick<OrganizationConfig, 'roleName'>, accountId: string): string {
  return `acs:ram::${accountId}:role/${organization.roleName}`;
}

/**
 * How a discovered member is audited: the organisation's defaults, its endpoints, and credentials
 * from AssumeRole on its role. Its alias is its uid, stable whatever the member is renamed to.
 */
export function memberAccountConfig(organization: OrganizationConfig, accountId: string): AccountConfig {
  const { defaults, endpoints } = organization;
  return {
    alias: accountId,
    accountId,
    credentials: {
      type: 'organization_role',
      roleArn: memberRoleArn(organization, accountId),
      roleSessionName: organization.roleSessionName,
      durationSeconds: organization.durationSeconds,
      externalId: organization.externalId,
      refreshMarginSeconds: organization.refreshMarginSeconds,
    },
    regions: defaults.regions,
    tableRegions: defaults.tableRegions,
    discover: defaults.discover,
    buckets: [],
    tableBuckets: [],
    include: defaults.include,
    exclude: defaults.exclude,
    tables: defaults.tables,
    endpoints: {
      oss: endpoints.oss,
      tables: endpoints.tables,
      kms: endpoints.kms,
      addressing: endpoints.addressing,
      internal: endpoints.internal,
      allowInsecureHttp: endpoints.allowInsecureHttp,
    },
    signatureVersion: defaults.signatureVersion,
    rate: defaults.rate,
  };
}

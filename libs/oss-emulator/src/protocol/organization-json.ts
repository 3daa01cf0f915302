import type { MemberRecord } from '../fleet/resource-directory';
import type { KmsError } from './kms-json';

/**
 * Resource Manager and STS answers. Both speak the OpenAPI gateway's JSON (the same error body as
 * KMS). Codes and messages follow the STS AssumeRole and Resource Manager ListAccounts API
 * references (docs/organisations.md lists them with their sources).
 */

/** STS: the RoleArn names no role of that account (or no such member). */
export function roleNotFound(roleArn: string): KmsError {
  return { code: 'EntityNotExist.Role', status: 404, message: `The role not exists: ${roleArn}.` };
}

/** STS or Resource Manager: the caller may not (the role's trust policy, or the caller's RAM policy). */
export function notAuthorized(): KmsError {
  return {
    code: 'NoPermission',
    status: 403,
    message: 'You are not authorized to do this action. You should be authorized by RAM.',
  };
}

export function invalidRoleArn(): KmsError {
  return {
    code: 'InvalidParameter.RoleArn',
    status: 400,
    message: 'The parameter RoleArn is wrongly formed.',
  };
}

export function invalidDurationSeconds(min: number, max: number): KmsError {
  return {
    code: 'InvalidParameter.DurationSeconds',
    status: 400,
    message: `The Min/Max value of DurationSeconds is ${min.toString()}/${max.toString()} seconds, currently.`,
  };
}

export function invalidPageSize(): KmsError {
  return {
    code: 'InvalidParameter.PageSize',
    status: 400,
    message: 'The PageSize must be between 1 and 100.',
  };
}

/** ListAccounts 2020-03-31: one page of members. */
export function renderListAccounts(
  members: readonly MemberRecord[],
  page: { readonly pageNumber: number; readonly pageSize: number; readonly totalCount: number },
  resourceDirectoryId: string,
  requestId: string,
): string {
  return JSON.stringify({
    RequestId: requestId,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    TotalCount: page.totalCount,
    Accounts: {
      Account: members.map((member) => ({
        AccountId: member.accountId,
        DisplayName: member.displayName,
        FolderId: member.folderId,
        ResourceDirectoryId: resourceDirectoryId,
        JoinMethod: 'invited',
        JoinTime: member.joinedAt,
        ModifyTime: member.joinedAt,
        Status: 'CreateSuccess',
        Type: 'ResourceAccount',
      })),
    },
  });
}

/** AssumeRole 2015-04-01: the temporary credentials and who they are. */
export function renderAssumeRole(
  issued: {
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly securityToken: string;
    readonly expiresAt: Date;
  },
  roleArn: string,
  sessionName: string,
  requestId: string,
): string {
  const roleId = roleArn.replace(/^acs:ram::(\d+):role\/.*$/, '$1');
  return JSON.stringify({
    RequestId: requestId,
    AssumedRoleUser: {
      Arn: `${roleArn.replace(':role/', ':assumed-role/')}/${sessionName}`,
      AssumedRoleId: `3${roleId.slice(0, 17)}:${sessionName}`,
    },
    Credentials: {
      AccessKeyId: issued.accessKeyId,
      AccessKeySecret: issued.accessKeySecret,
      SecurityToken: issued.securityToken,
      Expiration: issued.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  });
}

import { EmulatorError } from '../emulator-error';

/** A RAM role of a member account that the management account may try to assume. */
export interface RoleSpec {
  readonly name: string;
  /**
   * Whether the role's trust policy lets the management account assume it (default true). A role
   * that does not trust it answers AssumeRole with 403 NoPermission.
   */
  readonly trustsManagement?: boolean;
  /** The role's maximum session duration (default 3600 s); a longer DurationSeconds is refused. */
  readonly maxSessionDurationSeconds?: number;
}

/** A member of the resource directory: one of the fleet's accounts. */
export interface MemberSpec {
  readonly accountId: string;
  /** Default the account's display name. */
  readonly displayName?: string;
  /** `fd-...`; default the root folder. */
  readonly folderId?: string;
  /** Roles in the member; a role it lacks answers AssumeRole with 404 EntityNotExist.Role. */
  readonly roles?: readonly RoleSpec[];
}

/** The emulated Resource Directory (`organization:` in a fleet file). */
export interface OrganizationSpec {
  /** The account whose keys may call ListAccounts and assume member roles. */
  readonly managementAccountId: string;
  readonly members: readonly MemberSpec[];
  /** Shortest DurationSeconds AssumeRole accepts: 900 in the service; tests lower it to see expiry. */
  readonly minDurationSeconds?: number;
}

export const ROOT_FOLDER_ID = 'fd-root0000000';
const SERVICE_MIN_DURATION_SECONDS = 900;
const DEFAULT_MAX_SESSION_SECONDS = 3600;

/** A member as ListAccounts shows it. */
export interface MemberRecord {
  readonly accountId: string;
  readonly displayName: string;
  readonly folderId: string;
  readonly roles: readonly RoleSpec[];
  readonly joinedAt: string;
}

/** What assuming `acs:ram::{uid}:role/{name}` finds. */
export type RoleLookup =
  | { readonly kind: 'role'; readonly accountId: string; readonly role: RoleSpec }
  | { readonly kind: 'no_role' }
  | { readonly kind: 'not_trusted' };

const ROLE_ARN = /^acs:ram::(\d+):role\/([A-Za-z0-9.@_-]{1,64})$/;

/**
 * The members of the emulated resource directory, in join order, changeable while the emulator
 * runs (an account joins, another leaves) so scans can see the organisation change.
 */
export class ResourceDirectory {
  readonly managementAccountId: string;
  readonly minDurationSeconds: number;
  private readonly members = new Map<string, MemberRecord>();

  constructor(
    spec: OrganizationSpec,
    private readonly accountName: (accountId: string) => string | undefined,
  ) {
    if (accountName(spec.managementAccountId) === undefined) {
      throw new EmulatorError(
        'INVALID_FLEET',
        `organization.managementAccountId ${spec.managementAccountId} is not an account of the fleet.`,
      );
    }
    this.managementAccountId = spec.managementAccountId;
    this.minDurationSeconds = spec.minDurationSeconds ?? SERVICE_MIN_DURATION_SECONDS;
    for (const member of spec.members) this.join(member);
  }

  /** Members in join order. */
  list(): readonly MemberRecord[] {
    return [...this.members.values()];
  }

  join(member: MemberSpec, joinedAt = new Date().toISOString()): MemberRecord {
    const name = this.accountName(member.accountId);
    if (name === undefined) {
      throw new EmulatorError('UNKNOWN_ACCOUNT', `No account ${member.accountId} to join the directory.`);
    }
    if (this.members.has(member.accountId)) {
      throw new EmulatorError('INVALID_FLEET', `Account ${member.accountId} is a member already.`);
    }
    const record: MemberRecord = {
      accountId: member.accountId,
      displayName: member.displayName ?? name,
      folderId: member.folderId ?? ROOT_FOLDER_ID,
      roles: member.roles ?? [],
      joinedAt,
    };
    this.members.set(member.accountId, record);
    return record;
  }

  /** The member leaves the directory (its account and resources stay in the fleet). */
  leave(accountId: string): void {
    if (!this.members.delete(accountId)) {
      throw new EmulatorError('UNKNOWN_ACCOUNT', `Account ${accountId} is not a member.`);
    }
  }

  /** The role a RoleArn names, for the management account; undefined when the ARN is malformed. */
  lookupRole(roleArn: string): RoleLookup | undefined {
    const match = ROLE_ARN.exec(roleArn);
    if (match === null) return undefined;
    const [, accountId = '', roleName = ''] = match;
    const member = this.members.get(accountId);
    const role = member?.roles.find((candidate) => candidate.name.toLowerCase() === roleName.toLowerCase());
    if (role === undefined) return { kind: 'no_role' };
    if (role.trustsManagement === false) return { kind: 'not_trusted' };
    return { kind: 'role', accountId, role };
  }

  maxSessionSeconds(role: RoleSpec): number {
    return role.maxSessionDurationSeconds ?? DEFAULT_MAX_SESSION_SECONDS;
  }

  toSpec(): OrganizationSpec {
    return {
      managementAccountId: this.managementAccountId,
      minDurationSeconds: this.minDurationSeconds,
      members: this.list().map(({ accountId, displayName, folderId, roles }) => ({
        accountId,
        displayName,
        folderId,
        roles,
      })),
    };
  }
}

import type { AccountSpec, FleetSpec, MemberSpec } from '@app/oss-emulator';

/** The management account of the emulated organisation, and its key (ListAccounts, AssumeRole). */
export const MANAGEMENT_ACCOUNT_ID = '1900000000000000';
export const MANAGEMENT_KEY = {
  accessKeyId: 'LTAI5tOrgManagement00001',
  accessKeySecret: 'secret-of-the-management-account-1',
};
/** The role every member trusts the management account to assume (unless told otherwise). */
export const AUDIT_ROLE_NAME = 'SeedAuditRole';

export interface OrganizationFleetOptions {
  readonly members: number;
  /** 1-based member numbers whose role does not trust the management account (NoPermission). */
  readonly denying?: readonly number[];
  /** 1-based member numbers without the audit role (EntityNotExist.Role). */
  readonly withoutRole?: readonly number[];
  /** Buckets per member (half KMS-encrypted, half not); default 2. */
  readonly bucketsPerMember?: number;
  /** Lowest DurationSeconds STS accepts (default the service's 900). */
  readonly minDurationSeconds?: number;
}

/** Member n's uid: 20000000000000nn. */
export function memberAccountId(n: number): string {
  return `2${n.toString().padStart(15, '0')}`;
}

/** Member n's account: its buckets (`m{n}-b{i}`, even ones KMS, odd ones unencrypted), no keys of its own. */
export function memberAccountSpec(n: number, buckets = 2): AccountSpec {
  const id = memberAccountId(n);
  return {
    id,
    displayName: `member-${n.toString().padStart(2, '0')}`,
    accessKeys: [],
    buckets: Array.from({ length: buckets }, (_, index) => ({
      name: `m${n.toString()}-b${index.toString()}`,
      region: 'cn-hangzhou',
      ...(index % 2 === 0 ? { encryption: { sseAlgorithm: 'KMS' as const } } : {}),
    })),
    tableBuckets: [],
  };
}

/** Member n in the directory, with the audit role (trusting or not) or without it. */
export function memberSpec(n: number, role: 'trusting' | 'denying' | 'none' = 'trusting'): MemberSpec {
  return {
    accountId: memberAccountId(n),
    folderId: n % 2 === 0 ? 'fd-even' : 'fd-odd',
    roles: role === 'none' ? [] : [{ name: AUDIT_ROLE_NAME, trustsManagement: role === 'trusting' }],
  };
}

/**
 * An organisation on the emulator: a management account with an AccessKey and `members` member
 * accounts in its Resource Directory, each auditable only through its role.
 */
export function organizationFleet(options: OrganizationFleetOptions): FleetSpec {
  const numbers = Array.from({ length: options.members }, (_, index) => index + 1);
  const denying = new Set(options.denying ?? []);
  const withoutRole = new Set(options.withoutRole ?? []);
  return {
    accounts: [
      {
        id: MANAGEMENT_ACCOUNT_ID,
        displayName: 'management',
        accessKeys: [MANAGEMENT_KEY],
        buckets: [],
        tableBuckets: [],
      },
      ...numbers.map((n) => memberAccountSpec(n, options.bucketsPerMember)),
    ],
    organization: {
      managementAccountId: MANAGEMENT_ACCOUNT_ID,
      members: numbers.map((n) =>
        memberSpec(n, denying.has(n) ? 'denying' : withoutRole.has(n) ? 'none' : 'trusting'),
      ),
      ...(options.minDurationSeconds === undefined ? {} : { minDurationSeconds: options.minDurationSeconds }),
    },
  };
}

export interface OrganizationAuditConfigOptions {
  readonly emulatorUrl: string;
  readonly databaseUrl: string;
  /** Merged into the `organization` block. */
  readonly organization?: Record<string, unknown>;
  /** The management secret the auditor is given (default the right one). */
  readonly managementSecret?: string;
  /**
   * `accounts[]` entries next to the organisation (an entry naming a member overrides its
   * defaults), given the emulator's URL for their endpoints.
   */
  readonly accounts?: (emulatorUrl: string) => readonly Record<string, unknown>[];
  /** Variables those entries read. */
  readonly extraEnv?: Record<string, string>;
}

/** The auditor's configuration for an emulated organisation: the `organization` block and any `accounts` given. */
export function organizationAuditConfig(options: OrganizationAuditConfigOptions): {
  document: Record<string, unknown>;
  env: Record<string, string>;
} {
  const url = options.emulatorUrl;
  return {
    document: {
      organization: {
        credentials: {
          type: 'access_key',
          accessKeyIdEnv: 'SEED_ORG_ACCESS_KEY_ID',
          accessKeySecretEnv: 'SEED_ORG_ACCESS_KEY_SECRET',
        },
        roleName: AUDIT_ROLE_NAME,
        endpoints: {
          resourceManager: url,
          sts: url,
          oss: url,
          tables: url,
          kms: url,
          addressing: 'path',
          allowInsecureHttp: true,
        },
        defaults: { regions: ['cn-hangzhou'], discover: { tableBuckets: false } },
        ...options.organization,
      },
      ...(options.accounts === undefined ? {} : { accounts: options.accounts(url) }),
      schedule: { enabled: false },
      worker: { metricsPort: 0 },
    },
    env: {
      DATABASE_URL: options.databaseUrl,
      SEED_ORG_ACCESS_KEY_ID: MANAGEMENT_KEY.accessKeyId,
      SEED_ORG_ACCESS_KEY_SECRET: options.managementSecret ?? MANAGEMENT_KEY.accessKeySecret,
      ...options.extraEnv,
    },
  };
}

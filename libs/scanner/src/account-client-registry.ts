import {
  memberAccountConfig,
  type AccountConfig,
  type AuditConfig,
  type CredentialsConfig,
  type OrganizationConfig,
} from '@app/config';
import {
  AlibabaCloudCredentialSource,
  AssumedRoleCredentialSource,
  createAccountClients,
  createOssDispatcher,
  ResourceManagerClient,
  StsClient,
  type AlibabaCloudCredentialSpec,
  type CredentialSource,
  type KmsClient,
  type OssClient,
  type OssTablesClient,
} from '@app/cloud-client';
import type { Dispatcher } from 'undici';

/** The clients of one configured account, sharing its rate limiter, retry budget and clock offset. */
export interface AccountClientPair {
  readonly account: AccountConfig;
  readonly oss: OssClient;
  readonly tables: OssTablesClient;
  readonly kms: KmsClient;
}

/** Region ListBuckets is sent to when the account audits every region. */
const DEFAULT_LIST_REGION = 'cn-hangzhou';

/**
 * The clients of every configured account, built once per process. One rate limiter and retry
 * budget per account: a throttled account slows only itself. One dispatcher for the process; when
 * an endpoint override sends everything to one origin (the emulator), that origin gets as many
 * sockets as the scan's global concurrency instead of the per-bucket-origin default.
 */
export class AccountClientRegistry {
  private readonly pairs = new Map<string, AccountClientPair>();
  private readonly dispatcher: Dispatcher;

  private readonly organization: OrganizationClients | null;

  constructor(private readonly config: AuditConfig) {
    const organization = config.organization;
    const overridden =
      config.accounts.some(
        (account) =>
          account.endpoints.oss !== null ||
          account.endpoints.tables !== null ||
          account.endpoints.kms !== null,
      ) ||
      (organization !== null && organization.endpoints.oss !== null);
    this.dispatcher = createOssDispatcher({
      connectionsPerOrigin: overridden ? config.scan.globalConcurrency : 2,
    });
    this.organization = organization === null ? null : this.organizationClients(organization);
    for (const account of config.accounts) this.pairs.set(account.alias, this.build(account));
  }

  /**
   * Resource Manager of the organisation's management account (discovery); null without an
   * organisation.
   */
  get resourceManager(): ResourceManagerClient | null {
    return this.organization?.resourceManager ?? null;
  }

  private organizationClients(organization: OrganizationConfig): OrganizationClients {
    const common = {
      credentials: new AlibabaCloudCredentialSource(credentialSpec(organization.credentials)),
      dispatcher: this.dispatcher,
      retry: { maxAttempts: this.config.scan.maxAttempts },
      attemptTimeoutMs: this.config.scan.requestTimeoutMs,
      maxResponseBytes: this.config.scan.maxResponseBytes,
    };
    const endpoint = (origin: string | null) => (origin === null ? {} : { endpointOverride: origin });
    return {
      organization,
      resourceManager: new ResourceManagerClient({
        ...common,
        ...endpoint(organization.endpoints.resourceManager),
      }),
      sts: new StsClient({ ...common, ...endpoint(organization.endpoints.sts) }),
    };
  }

  private credentialsOf(credentials: CredentialsConfig): CredentialSource {
    if (credentials.type !== 'organization_role') {
      return new AlibabaCloudCredentialSource(credentialSpec(credentials));
    }
    if (this.organization === null) {
      throw new Error('An organisation member needs the organization block of the configuration');
    }
    return new AssumedRoleCredentialSource({
      sts: this.organization.sts,
      request: {
        roleArn: credentials.roleArn,
        roleSessionName: credentials.roleSessionName,
        durationSeconds: credentials.durationSeconds,
        ...(credentials.externalId === null ? {} : { externalId: credentials.externalId }),
      },
      refreshMarginSeconds: credentials.refreshMarginSeconds,
    });
  }

  private build(account: AccountConfig): AccountClientPair {
    const config = this.config;
    const { oss, tables, kms } = createAccountClients({
      credentials: this.credentialsOf(account.credentials),
      dispatcher: this.dispatcher,
      rateLimit: {
        initialRatePerSecond: account.rate.initialRps,
        minRatePerSecond: account.rate.minRps,
        maxRatePerSecond: account.rate.maxRps,
        maxConcurrency: account.rate.concurrency,
      },
      retry: { maxAttempts: config.scan.maxAttempts },
      attemptTimeoutMs: config.scan.requestTimeoutMs,
      maxResponseBytes: config.scan.maxResponseBytes,
      internal: account.endpoints.internal,
      endpointOverrides: {
        ...(account.endpoints.oss === null ? {} : { oss: account.endpoints.oss }),
        ...(account.endpoints.tables === null ? {} : { tables: account.endpoints.tables }),
        ...(account.endpoints.kms === null ? {} : { kms: account.endpoints.kms }),
      },
      listBucketsRegion:
        account.regions === 'all' ? DEFAULT_LIST_REGION : (account.regions[0] ?? DEFAULT_LIST_REGION),
      addressing: account.endpoints.addressing === 'path' ? 'path-style' : 'virtual-hosted',
      signatureVersion: account.signatureVersion,
    });
    return { account, oss, tables, kms };
  }

  /** The clients of the account with this alias; throws for an alias the configuration lacks. */
  forAccount(alias: string): AccountClientPair {
    const pair = this.pairs.get(alias);
    if (pair !== undefined) return pair;
    // A discovered member (its alias is its uid): built on first use, then kept with its credentials.
    if (this.organization !== null && /^[0-9]+$/.test(alias)) {
      const member = this.build(memberAccountConfig(this.organization.organization, alias));
      this.pairs.set(alias, member);
      return member;
    }
    throw new Error(`No configured account has the alias '${alias}'`);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/**
 * The Resource Manager client of the organisation's management account alone, for a process that
 * starts scans without auditing (the API): it lists members, it never assumes their roles.
 */
export function standaloneResourceManager(config: AuditConfig): ResourceManagerClient | null {
  const organization = config.organization;
  if (organization === null) return null;
  return new ResourceManagerClient({
    credentials: new AlibabaCloudCredentialSource(credentialSpec(organization.credentials)),
    retry: { maxAttempts: config.scan.maxAttempts },
    attemptTimeoutMs: config.scan.requestTimeoutMs,
    ...(organization.endpoints.resourceManager === null
      ? {}
      : { endpointOverride: organization.endpoints.resourceManager }),
  });
}

interface OrganizationClients {
  readonly organization: OrganizationConfig;
  readonly resourceManager: ResourceManagerClient;
  readonly sts: StsClient;
}

/** Maps the configuration's credential source onto the client library's `@alicloud/credentials` spec. */
export function credentialSpec(
  credentials: Exclude<CredentialsConfig, { type: 'organization_role' }>,
): AlibabaCloudCredentialSpec {
  switch (credentials.type) {
    case 'access_key':
      return credentials.securityToken === null
        ? {
            type: 'access_key',
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.accessKeySecret.reveal(),
          }
        : {
            type: 'sts',
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.accessKeySecret.reveal(),
            securityToken: credentials.securityToken.reveal(),
          };
    case 'ram_role_arn':
      return {
        type: 'ram_role_arn',
        accessKeyId: credentials.source.accessKeyId,
        accessKeySecret: credentials.source.accessKeySecret.reveal(),
        ...(credentials.source.securityToken === null
          ? {}
          : { securityToken: credentials.source.securityToken.reveal() }),
        roleArn: credentials.roleArn,
        roleSessionName: credentials.roleSessionName,
        durationSeconds: credentials.durationSeconds,
        ...(credentials.externalId === null ? {} : { externalId: credentials.externalId }),
      };
    case 'ecs_ram_role':
      return {
        type: 'ecs_ram_role',
        ...(credentials.roleName === null ? {} : { roleName: credentials.roleName }),
      };
    case 'oidc_role_arn':
      return {
        type: 'oidc_role_arn',
        roleArn: credentials.roleArn,
        oidcProviderArn: credentials.oidcProviderArn,
        oidcTokenFilePath: credentials.oidcTokenFilePath,
        roleSessionName: credentials.roleSessionName,
        durationSeconds: credentials.durationSeconds,
      };
    case 'profile':
      return {
        type: 'profile',
        ...(credentials.profileName === null ? {} : { profileName: credentials.profileName }),
      };
    case 'default_chain':
      return { type: 'default' };
  }
}

import type { FindingPolicy, FindingRule, Severity } from '@app/audit';

import type { Secret } from './secret';

/** The whole validated configuration, deeply frozen. Secrets are `Secret`s; nothing else is secret. */
export interface AuditConfig {
  readonly accounts: readonly AccountConfig[];
  /** A Resource Directory whose members are discovered and audited through a role; null: none. */
  readonly organization: OrganizationConfig | null;
  /** Region ids newer than Seed's list of OSS regions, accepted as they are. */
  readonly extraRegions: readonly string[];
  readonly schedule: ScheduleConfig;
  readonly scan: ScanConfig;
  readonly policy: FindingPolicy;
  readonly exceptions: ExceptionsConfig;
  readonly retention: RetentionConfig;
  readonly database: DatabaseConfig;
  readonly api: ApiConfig;
  readonly worker: WorkerConfig;
  readonly alerts: AlertsConfig;
  readonly logging: LoggingConfig;
  readonly evidence: EvidenceConfig;
}

/** Evidence packs. */
export interface EvidenceConfig {
  /** PEM text of the Ed25519 private key that signs packs (checked at startup); null: none configured. */
  readonly signingKey: Secret | null;
}

/** One Alibaba Cloud account to audit. */
export interface AccountConfig {
  /** Unique, `[a-z0-9-]`: the name of the account in findings, metrics and routing. */
  readonly alias: string;
  /** Account uid (digits); null when not configured (table bucket ARNs carry it). */
  readonly accountId: string | null;
  readonly credentials: CredentialsConfig;
  /** Regions whose buckets are audited; `all`: every region ListBuckets reports. */
  readonly regions: 'all' | readonly string[];
  /** Regions listed with ListTableBuckets: `tableRegions` if set, else the explicit `regions`. */
  readonly tableRegions: readonly string[];
  readonly discover: DiscoveryConfig;
  /** Buckets audited in addition to the discovered ones. */
  readonly buckets: readonly ExplicitBucket[];
  /** Table buckets audited in addition to the discovered ones, from validated ARNs. */
  readonly tableBuckets: readonly ExplicitTableBucket[];
  /** Name globs (`*`, `?`) of the resources covered; empty: all. Apply with `compileNameScope`. */
  readonly include: readonly string[];
  /** Name globs of the resources left out; exclude wins over include. */
  readonly exclude: readonly string[];
  /** Globs over `{namespace}/{table}` of the tables audited inside the table buckets. */
  readonly tables: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  readonly endpoints: EndpointsConfig;
  readonly signatureVersion: SignatureVersion;
  readonly rate: RateConfig;
}

/** Where an account's credentials come from; each maps onto an `@alicloud/credentials` provider. */
export type CredentialsConfig =
  | AccessKeyCredentialsConfig
  | RamRoleArnCredentialsConfig
  | EcsRamRoleCredentialsConfig
  | OidcRoleArnCredentialsConfig
  | ProfileCredentialsConfig
  | DefaultChainCredentialsConfig
  | OrganizationRoleCredentialsConfig;

/**
 * A discovered member's credentials: AssumeRole on its role with the organisation's management
 * credentials (never written in the file: built from the `organization` block for each member).
 */
export interface OrganizationRoleCredentialsConfig {
  readonly type: 'organization_role';
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  readonly externalId: string | null;
  readonly refreshMarginSeconds: number;
}

/** Which members an organisation audits: by uid, display-name glob or folder; empty lists match nothing. */
export interface MemberFilterConfig {
  readonly accountIds: readonly string[];
  readonly names: readonly string[];
  readonly folderIds: readonly string[];
}

/** The `organization` block. */
export interface OrganizationConfig {
  /** The management (or delegated administrator) account's credentials: ListAccounts and AssumeRole. */
  readonly credentials: Exclude<CredentialsConfig, OrganizationRoleCredentialsConfig>;
  /** The role assumed in every member: `acs:ram::{uid}:role/{roleName}`. */
  readonly roleName: string;
  readonly externalId: string | null;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** Member credentials are renewed this long before they expire (at most half their lifetime). */
  readonly refreshMarginSeconds: number;
  /** Members audited: every one when all three lists are empty. */
  readonly include: MemberFilterConfig;
  /** Members left out; exclude wins over include. */
  readonly exclude: MemberFilterConfig;
  readonly endpoints: OrganizationEndpointsConfig;
  /** Settings of every member's audit. */
  readonly defaults: MemberDefaultsConfig;
}

export interface OrganizationEndpointsConfig extends EndpointsConfig {
  readonly resourceManager: string | null;
  readonly sts: string | null;
}

export type MemberDefaultsConfig = Pick<
  AccountConfig,
  'regions' | 'tableRegions' | 'discover' | 'include' | 'exclude' | 'tables' | 'signatureVersion' | 'rate'
>;

/** An AccessKey pair read from the environment; with a security token, STS credentials. */
export interface AccessKeyCredentialsConfig extends AccessKeyMaterial {
  readonly type: 'access_key';
}

/** AccessKey material resolved from named environment variables. The id is an identifier, not a secret. */
export interface AccessKeyMaterial {
  readonly accessKeyId: string;
  readonly accessKeySecret: Secret;
  readonly securityToken: Secret | null;
}

/** STS AssumeRole from an AccessKey pair. */
export interface RamRoleArnCredentialsConfig {
  readonly type: 'ram_role_arn';
  readonly source: AccessKeyMaterial;
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  readonly externalId: string | null;
}

/** The RAM role attached to the ECS instance (metadata service); null role name: discovered. */
export interface EcsRamRoleCredentialsConfig {
  readonly type: 'ecs_ram_role';
  readonly roleName: string | null;
}

/** RRSA: AssumeRoleWithOIDC with a projected token file (values from the file or ALIBABA_CLOUD_*). */
export interface OidcRoleArnCredentialsConfig {
  readonly type: 'oidc_role_arn';
  readonly roleArn: string;
  readonly oidcProviderArn: string;
  readonly oidcTokenFilePath: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
}

/**
 * A profile of the credentials file (`~/.alibabacloud/credentials`, or the path in
 * `ALIBABA_CLOUD_CREDENTIALS_FILE`, which `@alicloud/credentials` reads itself); a null name leaves
 * the choice to it (`ALIBABA_CLOUD_PROFILE`, else `default`).
 */
export interface ProfileCredentialsConfig {
  readonly type: 'profile';
  readonly profileName: string | null;
}

/** The `@alicloud/credentials` default chain (environment, profile, ECS role, RRSA...). */
export interface DefaultChainCredentialsConfig {
  readonly type: 'default_chain';
}

/** Which kinds of resource an account's audit lists by itself. */
export interface DiscoveryConfig {
  readonly buckets: boolean;
  readonly tableBuckets: boolean;
  /** Whether the tables inside every audited table bucket are walked and audited. */
  readonly tables: boolean;
}

/** A bucket named in the configuration. */
export interface ExplicitBucket {
  readonly name: string;
  readonly region: string;
}

/** A table bucket named in the configuration by ARN, with the ARN's parts. */
export interface ExplicitTableBucket {
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
}

/** How bucket names are put into URLs. */
export type AddressingStyle = 'virtual-hosted' | 'path';

/**
 * Endpoint overrides. An override URL is an origin (scheme, host, optional port) used for every
 * region of the account; the signing region stays the resource's region. `http` is only accepted
 * when written explicitly together with `allowInsecureHttp: true`.
 */
export interface EndpointsConfig {
  readonly oss: string | null;
  readonly tables: string | null;
  /** KMS (DescribeKey) override; RPC calls always use the path `/`. */
  readonly kms: string | null;
  /** As configured; by default path-style when an override host is an IP address or localhost. */
  readonly addressing: AddressingStyle;
  /** Use the `-internal` endpoints (VPC; `kms-vpc.{region}` for KMS); applies to endpoints without an override. */
  readonly internal: boolean;
  readonly allowInsecureHttp: boolean;
}

/** OSS request signature version. */
export type SignatureVersion = 'v4' | 'v1';

/** Request rate per (account, region): AIMD between `minRps` and `maxRps`, in-flight cap `concurrency`. */
export interface RateConfig {
  readonly initialRps: number;
  readonly maxRps: number;
  readonly minRps: number;
  readonly concurrency: number;
}

/** When the nightly scan starts. */
export interface ScheduleConfig {
  /** 5 fields, or 6 with seconds first; validated with the parser `@nestjs/schedule` uses. */
  readonly cron: string;
  /** IANA time zone, canonical spelling. */
  readonly timeZone: string;
  readonly enabled: boolean;
}

/** Scan sizing and request limits. */
export interface ScanConfig {
  readonly auditBatchSize: number;
  readonly globalConcurrency: number;
  /** Deadline of one request attempt. */
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
  readonly maxResponseBytes: number;
  /**
   * Resources still throttled after their request's retries are read again later in the same scan,
   * once the account's rate and retry budget have recovered: `rounds` times at most, the first
   * after `delaySeconds`, each next one after twice the wait. Only then are they `unknown`.
   */
  readonly throttledRereads: { readonly rounds: number; readonly delaySeconds: number };
  readonly jobs: ScanJobsConfig;
}

/**
 * The job engine (pg-boss) that runs a scan's jobs; every process of one deployment must use the
 * same values (the queues take them from whichever process starts first, then from each start).
 */
export interface ScanJobsConfig {
  /** The longest one job may run: a job still running then is failed and retried. */
  readonly expireInSeconds: number;
  /**
   * A running job's lease, renewed by its replica every quarter of it: a job whose replica died
   * (or lost the database) for this long is handed to another replica. Capped by `expireInSeconds`.
   */
  readonly leaseSeconds: number;
  /** Retries of a job that failed or expired. */
  readonly retryLimit: number;
  /** Delay before the first retry; it doubles with each further one. */
  readonly retryDelaySeconds: number;
  /** How often an idle consumer looks for jobs (0.5 s at the least). */
  readonly pollingIntervalSeconds: number;
  /** How often finished jobs are archived and dropped (and lapsed ones looked for), by one replica at a time. */
  readonly maintenanceIntervalSeconds: number;
  /** Audit jobs one replica runs at once. */
  readonly auditConcurrency: number;
  /** Enumerate jobs one replica runs at once. */
  readonly enumerateConcurrency: number;
}

/** How long history is kept. */
/** Accountable exceptions: the file of exceptions as code, and the policy around them. */
export interface ExceptionsConfig {
  /** A YAML file of exceptions (docs/compliance.md), read and synced at every scan; null: none. */
  readonly file: string | null;
  /** The longest an exception may last, from its creation. */
  readonly maxDurationDays: number;
  /** Exceptions ending within this many days are listed in the expiry digest. */
  readonly expiringWithinDays: number;
}

export interface RetentionConfig {
  readonly historyMonths: number;
  readonly scanRecordsDays: number;
}

/** Postgres connection. */
export interface DatabaseConfig {
  /** From `DATABASE_URL`; a `postgres://` or `postgresql://` URL. */
  readonly url: Secret;
  readonly poolSize: number;
}

/** The REST API. */
export interface ApiConfig {
  readonly port: number;
  /** Requests per minute per client: per API key, or per address for requests without a valid key. */
  readonly rateLimitPerMinute: number;
  /** Base URL of the API as users reach it, for links in alerts; null: alerts carry no links. */
  readonly publicBaseUrl: string | null;
  /**
   * Whose X-Forwarded-For gives the client address (Express's `trust proxy`): false (default), the
   * socket's address only; a number of proxy hops in front of the API; or the proxies' addresses
   * and CIDR ranges (`loopback`, `linklocal`, `uniquelocal` included).
   */
  readonly trustProxy: false | number | readonly string[];
}

/** Alert channels. */
export interface AlertsConfig {
  readonly channels: readonly AlertChannelConfig[];
}

/** One alert destination. */
export type AlertChannelConfig = WebhookChannelConfig | DingTalkChannelConfig | SlackChannelConfig;

/**
 * Routing shared by every channel: a finding is sent when its severity is at least `minSeverity`,
 * its rule is in `rules` (null: any rule), its account is in `accounts` (null: any account), and it
 * is not `non_kms` unless `includeNonKms`.
 */
export interface AlertRoutingConfig {
  /** Unique among channels. */
  readonly name: string;
  readonly minSeverity: Severity;
  readonly rules: readonly FindingRule[] | null;
  /** Account aliases. */
  readonly accounts: readonly string[] | null;
  readonly includeNonKms: boolean;
  /** The URL may be `http` (tests against a local receiver only). */
  readonly allowInsecureHttp: boolean;
}

/** A generic webhook: JSON body signed with HMAC using `secret`. */
export interface WebhookChannelConfig extends AlertRoutingConfig {
  readonly type: 'webhook';
  readonly url: Secret;
  readonly secret: Secret;
}

/** A DingTalk robot: URL with its `access_token`; `secret` (SEC...) signs requests when set. */
export interface DingTalkChannelConfig extends AlertRoutingConfig {
  readonly type: 'dingtalk';
  readonly url: Secret;
  readonly secret: Secret | null;
}

/** A Slack incoming webhook. */
export interface SlackChannelConfig extends AlertRoutingConfig {
  readonly type: 'slack';
  readonly url: Secret;
}

/** Log verbosity (pino levels). */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Logging. */
export interface WorkerConfig {
  /** Port of the worker's Prometheus endpoint (`GET /metrics`); null: none; 0: any free port. */
  readonly metricsPort: number | null;
}

export interface LoggingConfig {
  readonly level: LogLevel;
}

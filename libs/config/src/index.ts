export {
  AUDIT_CONFIG,
  AuditConfigModule,
  InjectAuditConfig,
  type AuditConfigModuleOptions,
} from './audit-config.module';
export type { ConfigEnvironment } from './audit-config.schema';
export type {
  AccessKeyCredentialsConfig,
  AccessKeyMaterial,
  AccountConfig,
  AddressingStyle,
  AlertChannelConfig,
  AlertRoutingConfig,
  AlertsConfig,
  ApiConfig,
  WorkerConfig,
  AuditConfig,
  CredentialsConfig,
  DatabaseConfig,
  DefaultChainCredentialsConfig,
  DingTalkChannelConfig,
  DiscoveryConfig,
  EcsRamRoleCredentialsConfig,
  EndpointsConfig,
  EvidenceConfig,
  ExplicitBucket,
  ExceptionsConfig,
  ExplicitTableBucket,
  LoggingConfig,
  MemberDefaultsConfig,
  MemberFilterConfig,
  OrganizationConfig,
  OrganizationEndpointsConfig,
  OrganizationRoleCredentialsConfig,
  LogLevel,
  OidcRoleArnCredentialsConfig,
  ProfileCredentialsConfig,
  RamRoleArnCredentialsConfig,
  RateConfig,
  RetentionConfig,
  ScanConfig,
  ScanJobsConfig,
  ScheduleConfig,
  SignatureVersion,
  SlackChannelConfig,
  WebhookChannelConfig,
} from './audit-config.types';
export { ConfigError, type ConfigErrorCode, type ConfigIssue } from './config-error';
export {
  DEFAULT_AUDIT_CONFIG_PATH,
  loadAuditConfig,
  loadDatabaseUrl,
  MAX_YAML_ALIASES,
  parseAuditConfig,
  parseAuditConfigText,
  type LoadAuditConfigOptions,
  type ParseAuditConfigOptions,
} from './load-audit-config';
export { Secret } from './secret';
/** Job engine defaults of `scan.jobs` (docs/operations.md). */
export { DEFAULT_SCAN_JOBS } from './settings.schema';
/** Organisations: which members are audited, and how. */
export {
  compileMemberFilter,
  memberAccountConfig,
  memberRoleArn,
  type DirectoryMember,
} from './organization-members';

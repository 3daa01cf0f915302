/**
 * `@app/cloud-client`: the scanner's only way to the cloud. Production clients for OSS
 * (ListBuckets, GetBucketEncryption), OSS Tables (ListTableBuckets, GetTableBucketEncryption,
 * ListNamespaces, ListTables, GetTableEncryption) and KMS (DescribeKey) over undici, with signing
 * (OSS V4/V1, OpenAPI V3), per-account pacing, retry budgets and clock offset, timeouts, a
 * response-size cap and hardened parsing. Per-resource calls
 * return typed results and never throw for service, network or parse failures; listings throw
 * {@link OssError}.
 */

/** The OSS client of one account and its options. */
export { OssClient } from './oss-client';
export type { OssClientOptions, ListBucketsOptions } from './oss-client';

/** The OSS Tables client of one account and its options. */
export { OssTablesClient } from './oss-tables-client';
export type {
  OssTablesClientOptions,
  ListTableBucketsOptions,
  ListNamespacesOptions,
  ListTablesOptions,
} from './oss-tables-client';

/** The KMS client of one account (DescribeKey) and its options. */
export { KmsClient, KMS_API_VERSION } from './kms-client';
export type { KmsClientOptions } from './kms-client';

/** An account's clients around one shared rate limiter, retry budget and clock offset. */
export { createAccountClients } from './account-clients';
export type { AccountClients, AccountClientsOptions } from './account-clients';

/** Options every client takes, and the default retry policy. */
export { DEFAULT_RETRY_POLICY } from './client-options';
export type { ClientOptions } from './client-options';
export type { RetryPolicy, SignatureVersion } from './request-executor';

/** Result types of the operations. */
export type {
  BucketSummary,
  BucketEncryptionRule,
  BucketEncryptionResult,
  TableBucketSummary,
  TableBucketEncryptionConfiguration,
  TableBucketEncryptionResult,
  NamespaceSummary,
  TableSummary,
  TableEncryptionConfiguration,
  TableEncryptionResult,
  KmsKeyMetadata,
  DescribeKeyResult,
  ListingPageReport,
} from './results';

/** What a 404 of OSS Tables says is missing (for a listing's OssError). */
export { tablesMissingResource } from './parsing/tables-not-found';
export type { TablesMissingResource, NotFoundEvidence } from './parsing/tables-not-found';

/** Errors: the data of a failed call, the listing exception, and the bad-argument exception. */
export { OssError, OssArgumentError } from './errors';
export type { OssErrorInfo, OssErrorKind } from './errors';

/** Credential sources: the interface, a fixed one, and one over `@alicloud/credentials`. */
export { StaticCredentialSource } from './credentials/credential-source';
export type { CredentialSource } from './credentials/credential-source';
export { AlibabaCloudCredentialSource } from './credentials/alibaba-cloud-credential-source';
export type {
  AlibabaCloudCredentialSpec,
  AccessKeyCredentialSpec,
  StsCredentialSpec,
  RamRoleArnCredentialSpec,
  EcsRamRoleCredentialSpec,
  OidcRoleArnCredentialSpec,
  ProfileCredentialSpec,
  DefaultChainCredentialSpec,
} from './credentials/alibaba-cloud-credential-source';

/** Per-account pacing (AIMD rate + in-flight cap) and retry budget, shared by an account's clients. */
export { AccountRateLimiter } from './resilience/account-rate-limiter';
export type { AccountRateLimiterOptions, PermitOutcome, RatePermit } from './resilience/account-rate-limiter';
export { RetryBudget } from './resilience/retry-budget';
export { ClockOffset } from './resilience/clock-offset';
export { isThrottling } from './resilience/retry-classification';
export type { RetryBudgetOptions } from './resilience/retry-budget';

/** The default undici agent (share one per process). */
export { createOssDispatcher } from './transport/dispatcher';
export type { OssDispatcherOptions } from './transport/dispatcher';

/** Endpoint choices and host names. */
export {
  ossRegionHost,
  tablesRegionHost,
  kmsRegionHost,
  isValidRegion,
  isValidBucketName,
} from './endpoints';
export type { BucketAddressing, EndpointOptions, OssEndpointOptions } from './endpoints';

/** KMS KeyIds: ARNs, the three KeyId forms, the region to ask in. */
export { tryParseKmsKeyArn, parseKmsKeyReference, kmsKeyRegion } from './kms-key-id';
export type { KmsKeyArn, KmsKeyReference } from './kms-key-id';

/** Table bucket and table ARNs, and the names of namespaces and tables. */
export { parseTableBucketArn, tryParseTableBucketArn } from './table-bucket-arn';
export type { TableBucketArn } from './table-bucket-arn';
export { tryParseTableArn, isAddressableTablesName } from './tables-identifiers';
export type { TableArn } from './tables-identifiers';

/** Organisations: Resource Manager ListAccounts, STS AssumeRole, and member credentials through a role. */
export {
  ResourceManagerClient,
  StsClient,
  RESOURCE_MANAGER_API_VERSION,
  STS_API_VERSION,
  RESOURCE_MANAGER_HOST,
  STS_HOST,
} from './organization/organization-clients';
export type {
  AssumeRoleRequest,
  AssumeRoleResult,
  ListAccountsOptions,
} from './organization/organization-clients';
export type { DirectoryAccount, IssuedCredentials } from './organization/organization-responses';
export { AssumedRoleCredentialSource } from './organization/assumed-role-credential-source';
export type { AssumedRoleCredentialSourceOptions } from './organization/assumed-role-credential-source';

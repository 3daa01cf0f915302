/**
 * `@app/cloud-client`: the scanner's only way to the cloud. Production clients for OSS
 * (ListBuckets, GetBucketEncryption) and OSS Tables (ListTableBuckets, GetTableBucketEncryption,
 * ListNamespaces, ListTables, GetTableEncryption) over undici, with signing, per-account pacing
 * and retry budgets, timeouts, a response-size cap and hardened parsing. Per-resource calls
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

/** Both clients of an account around one shared rate limiter and retry budget. */
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
export type { RetryBudgetOptions } from './resilience/retry-budget';

/** The default undici agent (share one per process). */
export { createOssDispatcher } from './transport/dispatcher';
export type { OssDispatcherOptions } from './transport/dispatcher';

/** Endpoint choices and host names. */
export { ossRegionHost, tablesRegionHost, isValidRegion, isValidBucketName } from './endpoints';
export type { BucketAddressing, EndpointOptions, OssEndpointOptions } from './endpoints';

/** Table bucket and table ARNs, and the names of namespaces and tables. */
export { parseTableBucketArn, tryParseTableBucketArn } from './table-bucket-arn';
export type { TableBucketArn } from './table-bucket-arn';
export { tryParseTableArn, isAddressableTablesName } from './tables-identifiers';
export type { TableArn } from './tables-identifiers';

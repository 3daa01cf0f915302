/** Creating the TypeORM DataSource and applying migrations. */
export { CONNECT_TIMEOUT_MS, createDataSource, runMigrations, type DataSourceSettings } from './data-source';
/** The row types of the migrated schema, generated (`npm run schema:types`). */
export { generateSchemaTypes } from './schema/schema-types';
export type { Row, Tables } from './schema/tables';
/** Nest module providing the DataSource and the repositories. */
export {
  PersistenceModule,
  type PersistenceModuleAsyncOptions,
  type PersistenceModuleOptions,
} from './persistence.module';
/** Errors of the storage layer, with a string code. */
export { PersistenceError, type PersistenceErrorCode } from './persistence-error';
/** Whether an error is the database being unreachable (retry later) rather than a refused statement. */
export { isDatabaseUnavailable } from './database-unavailable';
/** Keyset pages. */
export { MAX_CURSOR_LENGTH, PAGE_SIZE, type Page } from './cursor';
/** Scans and their tasks. */
export { ScanRepository, type FinishScanRequest, type StartScanRequest } from './scan.repository';
export {
  ScanTaskRepository,
  type CompleteTaskRequest,
  type CompleteTaskResult,
} from './scan-task.repository';
export type {
  FinishedScanStatus,
  NewScanTask,
  ScanCoverage,
  ScanRecord,
  ScanStatus,
  ScanSummary,
  ScanTaskKind,
  ScanTaskOutcome,
  ScanTaskRecord,
  ScanTaskResult,
  ScanTaskStatus,
  ScanTrigger,
  ScopeError,
} from './scan.types';
/** Recording observations. */
export {
  ObservationRepository,
  type ObservedResource,
  type RecordObservationsResult,
} from './observation.repository';
/** Evaluation: findings, drift events and alert outbox, written per scan in one transaction. */
export {
  EvaluationRepository,
  type EvaluateAndFinishRequest,
  type EvaluationOptions,
  type UnseenResource,
  type UnseenVerdict,
} from './evaluation.repository';
/** Controls and accountable exceptions: results per scan, suppression, the append-only change record. */
export {
  ExceptionRepository,
  type ExceptionListFilter,
  type StoredException,
  type StoredExceptionChange,
} from './exception.repository';
export type { ScanComplianceOutcome, ScanComplianceSettings } from './control-evaluation';
export {
  ControlResultRepository,
  type ControlResultFilter,
  type ControlResultsAt,
  type ControlTrendPoint,
  type StoredControlResult,
} from './control-result.repository';
/** Exclusive work across replicas (per-account audits, job-queue setup). */
export { AdvisoryLockRepository, type AdvisoryLockName, type LeaseOutcome } from './advisory-lock.repository';
export type { EvaluationCounts } from './evaluation.types';
/** Read side of resources: current state, state at a date, change history. */
export {
  ResourceRepository,
  type CurrentState,
  type ObservationChangeRecord,
  type ResourceRecord,
  type ResourceStateAt,
} from './resource.repository';
/** Partitions and retention. */
export { HistoryMaintenanceRepository } from './history-maintenance.repository';
/** A throwaway Postgres server for laptops and CI without one. */
export {
  startEmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type RunningPostgres,
} from './embedded-postgres';
/** Delivery of the alert outbox to channels: planning, claiming, retry state, listing. */
export {
  AlertDeliveryRepository,
  type AlertBacklogRow,
  type AlertChannelType,
  type AlertDeliveryRecord,
  type AlertDeliveryStatus,
  type AlertRouter,
  type DeliverNextResult,
  type DeliveryAttemptResult,
  type DueAlertDelivery,
  type ListDeliveriesQuery,
  type OutboxAlertRecord,
  type PlanDeliveriesRequest,
  type PlanDeliveriesResult,
} from './alert-delivery.repository';
/** Read side of the REST API: filtered keyset pages of findings, drift events and resources. */
export {
  FindingQueryRepository,
  findingPage,
  findingPageStatement,
  type FindingPageRequest,
  type FindingPageStatement,
  type FindingRow,
} from './finding-query.repository';
export { DriftQueryRepository, type PresenceChange } from './drift-query.repository';
export { ResourceQueryRepository } from './resource-query.repository';
/** Read side of evidence packs: the scans of a period and every observation they made. */
export {
  EvidenceQueryRepository,
  MAX_EVIDENCE_SCANS,
  type EvidencePeriod,
  type ObservationEvidence,
} from './evidence-query.repository';
export { FINDING_SORTS } from './read-model.types';
export type {
  AuditMetricsSnapshot,
  DriftEventView,
  DriftFilter,
  FindingFilter,
  FindingSort,
  FindingView,
  OpenFindingCount,
  PostureCounts,
  ResourceCount,
  ResourceFilter,
  ResourceIdentity,
  ScanTrendPoint,
} from './read-model.types';
/** Counts for the summary endpoint and the Prometheus gauges. */
export { MAX_TREND_SCANS, SummaryRepository } from './summary.repository';
/** REST API keys: stored as a hash and a public prefix. */
export {
  ApiKeyRepository,
  type ApiKeyCredential,
  type ApiKeyRecord,
  type ApiKeyRole,
  type NewApiKey,
} from './api-key.repository';
/** LISTEN on a channel over a connection of its own, reconnecting; the channel announcing key changes. */
export {
  API_KEY_CHANGES_CHANNEL,
  listenForNotifications,
  type ListenOptions,
  type NotificationHandlers,
  type NotificationSubscription,
} from './notification-listener';
/** Whether the database has every migration of this build (readiness, and the check before start). */
export {
  assertDatabaseMigrated,
  schemaNotMigratedMessage,
  SchemaNotMigratedError,
  SchemaStatusRepository,
} from './schema-status.repository';
export {
  AccountRepository,
  type AccountCoverage,
  type AccountReach,
  type AccountRecord,
  type AccountSource,
  type PlannedAccount,
} from './account.repository';

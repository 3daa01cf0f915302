/** A fresh migrated database per integration test file. */
export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from './test-database';
/** Which Postgres server the integration tests use, and how the global setup passes it on. */
export {
  canConnect,
  choosePostgresServer,
  MACHINE_POSTGRES_URL,
  runOnServer,
  TEST_POSTGRES_URL_ENV,
  type PostgresServer,
} from './postgres-server';
/** The auditor's configuration for an emulated fleet. */
export { fleetAuditConfig, type FleetAuditConfig, type FleetAuditConfigOptions } from './fleet-audit-config';
/** Emulator + database + scanner, wired as the worker wires them. */
export {
  startOrganizationScanEnvironment,
  startScanEnvironment,
  TEST_JOB_SETTINGS,
  type OrganizationScanEnvironmentOptions,
  type ScanEnvironment,
  type ScanEnvironmentOptions,
} from './scan-environment';
/** Bounded polling, for every wait on another process. */
export { waitUntil, type WaitUntilOptions } from './wait-until';
/** A loopback forwarder that counts one client's requests to the emulator. */
export { startCountingProxy, type CountingProxy } from './counting-proxy';
/** A loopback TCP forwarder that can cut a client off its server (PostgreSQL, HTTP). */
export { startTcpProxy, type TcpProxy, type TcpProxyOptions } from './tcp-proxy';
/** One run of an entry point (a CLI, the worker, the API) as a child process, to its end. */
export { runEntryPoint, type EntryPointRun, type RunEntryPointOptions } from './entry-point-run';
/** A worker replica as a real child process (`apps/worker/src/main.ts`). */
export {
  logMessage,
  startWorkerProcess,
  type StartWorkerOptions,
  type WorkerLogLine,
  type WorkerProcess,
} from './worker-process';
/** Emulator + database + worker replicas as processes, this process playing the API. */
export {
  startWorkerEnvironment,
  type ProxiedWorker,
  type WorkerEnvironment,
  type WorkerEnvironmentOptions,
} from './worker-environment';
/** A fleet's resources and the findings it must have, written by hand from the fleet. */
export { expectedFindings, fleetResourceKeys } from './fleet-ground-truth';
/** What scans stored: observations per scan, findings. */
export {
  allFindings,
  openFindingRules,
  scanObservations,
  type RecordedFinding,
  type RecordedObservation,
} from './scan-records';
/** The official `ali-oss` client in a child process: an independent client of the emulator. */
export { AliOssCallError, AliOssProcess } from './ali-oss-process';
export type { DriverCall, DriverError, DriverReply } from './ali-oss-driver';
/** Whole scans written through the real write path, from a list of what each saw. */
export {
  recordScan,
  seenBucket,
  typicalObservation,
  type RecordScanOptions,
  type SeenResource,
} from './recorded-scan';
/** A fleet whose KMS keys are all healthy, for tests about something else. */
export { withHealthyKeys } from './healthy-keys';
/** An organisation (Resource Directory) on the emulator, and the auditor's configuration for it. */
export {
  AUDIT_ROLE_NAME,
  MANAGEMENT_ACCOUNT_ID,
  MANAGEMENT_KEY,
  memberAccountId,
  memberAccountSpec,
  memberSpec,
  organizationAuditConfig,
  organizationFleet,
  type OrganizationAuditConfigOptions,
  type OrganizationFleetOptions,
} from './organization-fleet';
/** An active accountable exception, stored with its change record. */
export { EXCEPTION_APPROVER, EXCEPTION_CREATOR, storeApprovedException } from './approved-exception';

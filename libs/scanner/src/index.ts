/**
 * `@app/scanner`: a scan as jobs on PostgreSQL (pg-boss): enumerate, audit, evaluate. Any number of
 * processes share a scan; `ScanRuntime` is what each of them builds.
 */
export {
  DEFAULT_SCAN_JOB_SETTINGS,
  ScanRuntime,
  ScanStarterRuntime,
  type ScanJobSettings,
  type ScanRuntimeOptions,
  type ScanStarterRuntimeOptions,
} from './scan-runtime';
export { ScanCoordinator } from './scan-coordinator';
export { AccountClientRegistry, type AccountClientPair } from './account-client-registry';
export { applyRetention, type RetentionRun } from './retention';
export { ScanStarter, type EvaluateJob, type TaskJob } from './scan-starter';
export { describeScopeError, failureReason, scanCoverage, scanStatus } from './scan-outcome';
export { IGNORE_SCAN_EVENTS, type ScanEvent, type ScanEventListener } from './scan-events';
export { scanPlan, type AccountPlan, type ScanPlan } from './scan-plan';
export { JobQueueError, SCAN_QUEUES, type DrainOutcome, type JobQueueOperation } from './job-queue';
/** The exceptions file (exceptions as code): read and validated; checked at startup. */
export { assertExceptionsFileValid, readExceptionsFile, type ExceptionsFileReading } from './exceptions-file';

/**
 * `@app/scanner`: a scan as jobs on PostgreSQL (pg-boss): enumerate, audit, evaluate. Any number of
 * processes share a scan; `ScanRuntime` is what each of them builds.
 */
export {
  ScanRuntime,
  DEFAULT_SCAN_JOB_SETTINGS,
  type ScanJobSettings,
  type ScanRuntimeOptions,
} from './scan-runtime';
export { ScanCoordinator, type EvaluateJob, type TaskJob } from './scan-coordinator';
export { scanCoverage, scanStatus } from './scan-outcome';
export { SCAN_QUEUES } from './job-queue';

/** What other apps (the demo) reuse of the worker: a scan followed with its progress, and its summary. */
export { formatScanSummary } from './scan-summary';
export { runScanWithProgress, type ProgressSink } from './scan-runner';

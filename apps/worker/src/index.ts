/** What other apps (the demo) reuse of the worker: the scan summary the `scan` CLI prints. */
export { formatScanSummary } from './scan-summary';

import type { ScanRecord } from '@app/persistence';

/**
 * Starts a scan for the API. The API never scans: the scanner's coordinator records the scan and
 * queues its jobs for the workers. Idempotent while a scan runs: that scan comes back, `created: false`.
 */
export interface ScanStarter {
  startScan(trigger: 'api'): Promise<{ scan: ScanRecord; created: boolean }>;
}

/** Injection token of the `ScanStarter`. */
export const SCAN_STARTER = Symbol('SCAN_STARTER');

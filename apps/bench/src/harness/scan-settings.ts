/**
 * The scanner settings of the benchmarks that run whole scans: the rate limits opened (initial =
 * max) so the emulator, not the AIMD start rate, bounds the scan.
 */
export const BENCH_SCAN_SETTINGS = {
  rate: { initialRps: 5000, maxRps: 5000, minRps: 1000, concurrency: 16 },
  scan: {
    auditBatchSize: 500,
    globalConcurrency: 64,
    jobs: { auditConcurrency: 4, enumerateConcurrency: 4, pollingIntervalSeconds: 0.5 },
  },
};

/** `value` with at most `digits` decimals, for reports. */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

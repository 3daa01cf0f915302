import { setTimeout as delay } from 'node:timers/promises';

import { ScanRepository, ScanTaskRepository, type ScanRecord, type ScanTrigger } from '@app/persistence';
import type { ScanRuntime } from '@app/scanner';
import type { DataSource } from 'typeorm';

import { formatProgressLine, formatProgressLog, scanProgress } from './scan-progress';

/** Where progress goes: a terminal gets one line rewritten in place, anything else log lines. */
export interface ProgressSink {
  readonly isTTY: boolean;
  write(text: string): void;
}

const POLL_MS = 250;
/** Log lines (not a terminal) come at most this often, plus the final one. */
const LOG_INTERVAL_MS = 1000;

/**
 * Starts a scan with this process consuming its jobs and follows it to its end, reporting how far
 * listing and auditing are from the scan's task rows (the same rows every replica updates).
 */
export async function runScanWithProgress(
  runtime: ScanRuntime,
  dataSource: DataSource,
  sink: ProgressSink,
  trigger: ScanTrigger = 'cli',
): Promise<ScanRecord> {
  const scans = new ScanRepository(dataSource);
  const tasks = new ScanTaskRepository(dataSource);
  await runtime.startConsuming();
  const { scan } = await runtime.startScan(trigger);
  let lastLine = '';
  let lastLoggedAt = 0;
  for (;;) {
    const current = await scans.findById(scan.id);
    const progress = scanProgress(await tasks.taskResults(scan.id));
    const finished = current === null || current.status !== 'running';
    if (sink.isTTY) {
      sink.write(`\r\x1b[2K${formatProgressLine(scan.id, progress)}${finished ? '\n' : ''}`);
    } else {
      const line = formatProgressLog(scan.id, progress);
      const now = Date.now();
      if (line !== lastLine && (finished || now - lastLoggedAt >= LOG_INTERVAL_MS)) {
        sink.write(`${line}\n`);
        lastLine = line;
        lastLoggedAt = now;
      }
    }
    if (current === null) throw new Error(`Scan ${scan.id.toString()} vanished from the database`);
    if (finished) return current;
    await delay(POLL_MS);
  }
}

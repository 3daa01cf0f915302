import { Injectable } from '@nestjs/common';
import type { RetentionRun } from '@app/scanner';
import { setTimeout as delay } from 'node:timers/promises';
import { Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** How long a scrape waits for the database to answer before it reports it down. */
const DATABASE_PING_TIMEOUT_MS = 2_000;

/**
 * What only a worker replica can say about itself, served on its metrics port: whether it reaches
 * PostgreSQL now (its readiness), and how its job engine fared.
 */
@Injectable()
export class WorkerTelemetry {
  readonly registry = new Registry();

  readonly jobEngineErrors = new Counter({
    name: 'seed_worker_job_engine_errors_total',
    help: 'Errors of the scan job engine, by operation (renew leases, record job outcome, job handler...).',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly unhandledRejections = new Counter({
    name: 'seed_worker_unhandled_rejections_total',
    help: 'Promise rejections nothing handled: each one is a bug, logged with its stack.',
    registers: [this.registry],
  });

  private readonly retentionLastRun = new Gauge({
    name: 'seed_retention_last_run_timestamp_seconds',
    help: 'When this replica last applied retention (Unix seconds); take the max over replicas.',
    registers: [this.registry],
  });

  private readonly retentionPartitionsDropped = new Counter({
    name: 'seed_retention_history_partitions_dropped_total',
    help: 'Monthly partitions of the change history dropped by retention runs on this replica.',
    registers: [this.registry],
  });

  private readonly retentionScanRecordsDeleted = new Counter({
    name: 'seed_retention_scan_records_deleted_total',
    help: 'Per-scan observation rows deleted by retention runs on this replica.',
    registers: [this.registry],
  });

  constructor(dataSource: DataSource) {
    const databaseUp: Gauge = new Gauge({
      name: 'seed_worker_database_up',
      help: '1 when this worker reached PostgreSQL at the scrape (SELECT 1 answered within 2 s), else 0.',
      registers: [this.registry],
      collect: async () => {
        databaseUp.set((await answers(dataSource)) ? 1 : 0);
      },
    });
  }

  /** Counts one retention run. */
  retentionApplied(run: RetentionRun): void {
    this.retentionLastRun.set(run.appliedAt.getTime() / 1000);
    this.retentionPartitionsDropped.inc(run.historyPartitionsDropped);
    this.retentionScanRecordsDeleted.inc(run.scanRecordsDeleted);
  }
}

async function answers(dataSource: DataSource): Promise<boolean> {
  const timeout = new AbortController();
  try {
    return await Promise.race([
      dataSource.query('SELECT 1').then(() => true),
      delay(DATABASE_PING_TIMEOUT_MS, false, { signal: timeout.signal }),
    ]);
  } catch {
    return false;
  } finally {
    timeout.abort();
  }
}

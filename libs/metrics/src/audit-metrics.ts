import type { AuditMetricsSnapshot } from '@app/persistence';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Where the audit-state gauges read their numbers at scrape time (the persistence `SummaryRepository`). */
export interface AuditMetricsSource {
  metricsSnapshot(): Promise<AuditMetricsSnapshot>;
}

export interface AuditMetricsOptions {
  /**
   * Reads the audit state at every scrape. Give it in one process per deployment (the API): the
   * gauges describe the shared database, and two processes exposing them would double-count.
   */
  readonly source?: AuditMetricsSource;
  /** Node.js process metrics (CPU, memory, event loop lag); default true. */
  readonly processMetrics?: boolean;
}

/** Upper bounds of the HTTP latency buckets, in seconds: a read path answers in milliseconds. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Snapshot = AuditMetricsSnapshot | null;

/**
 * The auditor's Prometheus metrics on a registry of their own. Audit-state gauges (scans by status,
 * the last scan's duration and OSS errors by code, resources by class, open findings by severity)
 * are computed when scraped, from one database snapshot shared by every gauge of that scrape.
 * When the database cannot be read, those gauges are left empty and `seed_metrics_database_up` is 0:
 * a scrape never fails because of it.
 */
export class AuditMetrics {
  readonly registry = new Registry();

  /** Latency of HTTP requests by method, route template and status code. */
  readonly httpRequestDuration = new Histogram({
    name: 'seed_http_request_duration_seconds',
    help: 'Latency of HTTP requests, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private inflight: Promise<Snapshot> | null = null;

  constructor(options: AuditMetricsOptions = {}) {
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: 'seed_' });
    }
    if (options.source !== undefined) {
      this.registerAuditGauges(options.source);
    }
  }

  /** Content type of `render()`'s output. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Records one HTTP request. `route` is the template (`/v1/resources/:id`), never the raw path. */
  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpRequestDuration.observe({ method, route, status_code: statusCode.toString() }, seconds);
  }

  /** Every metric in the Prometheus text format, the audit-state gauges read afresh. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  private registerAuditGauges(source: AuditMetricsSource): void {
    // A scrape calls every collect() in the same tick, before any query can answer: the first
    // starts the read, the others share it, and it is dropped once settled so the next scrape
    // reads afresh.
    const snapshot = (): Promise<Snapshot> => {
      if (this.inflight === null) {
        const pending = source.metricsSnapshot().then(
          (value): Snapshot => value,
          (): Snapshot => null,
        );
        this.inflight = pending;
        void pending.then(() => {
          if (this.inflight === pending) this.inflight = null;
        });
      }
      return this.inflight;
    };
    const registers = [this.registry];

    const databaseUp = new Gauge({
      name: 'seed_metrics_database_up',
      help: '1 when this scrape could read the audit database, else 0 (and the audit gauges are empty).',
      registers,
      collect: async () => {
        databaseUp.set((await snapshot()) === null ? 0 : 1);
      },
    });
    const scans = new Gauge({
      name: 'seed_scans',
      help: 'Scans recorded, by status.',
      labelNames: ['status'] as const,
      registers,
      collect: async () => {
        const current = await snapshot();
        scans.reset();
        for (const row of current?.scansByStatus ?? []) scans.set({ status: row.status }, row.count);
      },
    });
    const lastDuration = new Gauge({
      name: 'seed_last_scan_duration_seconds',
      help: 'Duration of the latest finished scan, labelled with its status.',
      labelNames: ['status'] as const,
      registers,
      collect: async () => {
        const last = (await snapshot())?.lastFinishedScan;
        lastDuration.reset();
        if (last !== undefined && last !== null)
          lastDuration.set({ status: last.status }, last.durationSeconds);
      },
    });
    const lastFinished = new Gauge({
      name: 'seed_last_scan_finished_timestamp_seconds',
      help: 'When the latest finished scan ended (Unix time): alert when it grows old.',
      registers,
      collect: async () => {
        const last = (await snapshot())?.lastFinishedScan;
        lastFinished.reset();
        if (last !== undefined && last !== null) lastFinished.set(last.finishedAt.getTime() / 1000);
      },
    });
    const ossErrors = new Gauge({
      name: 'seed_last_scan_oss_errors',
      help: 'OSS errors the latest finished scan met, by error code.',
      labelNames: ['code'] as const,
      registers,
      collect: async () => {
        const last = (await snapshot())?.lastFinishedScan;
        ossErrors.reset();
        for (const [code, count] of Object.entries(last?.errorsByCode ?? {})) ossErrors.set({ code }, count);
      },
    });
    const resources = new Gauge({
      name: 'seed_resources',
      help: 'Present resources, by kind and current encryption class.',
      labelNames: ['kind', 'encryption_class'] as const,
      registers,
      collect: async () => {
        const current = await snapshot();
        resources.reset();
        for (const row of current?.presentResources ?? []) {
          resources.set({ kind: row.kind, encryption_class: row.encryptionClass }, row.count);
        }
      },
    });
    const openFindings = new Gauge({
      name: 'seed_open_findings',
      help: 'Open findings, by severity.',
      labelNames: ['severity'] as const,
      registers,
      collect: async () => {
        const current = await snapshot();
        openFindings.reset();
        for (const row of current?.openFindingsBySeverity ?? []) {
          openFindings.set({ severity: row.severity }, row.count);
        }
      },
    });
  }
}

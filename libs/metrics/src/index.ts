/**
 * `@app/metrics`: the auditor's Prometheus metrics, one definition for every process. The API
 * records HTTP latency and exposes the audit-state gauges (read from the database at scrape time);
 * other processes build the same registry without a source for their own process metrics.
 */
export { AuditMetrics, type AuditMetricsOptions, type AuditMetricsSource } from './audit-metrics';
/** `GET /metrics` on a port of its own, for the worker. */
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics-server';

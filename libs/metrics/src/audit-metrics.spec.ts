import type { AuditMetricsSnapshot } from '@app/persistence';

import { AuditMetrics, type AuditMetricsSource } from './audit-metrics';

const SNAPSHOT: AuditMetricsSnapshot = {
  scansByStatus: [
    { status: 'succeeded', count: 12 },
    { status: 'partial', count: 2 },
  ],
  lastFinishedScan: {
    id: 14,
    status: 'partial',
    durationSeconds: 754.5,
    finishedAt: new Date('2026-03-05T02:12:34.500Z'),
    errorsByCode: { AccessDenied: 3, InternalError: 1 },
  },
  presentResources: [
    { kind: 'bucket', encryptionClass: 'kms_cmk', count: 40 },
    { kind: 'table_bucket', encryptionClass: 'oss_aes256', count: 5 },
  ],
  openFindingsBySeverity: [{ severity: 'high', count: 7 }],
};

/** A source that counts how often it is read and answers with a fixed snapshot (or fails). */
function source(answer: () => Promise<AuditMetricsSnapshot>): AuditMetricsSource & { reads: number } {
  const counted = {
    reads: 0,
    metricsSnapshot: () => {
      counted.reads += 1;
      return answer();
    },
  };
  return counted;
}

describe('AuditMetrics', () => {
  it('exposes the audit state as gauges labelled by status, class, severity and error code', async () => {
    const metrics = new AuditMetrics({
      source: source(() => Promise.resolve(SNAPSHOT)),
      processMetrics: false,
    });
    const text = await metrics.render();
    expect(text).toContain('seed_scans{status="succeeded"} 12');
    expect(text).toContain('seed_last_scan_duration_seconds{status="partial"} 754.5');
    expect(text).toContain('seed_last_scan_finished_timestamp_seconds 1772676754.5');
    expect(text).toContain('seed_last_scan_oss_errors{code="AccessDenied"} 3');
    expect(text).toContain('seed_resources{kind="table_bucket",encryption_class="oss_aes256"} 5');
    expect(text).toContain('seed_open_findings{severity="high"} 7');
    expect(text).toContain('seed_metrics_database_up 1');
  });

  it('reads the source once per scrape, and again at the next scrape', async () => {
    const counted = source(() => Promise.resolve(SNAPSHOT));
    const metrics = new AuditMetrics({ source: counted, processMetrics: false });
    await metrics.render();
    expect(counted.reads).toBe(1);
    await metrics.render();
    expect(counted.reads).toBe(2);
  });

  it('keeps scraping when the database cannot be read: gauges empty, database_up 0', async () => {
    const metrics = new AuditMetrics({
      source: source(() => Promise.reject(new Error('connection refused'))),
      processMetrics: false,
    });
    const text = await metrics.render();
    expect(text).toContain('seed_metrics_database_up 0');
    expect(text).not.toMatch(/^seed_open_findings\{/m);
  });

  it('drops series that vanished since the previous scrape', async () => {
    let current = SNAPSHOT;
    const metrics = new AuditMetrics({
      source: source(() => Promise.resolve(current)),
      processMetrics: false,
    });
    await metrics.render();
    current = { ...SNAPSHOT, openFindingsBySeverity: [] };
    expect(await metrics.render()).not.toContain('seed_open_findings{severity="high"}');
  });

  it('records HTTP latency by method, route template and status', async () => {
    const metrics = new AuditMetrics({ processMetrics: false });
    metrics.observeHttpRequest('GET', '/v1/resources/:id', 200, 0.012);
    const text = await metrics.render();
    expect(text).toContain(
      'seed_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/v1/resources/:id",status_code="200"} 1',
    );
    expect(text).not.toContain('seed_scans');
  });

  it('adds the Node.js process metrics unless told not to', async () => {
    expect(await new AuditMetrics().render()).toContain('seed_process_cpu_seconds_total');
  });
});

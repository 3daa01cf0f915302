import { generateFleet } from '@app/oss-emulator';
import { logMessage, startWorkerEnvironment, type WorkerEnvironment } from '@app/testing';

describe('the worker metrics endpoint', () => {
  let env: WorkerEnvironment;

  beforeAll(async () => {
    env = await startWorkerEnvironment({
      fleet: generateFleet({ accounts: 1, regions: ['cn-hangzhou'], buckets: 5, tableBuckets: 1, seed: 5 }),
    });
  }, 120_000);
  afterAll(async () => {
    await env.close();
  }, 60_000);

  it('serves process metrics and the alert delivery counters only a worker can count', async () => {
    const worker = await env.startWorker('metrics');
    const listening = await worker.process.waitForLog(
      (line) => logMessage(line) === 'metrics server listening',
      30_000,
    );
    const port = Number(listening.port);
    expect(port).toBeGreaterThan(0);

    const response = await fetch(`http://127.0.0.1:${port.toString()}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('# TYPE seed_alert_delivery_attempts_total counter');
    expect(text).toContain('# TYPE seed_alert_deliveries_planned_total counter');
    expect(text).toMatch(/^seed_process_cpu_user_seconds_total \d/m);
    // Its readiness: it reaches PostgreSQL.
    expect(text).toMatch(/^seed_worker_database_up 1$/m);
    expect(text).toMatch(/^seed_worker_unhandled_rejections_total 0$/m);
    // The audit-state gauges describe the shared database: the API serves them, not each replica.
    expect(text).not.toContain('seed_open_findings');
    // The next test's worker is to be the only one to take its job.
    await worker.process.stop();
  }, 90_000);

  it('applies the retention run of the day when asked, with a log line and its metrics', async () => {
    const worker = await env.startWorker('retention');
    const listening = await worker.process.waitForLog(
      (line) => logMessage(line) === 'metrics server listening',
      30_000,
    );
    expect(await env.requestRetention()).toBe(true);
    const applied = await worker.process.waitForLog(
      (line) => logMessage(line) === 'retention applied',
      30_000,
    );
    expect(applied).toMatchObject({ historyMonths: 13, scanRecordsDays: 90, historyPartitionsDropped: 0 });

    const text = await (await fetch(`http://127.0.0.1:${String(listening.port)}/metrics`)).text();
    const lastRun = Number(/^seed_retention_last_run_timestamp_seconds (\S+)$/m.exec(text)?.[1]);
    expect(Math.abs(lastRun - Date.now() / 1000)).toBeLessThan(60);
    expect(text).toMatch(/^seed_retention_history_partitions_dropped_total 0$/m);
  }, 90_000);
});

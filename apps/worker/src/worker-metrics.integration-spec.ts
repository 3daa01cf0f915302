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
    // The audit-state gauges describe the shared database: the API serves them, not each replica.
    expect(text).not.toContain('seed_open_findings');
  }, 90_000);
});

import { Counter, Registry } from 'prom-client';

import { startMetricsServer, type MetricsServer } from './metrics-server';

describe('startMetricsServer', () => {
  const first = new Registry();
  const second = new Registry();
  const scans = new Counter({ name: 'test_scans_total', help: 'scans', registers: [first] });
  let server: MetricsServer;

  beforeAll(async () => {
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', registries: [first, second] });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves every registry merged, including metrics registered after it started', async () => {
    scans.inc(3);
    new Counter({ name: 'test_late_total', help: 'registered late', registers: [second] }).inc();
    const response = await fetch(`http://127.0.0.1:${server.port.toString()}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(first.contentType);
    const text = await response.text();
    expect(text).toContain('test_scans_total 3');
    expect(text).toContain('test_late_total 1');
  });

  it('answers 404 for any other path or method', async () => {
    const base = `http://127.0.0.1:${server.port.toString()}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('fails to start, naming the cause, when the port is taken', async () => {
    await expect(
      startMetricsServer({ port: server.port, host: '127.0.0.1', registries: [] }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});

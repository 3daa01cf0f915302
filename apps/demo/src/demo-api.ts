import type { AuditConfig } from '@app/config';
import type { ScanRuntime } from '@app/scanner';
import type { INestApplication } from '@nestjs/common';
import { request } from 'undici';

import { createApiApplication, ApiKeyService } from '@apps/api';
import { DemoError } from './demo-error';
import type { ApiAccess } from './demo-report';

/** The API the demo serves, with the keys it minted. */
export interface DemoApi {
  readonly app: INestApplication;
  readonly access: ApiAccess;
}

/**
 * Serves the real API application over the demo's database on loopback, and mints an admin and a
 * reader key. `POST /v1/scans` goes to the demo's own scanner, which consumes jobs in this process,
 * so a scan started through the API runs to its end here.
 */
export async function startDemoApi(
  config: AuditConfig,
  runtime: ScanRuntime,
  port: number,
): Promise<DemoApi> {
  const app = await createApiApplication({
    config: { config },
    scanStarter: { useFactory: () => ({ startScan: (trigger) => runtime.startScan(trigger) }) },
  });
  try {
    await app.listen(port, '127.0.0.1');
  } catch (error) {
    await app.close();
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new DemoError(
      'API_NOT_AVAILABLE',
      inUse
        ? `Port ${port.toString()} is in use: run the demo with --port <another port>`
        : `The API could not listen on 127.0.0.1:${port.toString()}`,
      { cause: error },
    );
  }
  const keys = app.get(ApiKeyService);
  const stamp = new Date().toISOString();
  const admin = await keys.create(`demo admin ${stamp}`, 'admin');
  const reader = await keys.create(`demo reader ${stamp}`, 'reader');
  return {
    app,
    access: { baseUrl: await app.getUrl(), adminToken: admin.token, readerToken: reader.token },
  };
}

/** Calls a few routes as the printed `curl` lines would, and names each with its HTTP status. */
export async function checkDemoApi(access: ApiAccess): Promise<string[]> {
  const calls: { path: string; token: string | null }[] = [
    { path: '/healthz', token: null },
    { path: '/readyz', token: null },
    { path: '/v1/summary', token: access.readerToken },
    { path: '/v1/findings?severity=high&limit=5', token: access.readerToken },
    { path: '/v1/drift?direction=weakened', token: access.readerToken },
    { path: '/v1/controls', token: access.readerToken },
    { path: '/v1/exceptions', token: access.readerToken },
    { path: '/metrics', token: null },
    // The web console (npm run demo builds it first; without a build this is a 503 saying so).
    { path: '/console/', token: null },
  ];
  const results: string[] = [];
  for (const call of calls) {
    const response = await request(`${access.baseUrl}${call.path}`, {
      headers: call.token === null ? {} : { authorization: `Bearer ${call.token}` },
    });
    await response.body.dump();
    if (response.statusCode !== 200) {
      throw new DemoError(
        'API_NOT_AVAILABLE',
        `GET ${call.path} answered HTTP ${response.statusCode.toString()}`,
      );
    }
    results.push(`GET ${call.path} ${response.statusCode.toString()}`);
  }
  return results;
}

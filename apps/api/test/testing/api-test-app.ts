import { type AuditConfig, Secret } from '@app/config';
import { ApiKeyRepository, type ApiKeyRole } from '@app/persistence';
import type { ScanEnvironment } from '@app/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

import { createApiApplication } from '../../src/api-application';
import { ApiKeyService } from '../../src/auth/api-key.service';

/** The API over a scan environment's database, as `main.ts` builds it, with its log lines captured. */
export interface ApiTestApp {
  readonly app: NestExpressApplication;
  /** supertest on the application's HTTP server. */
  readonly http: TestAgent;
  /** Every log line the application wrote (pino JSON). */
  readonly logs: string[];
  readonly config: AuditConfig;
  /** Serves the application on a free loopback port (for a real browser); returns its base URL. */
  listen(): Promise<string>;
  /** Issues a key through the service the CLI uses; returns its token. */
  issueKey(role: ApiKeyRole, name?: string): Promise<{ id: number; token: string }>;
  close(): Promise<void>;
}

export interface ApiTestAppOptions {
  readonly rateLimitPerMinute?: number;
  readonly trustProxy?: AuditConfig['api']['trustProxy'];
  /** The API's database URL instead of the scan environment's (e.g. through a TCP proxy). */
  readonly databaseUrl?: string;
  /** Connections in the API's pool (default the scan environment's). */
  readonly poolSize?: number;
  /** The console build to serve (default: the repository's `dist/console`). */
  readonly consoleDirectory?: string;
  /** PEM of the Ed25519 key that signs evidence packs (default: the scan environment's, none). */
  readonly evidenceSigningKey?: Secret | null;
}

/**
 * Starts the API on the scan environment's database and configuration. `POST /v1/scans` goes to
 * the environment's scanner coordinator: the API starts scans exactly as in production.
 */
export async function startApiTestApp(
  scanning: ScanEnvironment,
  options: ApiTestAppOptions = {},
): Promise<ApiTestApp> {
  const config: AuditConfig = {
    ...scanning.config,
    api: {
      ...scanning.config.api,
      rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
      trustProxy: options.trustProxy ?? false,
    },
    database: {
      url: options.databaseUrl === undefined ? scanning.config.database.url : new Secret(options.databaseUrl),
      poolSize: options.poolSize ?? scanning.config.database.poolSize,
    },
    logging: { level: 'info' },
    evidence: { signingKey: options.evidenceSigningKey ?? scanning.config.evidence.signingKey },
  };
  const logs: string[] = [];
  const app = await createApiApplication({
    config: { config },
    scanStarter: { useFactory: () => ({ startScan: (trigger) => scanning.runtime.startScan(trigger) }) },
    logDestination: { write: (line: string) => void logs.push(line) },
    ...(options.consoleDirectory === undefined ? {} : { consoleDirectory: options.consoleDirectory }),
  });
  await app.init();
  const keys = new ApiKeyService(new ApiKeyRepository(scanning.database.dataSource));
  return {
    app,
    http: request(app.getHttpServer()),
    logs,
    config,
    listen: async () => {
      await app.listen(0, '127.0.0.1');
      return (await app.getUrl()).replace('[::1]', '127.0.0.1');
    },
    issueKey: async (role, name = `${role} key`) => {
      const { key, token } = await keys.create(name, role);
      return { id: key.id, token };
    },
    close: () => app.close(),
  };
}

import 'reflect-metadata';

import { type AuditConfig, AUDIT_CONFIG } from '@app/config';

import { createApiApplication } from './api-application';
import { scannerStarter } from './scans/scanner-starter';

/** The API server: configuration from `AUDIT_CONFIG` (or ./audit.config.yaml) and the environment. */
async function bootstrap(): Promise<void> {
  const app = await createApiApplication({ scanStarter: scannerStarter });
  // SIGTERM: stop accepting connections, finish the requests in flight, close pools, exit 0.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  const config = app.get<AuditConfig>(AUDIT_CONFIG);
  await app.listen(config.api.port);
}

bootstrap().catch((error: unknown) => {
  // An invalid configuration lands here, its message naming every wrong key.
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

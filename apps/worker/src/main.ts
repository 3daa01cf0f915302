import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT: stop fetching jobs, drain the ones in flight, close pools.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
}

bootstrap().catch((error: unknown) => {
  // An invalid configuration lands here, its message naming every wrong key.
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';

import { WorkerTelemetry } from './worker-telemetry';

/**
 * The last resort for a promise rejection nothing handled. Every known path (the job engine, the
 * job handlers, the alert loop, the cron tick, the metrics endpoint) handles its own errors; one
 * that still gets here is a bug. It is logged at `error` with its stack and counted
 * (`seed_worker_unhandled_rejections_total`), and the worker goes on rather than exits as Node
 * would: every unit of work is a leased, idempotent job whose state is in PostgreSQL, so a stray
 * rejection cannot corrupt anything, while exiting would turn a database outage (where libraries
 * are most likely to leave a promise unhandled) into every replica crash-looping. The outage test
 * asserts that none is counted, so a bug this net catches still fails the tests.
 * Uncaught exceptions keep Node's behaviour (the process exits): the state they leave is unknown.
 */
@Injectable()
export class ProcessSafetyNet implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly onUnhandledRejection = (reason: unknown): void => {
    this.telemetry.unhandledRejections.inc();
    this.logger.error({ err: reason }, 'unhandled promise rejection (a bug): the worker goes on');
  };

  constructor(
    private readonly telemetry: WorkerTelemetry,
    @InjectPinoLogger(ProcessSafetyNet.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    process.on('unhandledRejection', this.onUnhandledRejection);
  }

  onApplicationShutdown(): void {
    process.off('unhandledRejection', this.onUnhandledRejection);
  }
}

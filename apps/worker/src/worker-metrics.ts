import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectAuditConfig, type AuditConfig } from '@app/config';
import { AuditMetrics, startMetricsServer, type MetricsServer } from '@app/metrics';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { register } from 'prom-client';

import { WorkerTelemetry } from './worker-telemetry';

/**
 * The worker's Prometheus endpoint (`worker.metricsPort`): its process metrics, its own health
 * (`WorkerTelemetry`: `seed_worker_database_up` is its readiness) and the alert delivery counters, which only the process delivering alerts can count (AlertingModule registers
 * them on prom-client's default registry). The audit-state gauges stay with the API: they describe
 * the shared database, and every worker replica exposing them would count them again.
 */
@Injectable()
export class WorkerMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: MetricsServer | null = null;

  constructor(
    @InjectAuditConfig() private readonly config: AuditConfig,
    private readonly telemetry: WorkerTelemetry,
    @InjectPinoLogger(WorkerMetrics.name) private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.worker.metricsPort;
    if (port === null) return;
    const processMetrics = new AuditMetrics();
    this.server = await startMetricsServer({
      port,
      registries: [processMetrics.registry, this.telemetry.registry, register],
    });
    this.logger.info({ port: this.server.port }, 'metrics server listening');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}

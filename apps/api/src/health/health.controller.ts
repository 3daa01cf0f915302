import { SchemaStatusRepository } from '@app/persistence';
import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  type HealthCheckResult,
  HealthIndicatorService,
  type HealthIndicatorResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { z } from 'zod';

import type { HttpResponse } from '../http/http-types';
import { ApiEndpoint } from '../http/openapi';

const HEALTH = z
  .object({
    status: z.enum(['ok', 'error', 'shutting_down']),
    info: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    error: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    details: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'Health' });

/** How long readiness waits for the database to answer. */
const DATABASE_TIMEOUT_MS = 2000;

/** Liveness and readiness probes: public, not rate-limited (an orchestrator's probe must never be refused). */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly schema: SchemaStatusRepository,
  ) {}

  @Get('healthz')
  @ApiEndpoint({
    summary: 'Liveness: the process serves requests',
    access: 'public',
    responses: { 200: { description: 'Alive', schema: HEALTH } },
  })
  liveness(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('readyz')
  @ApiEndpoint({
    summary: 'Readiness: the database answers and has every migration of this build',
    access: 'public',
    responses: {
      200: { description: 'Ready', schema: HEALTH },
      503: { description: 'Not ready: `error` says why', schema: HEALTH },
    },
  })
  async readiness(@Res({ passthrough: true }) response: HttpResponse): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: DATABASE_TIMEOUT_MS }),
        () => this.migrations(),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        response.status(HttpStatus.SERVICE_UNAVAILABLE);
        return error.getResponse() as HealthCheckResult;
      }
      throw error;
    }
  }

  private async migrations(): Promise<HealthIndicatorResult<'migrations'>> {
    const check = this.indicators.check('migrations');
    try {
      const pending = await this.schema.pendingMigrations();
      return pending.length === 0 ? check.up() : check.down({ pending });
    } catch {
      return check.down({ message: 'The migrations table could not be read' });
    }
  }
}

import { AuditMetrics } from '@app/metrics';
import { Controller, Get, Res } from '@nestjs/common';
import { z } from 'zod';

import type { HttpResponse } from '../http/http-types';
import { ApiEndpoint } from '../http/openapi';

/** Prometheus scrape endpoint: public (counts only, no secrets), not rate-limited (scrapes must not gap). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: AuditMetrics) {}

  @Get()
  @ApiEndpoint({
    summary: 'Prometheus metrics',
    description:
      'HTTP latency; scans by status; the last scan’s duration and OSS errors by code; present resources by class; open findings by severity.',
    access: 'public',
    responses: {
      200: { description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' },
    },
  })
  async scrape(@Res() response: HttpResponse): Promise<void> {
    const text = await this.metrics.render();
    response.type(this.metrics.contentType).send(text);
  }
}

import { SummaryRepository } from '@app/persistence';
import { Controller, Get, Query } from '@nestjs/common';
import type { z } from 'zod';

import { ApiEndpoint } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { presentSummary, SUMMARY, SUMMARY_QUERY } from './summary.schemas';

@Controller('v1/summary')
export class SummaryController {
  constructor(private readonly summary: SummaryRepository) {}

  @Get()
  @ApiEndpoint({
    summary: 'Posture now and its trend',
    description:
      'Present resources per encryption class and kind, open findings per severity and rule, both per account and region, and the latest scans with the findings open when each ended.',
    access: 'reader',
    query: SUMMARY_QUERY,
    responses: { 200: { description: 'The summary', schema: SUMMARY } },
  })
  async get(
    @Query(new ZodValidationPipe(SUMMARY_QUERY)) query: z.output<typeof SUMMARY_QUERY>,
  ): Promise<z.input<typeof SUMMARY>> {
    const [posture, trend] = await Promise.all([
      query.at === undefined ? this.summary.postureCounts() : this.summary.postureCountsAt(query.at),
      this.summary.scanTrend(query.scans, query.at),
    ]);
    return presentSummary(posture, trend);
  }
}

import { DriftQueryRepository } from '@app/persistence';
import { Controller, Get, Query } from '@nestjs/common';
import type { z } from 'zod';

import { ApiEndpoint } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { DRIFT_PAGE, DRIFT_QUERY, presentDriftEvent } from './drift.schemas';

@Controller('v1/drift')
export class DriftController {
  constructor(private readonly drift: DriftQueryRepository) {}

  @Get()
  @ApiEndpoint({
    summary: 'List drift events',
    description:
      'Changes of encryption between consecutive complete observations, and resources that appeared or disappeared, with before and after and the observations that prove them. Newest first; keyset pages.',
    access: 'reader',
    query: DRIFT_QUERY,
    responses: { 200: { description: 'A page of drift events', schema: DRIFT_PAGE } },
  })
  async list(
    @Query(new ZodValidationPipe(DRIFT_QUERY)) query: z.output<typeof DRIFT_QUERY>,
  ): Promise<z.input<typeof DRIFT_PAGE>> {
    const page = await this.drift.list(
      {
        kind: query.type,
        direction: query.direction,
        resourceKind: query.kind,
        accountAlias: query.account,
        region: query.region,
        namePrefix: query.namePrefix,
        since: query.since,
        until: query.until,
      },
      { limit: query.limit, cursor: query.cursor },
    );
    return { items: page.items.map(presentDriftEvent), nextCursor: page.nextCursor };
  }
}

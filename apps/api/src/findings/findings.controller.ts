import { FindingQueryRepository } from '@app/persistence';
import { Controller, Get, Query } from '@nestjs/common';
import type { z } from 'zod';

import { ApiEndpoint } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { FINDINGS_PAGE, FINDINGS_QUERY, findingFilterOf, presentFinding } from './findings.schemas';

@Controller('v1/findings')
export class FindingsController {
  constructor(private readonly findings: FindingQueryRepository) {}

  @Get()
  @ApiEndpoint({
    summary: 'List findings',
    description:
      'Findings with their resource, encryption, first and last seen, and the scan and observation that prove them. Newest opened first; keyset pages.',
    access: 'reader',
    query: FINDINGS_QUERY,
    responses: { 200: { description: 'A page of findings', schema: FINDINGS_PAGE } },
  })
  async list(
    @Query(new ZodValidationPipe(FINDINGS_QUERY)) query: z.output<typeof FINDINGS_QUERY>,
  ): Promise<z.input<typeof FINDINGS_PAGE>> {
    const page = await this.findings.list(findingFilterOf(query), {
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: page.items.map(presentFinding), nextCursor: page.nextCursor };
  }
}

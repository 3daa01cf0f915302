import { ScanRepository } from '@app/persistence';
import { Controller, Get, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { z } from 'zod';

import { ApiError } from '../errors/api-error';
import type { HttpResponse } from '../http/http-types';
import { ApiEndpoint } from '../http/openapi';
import { SCAN_ID_PARAMETERS } from '../http/parameters';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { SCAN_STARTER, type ScanStarter } from './scan-starter';
import { presentScan, SCAN, SCANS_PAGE, SCANS_QUERY } from './scans.schemas';

@Controller('v1/scans')
export class ScansController {
  constructor(
    private readonly scans: ScanRepository,
    @Inject(SCAN_STARTER) private readonly starter: ScanStarter,
  ) {}

  @Get()
  @ApiEndpoint({
    summary: 'List scans',
    access: 'reader',
    query: SCANS_QUERY,
    responses: { 200: { description: 'A page of scans', schema: SCANS_PAGE } },
  })
  async list(
    @Query(new ZodValidationPipe(SCANS_QUERY)) query: z.output<typeof SCANS_QUERY>,
  ): Promise<z.input<typeof SCANS_PAGE>> {
    const page = await this.scans.listScans({ limit: query.limit, cursor: query.cursor });
    return { items: page.items.map(presentScan), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiEndpoint({
    summary: 'One scan: status, coverage and counts',
    access: 'reader',
    params: SCAN_ID_PARAMETERS,
    responses: { 200: { description: 'The scan', schema: SCAN } },
    errors: [404],
  })
  async detail(
    @Param(new ZodValidationPipe(SCAN_ID_PARAMETERS)) params: z.output<typeof SCAN_ID_PARAMETERS>,
  ): Promise<z.input<typeof SCAN>> {
    const scan = await this.scans.findById(params.id);
    if (scan === null) {
      throw ApiError.notFound(`Scan ${params.id} does not exist`);
    }
    return presentScan(scan);
  }

  @Post()
  @ApiEndpoint({
    summary: 'Start a scan now',
    description:
      'Queues a scan for the workers. Idempotent while a scan runs: the running scan is returned with 200 instead of a new one with 201.',
    access: 'admin',
    responses: {
      201: { description: 'A scan was started', schema: SCAN },
      200: { description: 'A scan was already running: this one', schema: SCAN },
    },
    errors: [503],
  })
  async start(@Res({ passthrough: true }) response: HttpResponse): Promise<z.input<typeof SCAN>> {
    const { scan, created } = await this.starter.startScan('api');
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return presentScan(scan);
  }
}

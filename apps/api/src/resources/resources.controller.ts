import { Controller, Get, Param, Query } from '@nestjs/common';
import type { z } from 'zod';

import { ApiEndpoint } from '../http/openapi';
import { RESOURCE_ID_PARAMETERS } from '../http/parameters';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  HISTORY_QUERY,
  HISTORY_RESPONSE,
  LOOKUP_QUERY,
  LOOKUP_RESULT,
  RESOURCE_DETAIL,
  RESOURCES_PAGE,
  RESOURCES_QUERY,
} from './resources.schemas';
import { ResourcesService } from './resources.service';

type ResourceIdParameters = z.output<typeof RESOURCE_ID_PARAMETERS>;

@Controller('v1/resources')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Get()
  @ApiEndpoint({
    summary: 'List resources with their current state',
    access: 'reader',
    query: RESOURCES_QUERY,
    responses: { 200: { description: 'A page of resources', schema: RESOURCES_PAGE } },
  })
  list(
    @Query(new ZodValidationPipe(RESOURCES_QUERY)) query: z.output<typeof RESOURCES_QUERY>,
  ): Promise<z.input<typeof RESOURCES_PAGE>> {
    return this.resources.page(query);
  }

  // Declared before `:id`, which would otherwise take `lookup` for an id.
  @Get('lookup')
  @ApiEndpoint({
    summary: 'Find resources by ARN or by name',
    description:
      'By `arn` (a table bucket, table or KMS key ARN, a bucket ARN acs:oss:{region}:{uid}:{bucket}, or a resourceKey), or by `name` with an optional `kind`. A name can match in several accounts: every match is returned, present ones first. 404 when nothing matches.',
    access: 'reader',
    query: LOOKUP_QUERY,
    responses: { 200: { description: 'The matching resources', schema: LOOKUP_RESULT } },
    errors: [404],
  })
  lookup(
    @Query(new ZodValidationPipe(LOOKUP_QUERY)) query: z.output<typeof LOOKUP_QUERY>,
  ): Promise<z.input<typeof LOOKUP_RESULT>> {
    return this.resources.lookup(query);
  }

  @Get(':id')
  @ApiEndpoint({
    summary: 'One resource: current state and open findings',
    access: 'reader',
    params: RESOURCE_ID_PARAMETERS,
    responses: { 200: { description: 'The resource', schema: RESOURCE_DETAIL } },
    errors: [404],
  })
  detail(
    @Param(new ZodValidationPipe(RESOURCE_ID_PARAMETERS)) params: ResourceIdParameters,
  ): Promise<z.input<typeof RESOURCE_DETAIL>> {
    return this.resources.detail(params.id);
  }

  @Get(':id/history')
  @ApiEndpoint({
    summary: 'Observations of a resource over time, or what was true at an instant',
    description:
      'Without `at`: the distinct observations (change log), newest first, each valid until the next. With `at`: the observation valid at that instant, the last scan that observed the resource by then, and whether it had disappeared.',
    access: 'reader',
    params: RESOURCE_ID_PARAMETERS,
    query: HISTORY_QUERY,
    responses: {
      200: {
        description: 'A page of the change log, or (with `at`) the state at that instant',
        schema: HISTORY_RESPONSE,
      },
    },
    errors: [404],
  })
  history(
    @Param(new ZodValidationPipe(RESOURCE_ID_PARAMETERS)) params: ResourceIdParameters,
    @Query(new ZodValidationPipe(HISTORY_QUERY)) query: z.output<typeof HISTORY_QUERY>,
  ): Promise<z.input<typeof HISTORY_RESPONSE>> {
    return this.resources.history(params.id, query);
  }
}

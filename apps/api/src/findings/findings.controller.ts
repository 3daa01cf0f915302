import { type AuditConfig, InjectAuditConfig } from '@app/config';
import { findingRemediation } from '@app/evidence';
import { FindingQueryRepository } from '@app/persistence';
import { Controller, Get, Param, Query } from '@nestjs/common';
import type { z } from 'zod';

import { ApiEndpoint } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiError } from '../errors/api-error';
import {
  FINDING_DETAIL,
  FINDING_ID_PARAMETERS,
  FINDINGS_PAGE,
  FINDINGS_QUERY,
  findingFilterOf,
  presentFinding,
  presentRemediation,
} from './findings.schemas';

@Controller('v1/findings')
export class FindingsController {
  constructor(
    private readonly findings: FindingQueryRepository,
    @InjectAuditConfig() private readonly config: AuditConfig,
  ) {}

  @Get()
  @ApiEndpoint({
    summary: 'List findings',
    description:
      'Findings with their resource, encryption, first and last seen, and the scan and observation that prove them. Most severe first (or `sort`); keyset pages. List filters take several values separated by commas (`rule=unencrypted,non_kms`).',
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
      sort: query.sort,
    });
    return { items: page.items.map(presentFinding), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiEndpoint({
    summary: 'One finding and how to fix it',
    description:
      'The finding, with remediation guidance for the approved key (policy.approvedKmsKeys) or a placeholder: request body, ossutil, aliyun CLI and Terraform; for tables, what can and cannot change in place. Seed stays read-only.',
    access: 'reader',
    params: FINDING_ID_PARAMETERS,
    responses: { 200: { description: 'The finding', schema: FINDING_DETAIL } },
    errors: [404],
  })
  async detail(
    @Param(new ZodValidationPipe(FINDING_ID_PARAMETERS)) params: z.output<typeof FINDING_ID_PARAMETERS>,
  ): Promise<z.input<typeof FINDING_DETAIL>> {
    const finding = await this.findings.findById(params.id);
    if (finding === null) throw ApiError.notFound(`No finding has id ${params.id}`);
    return {
      ...presentFinding(finding),
      remediation: presentRemediation(findingRemediation(finding, this.config.policy)),
    };
  }
}

import { randomUUID } from 'node:crypto';

import { type AuditConfig, AUDIT_CONFIG } from '@app/config';
import {
  approveException,
  createException,
  DEFAULT_CATALOGUE,
  exceptionsExpiringWithin,
  revokeException,
  type ComplianceException,
} from '@app/compliance';
import { ExceptionRepository } from '@app/persistence';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { z } from 'zod';

import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { ApiError } from '../errors/api-error';
import { ApiEndpoint } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  EXCEPTION,
  EXCEPTION_CHANGES,
  EXCEPTION_ID_PARAMETERS,
  EXCEPTION_LIST,
  EXCEPTION_REQUEST,
  EXCEPTIONS_QUERY,
  EXPIRING_QUERY,
  presentChange,
  presentException,
  REVOCATION_REQUEST,
} from './exceptions.schemas';

/**
 * Accountable exceptions: listed with their state now, created by an admin key, approved by a
 * DIFFERENT admin key (the one the request names as approver), revoked with a reason. Every change
 * lands in the append-only change record, readable per exception. People are API keys, by name.
 */
@Controller('v1/exceptions')
export class ExceptionsController {
  constructor(
    private readonly exceptions: ExceptionRepository,
    @Inject(AUDIT_CONFIG) private readonly config: AuditConfig,
  ) {}

  @Get()
  @ApiEndpoint({
    summary: 'List exceptions (API and file), newest first, with their state now',
    access: 'reader',
    query: EXCEPTIONS_QUERY,
    responses: { 200: { description: 'The exceptions', schema: EXCEPTION_LIST } },
  })
  async list(
    @Query(new ZodValidationPipe(EXCEPTIONS_QUERY)) query: z.output<typeof EXCEPTIONS_QUERY>,
  ): Promise<z.input<typeof EXCEPTION_LIST>> {
    const now = new Date();
    const stored = await this.exceptions.list({ includeRemoved: query.state === 'removed' });
    const items = stored
      .map((exception) => presentException(exception, now))
      .filter((exception) => query.state === undefined || exception.state === query.state)
      .filter((exception) => query.source === undefined || exception.source === query.source);
    return { items };
  }

  @Get('expiring')
  @ApiEndpoint({
    summary: 'Active exceptions ending soon: the expiry digest',
    access: 'reader',
    query: EXPIRING_QUERY,
    responses: { 200: { description: 'Active exceptions ending within the days', schema: EXCEPTION_LIST } },
  })
  async expiring(
    @Query(new ZodValidationPipe(EXPIRING_QUERY)) query: z.output<typeof EXPIRING_QUERY>,
  ): Promise<z.input<typeof EXCEPTION_LIST>> {
    const now = new Date();
    const stored = await this.exceptions.list();
    const days = query.days ?? this.config.exceptions.expiringWithinDays;
    const ending = new Set(
      exceptionsExpiringWithin(
        stored.map((entry) => entry.exception),
        days,
        now,
      ).map((exception) => exception.id),
    );
    return {
      items: stored
        .filter((entry) => ending.has(entry.exception.id))
        .sort((a, b) => a.exception.expiresAt.getTime() - b.exception.expiresAt.getTime())
        .map((entry) => presentException(entry, now)),
    };
  }

  @Get(':id')
  @ApiEndpoint({
    summary: 'One exception',
    access: 'reader',
    params: EXCEPTION_ID_PARAMETERS,
    responses: { 200: { description: 'The exception', schema: EXCEPTION } },
    errors: [404],
  })
  async detail(
    @Param(new ZodValidationPipe(EXCEPTION_ID_PARAMETERS)) params: z.output<typeof EXCEPTION_ID_PARAMETERS>,
  ): Promise<z.input<typeof EXCEPTION>> {
    const stored = await this.exceptions.find(params.id);
    if (stored === null) throw ApiError.notFound(`Exception ${params.id} does not exist`);
    return presentException(stored, new Date());
  }

  @Get(':id/changes')
  @ApiEndpoint({
    summary: 'The append-only change record of one exception: who, when, before, after',
    access: 'reader',
    params: EXCEPTION_ID_PARAMETERS,
    responses: { 200: { description: 'Its changes, oldest first', schema: EXCEPTION_CHANGES } },
    errors: [404],
  })
  async changes(
    @Param(new ZodValidationPipe(EXCEPTION_ID_PARAMETERS)) params: z.output<typeof EXCEPTION_ID_PARAMETERS>,
  ): Promise<z.input<typeof EXCEPTION_CHANGES>> {
    if ((await this.exceptions.find(params.id)) === null) {
      throw ApiError.notFound(`Exception ${params.id} does not exist`);
    }
    return { items: (await this.exceptions.changes(params.id)).map(presentChange) };
  }

  @Post()
  @ApiEndpoint({
    summary: 'Create an exception (pending until the named approver approves it)',
    access: 'admin',
    body: { description: 'The exception asked for', schema: EXCEPTION_REQUEST },
    responses: { 201: { description: 'The exception, pending approval', schema: EXCEPTION } },
    errors: [400],
  })
  async create(
    @Req() request: AuthenticatedRequest,
    @Body() body: unknown,
  ): Promise<z.input<typeof EXCEPTION>> {
    const now = new Date();
    const created = createException(body ?? null, {
      id: `exc-${randomUUID()}`,
      createdBy: actorOf(request),
      at: now,
      policy: { maxDurationDays: this.config.exceptions.maxDurationDays },
      knownControlIds: DEFAULT_CATALOGUE.controls.map((control) => control.id),
    });
    if (!created.ok) {
      const [first] = created.problems;
      throw new ApiError(
        'invalid_parameter',
        created.problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
        first === undefined || first.field === '' ? 'body' : first.field,
      );
    }
    return presentException(await this.exceptions.create(created.value), now);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiEndpoint({
    summary: 'Approve an exception: only the approver it names, never the key that created it',
    access: 'admin',
    params: EXCEPTION_ID_PARAMETERS,
    responses: { 200: { description: 'The exception, active', schema: EXCEPTION } },
    errors: [403, 404, 409],
  })
  async approve(
    @Req() request: AuthenticatedRequest,
    @Param(new ZodValidationPipe(EXCEPTION_ID_PARAMETERS)) params: z.output<typeof EXCEPTION_ID_PARAMETERS>,
  ): Promise<z.input<typeof EXCEPTION>> {
    const now = new Date();
    const by = actorOf(request);
    const stored = await this.exceptions.change(params.id, (current) =>
      approveException(current, { by, at: now }),
    );
    return presentException(stored, now);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiEndpoint({
    summary: 'Revoke a pending or active exception, with a reason',
    access: 'admin',
    params: EXCEPTION_ID_PARAMETERS,
    body: { description: 'Why', schema: REVOCATION_REQUEST },
    responses: { 200: { description: 'The exception, revoked', schema: EXCEPTION } },
    errors: [400, 404, 409],
  })
  async revoke(
    @Req() request: AuthenticatedRequest,
    @Param(new ZodValidationPipe(EXCEPTION_ID_PARAMETERS)) params: z.output<typeof EXCEPTION_ID_PARAMETERS>,
    @Body(new ZodValidationPipe(REVOCATION_REQUEST)) body: z.output<typeof REVOCATION_REQUEST>,
  ): Promise<z.input<typeof EXCEPTION>> {
    const now = new Date();
    const by = actorOf(request);
    const stored = await this.exceptions.change(params.id, (current) =>
      revokeException(changeableThroughApi(current), { by, at: now, reason: body.reason }),
    );
    return presentException(stored, now);
  }
}

/**
 * File exceptions change through the file (reviewed in git): an approval or revocation made here
 * would be undone by the next sync, so it is refused.
 */
function changeableThroughApi(exception: ComplianceException): ComplianceException {
  if (exception.source === 'file') {
    throw new ApiError(
      'conflict',
      `Exception ${exception.id} comes from the exceptions file: change or remove it there`,
    );
  }
  return exception;
}

/** Who acts: the API key, by its name (each person holds an admin key named for them). */
function actorOf(request: AuthenticatedRequest): string {
  const key = request.apiKey;
  if (key === undefined) {
    // The guard sets the key on every request it lets through to an admin route.
    throw new ApiError('unauthenticated', 'A valid API key is required: Authorization: Bearer <key>');
  }
  return key.name;
}

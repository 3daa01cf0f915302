import {
  AlertDeliveryRepository,
  type AlertDeliveryRecord,
  type OutboxAlertRecord,
  PersistenceError,
} from '@app/persistence';
import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

import { toAlertEvent } from './alert-event';
import { type WebhookAlert, webhookAlert } from './webhook-message';

/** One delivery as `GET /v1/alerts` shows it. */
export interface AlertDeliveryView {
  readonly id: number;
  /** Sent with every attempt (`X-Seed-Delivery`, or in the message text): receivers dedupe on it. */
  readonly dedupeKey: string;
  readonly channel: string;
  readonly channelType: AlertDeliveryRecord['channelType'];
  readonly scanId: number;
  readonly status: AlertDeliveryRecord['status'];
  readonly alertCount: number;
  readonly maxSeverity: AlertDeliveryRecord['maxSeverity'];
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

/** One alert of a delivery, in the generic webhook's shape, with the rows it links to. */
export type AlertItemView = WebhookAlert & {
  readonly id: number;
  readonly scanId: number;
  readonly resourceId: number;
  readonly findingId: string | null;
  readonly driftEventId: number | null;
};

/** A keyset page: pass `nextCursor` back as `cursor` for the next one; null on the last page. */
export interface PageView<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

const limit = z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT);
const cursor = z.string().min(1).max(200).optional();

const listQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  channel: z
    .string()
    .regex(/^[a-z0-9-]{1,63}$/)
    .optional(),
  limit,
  cursor,
});

const itemsQuery = z.object({ limit, cursor });

const deliveryId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const DELIVERY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['id', 'dedupeKey', 'channel', 'channelType', 'scanId', 'status', 'alertCount', 'attempts'],
  properties: {
    id: { type: 'integer' },
    dedupeKey: { type: 'string', format: 'uuid' },
    channel: { type: 'string' },
    channelType: { type: 'string', enum: ['webhook', 'dingtalk', 'slack'] },
    scanId: { type: 'integer' },
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    alertCount: { type: 'integer' },
    maxSeverity: { type: 'string', enum: ['info', 'low', 'medium', 'high', 'critical'] },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'string', format: 'date-time', nullable: true },
    lastAttemptAt: { type: 'string', format: 'date-time', nullable: true },
    lastError: { type: 'string', nullable: true },
    createdAt: { type: 'string', format: 'date-time' },
    deliveredAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

/** The API's error body: `error` code, `message`, and the `parameter` at fault for a 400. */
const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' }, parameter: { type: 'string' } },
};

function pageSchema(items: SchemaObject): SchemaObject {
  return {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items }, nextCursor: { type: 'string', nullable: true } },
  };
}

/**
 * `GET /v1/alerts`: alert deliveries (one digest message of one scan to one channel), newest first,
 * with their status, attempts and last error, so failures stay visible. `GET /v1/alerts/{id}` and
 * `GET /v1/alerts/{id}/items` (every alert of one message: the link alert messages carry).
 */
@ApiTags('alerts')
@ApiBearerAuth()
@ApiResponse({
  status: 400,
  description: 'A parameter is invalid: `parameter` names it',
  schema: ERROR_SCHEMA,
})
@ApiResponse({ status: 401, description: 'No API key, or not a valid one', schema: ERROR_SCHEMA })
@ApiResponse({ status: 429, description: 'Rate limit reached; see Retry-After', schema: ERROR_SCHEMA })
@Controller('v1/alerts')
export class AlertsController {
  constructor(@Inject(AlertDeliveryRepository) private readonly deliveries: AlertDeliveryRepository) {}

  @Get()
  @ApiOperation({ summary: 'List alert deliveries, newest first' })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'delivered', 'failed'] })
  @ApiQuery({ name: 'channel', required: false, type: String })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: `1-${MAX_LIMIT.toString()}` })
  @ApiQuery({ name: 'cursor', required: false, type: String })
  @ApiOkResponse({ schema: pageSchema(DELIVERY_SCHEMA) })
  async list(@Query() raw: Record<string, unknown>): Promise<PageView<AlertDeliveryView>> {
    const query = parse(listQuery, raw);
    const page = await withCursor(() =>
      this.deliveries.listDeliveries({
        limit: query.limit,
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.channel === undefined ? {} : { channel: query.channel }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      }),
    );
    return { items: page.items.map(toDeliveryView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert delivery' })
  @ApiParam({ name: 'id', type: Number })
  @ApiOkResponse({ schema: DELIVERY_SCHEMA })
  @ApiResponse({ status: 404, description: 'No such delivery', schema: ERROR_SCHEMA })
  async get(@Param('id') rawId: string): Promise<AlertDeliveryView> {
    const delivery = await this.deliveries.findDelivery(parse(deliveryId, rawId, 'id'));
    if (delivery === null) {
      throw deliveryNotFound();
    }
    return toDeliveryView(delivery);
  }

  @Get(':id/items')
  @ApiOperation({ summary: 'Every alert of one delivery, oldest first' })
  @ApiParam({ name: 'id', type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: `1-${MAX_LIMIT.toString()}` })
  @ApiQuery({ name: 'cursor', required: false, type: String })
  @ApiOkResponse({ schema: pageSchema({ type: 'object' }) })
  @ApiResponse({ status: 404, description: 'No such delivery', schema: ERROR_SCHEMA })
  async items(
    @Param('id') rawId: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<PageView<AlertItemView>> {
    const id = parse(deliveryId, rawId, 'id');
    const query = parse(itemsQuery, raw);
    if ((await this.deliveries.findDelivery(id)) === null) {
      throw deliveryNotFound();
    }
    const page = await withCursor(() =>
      this.deliveries.listDeliveryAlerts(id, {
        limit: query.limit,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      }),
    );
    return { items: page.items.map(toItemView), nextCursor: page.nextCursor };
  }
}

/** A delivery as the API shows it. */
export function toDeliveryView(delivery: AlertDeliveryRecord): AlertDeliveryView {
  return {
    id: delivery.id,
    dedupeKey: delivery.dedupeKey,
    channel: delivery.channel,
    channelType: delivery.channelType,
    scanId: delivery.scanId,
    status: delivery.status,
    alertCount: delivery.alertCount,
    maxSeverity: delivery.maxSeverity,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}

function toItemView(record: OutboxAlertRecord): AlertItemView {
  return {
    id: record.id,
    scanId: record.scanId,
    resourceId: record.resourceId,
    findingId: record.findingId,
    driftEventId: record.driftEventId,
    ...webhookAlert(toAlertEvent(record)),
  };
}

/**
 * Refusals are Nest HTTP exceptions whose body has the API's error shape (`error`, `message`,
 * `parameter`), so they read the same whether or not the importing app has its own filter.
 */
function parse<T>(schema: z.ZodType<T>, value: unknown, parameter?: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = parameter ?? (issue?.path.length === 1 ? String(issue.path[0]) : undefined);
    throw new BadRequestException({
      error: 'invalid_parameter',
      message: issue?.message ?? 'Invalid parameter',
      ...(at === undefined ? {} : { parameter: at }),
    });
  }
  return result.data;
}

function deliveryNotFound(): NotFoundException {
  return new NotFoundException({ error: 'not_found', message: 'No such alert delivery' });
}

async function withCursor<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof PersistenceError && error.code === 'INVALID_CURSOR') {
      throw new BadRequestException({
        error: 'invalid_parameter',
        message: error.message,
        parameter: 'cursor',
      });
    }
    throw error;
  }
}

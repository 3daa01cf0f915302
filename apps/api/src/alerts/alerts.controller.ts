import { toAlertEvent } from '@app/alerting';
import { AlertDeliveryRepository } from '@app/persistence';
import { Controller, Get, Param, Query } from '@nestjs/common';
import type { z } from 'zod';

import { ApiError } from '../errors/api-error';
import { ApiEndpoint } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  ALERT_DELIVERIES_PAGE,
  ALERT_DELIVERY,
  ALERT_ITEMS_PAGE,
  ALERT_ITEMS_QUERY,
  ALERTS_QUERY,
  DELIVERY_ID_PARAMETERS,
  presentAlertItem,
  presentDelivery,
} from './alerts.schemas';

type DeliveryIdParameters = z.output<typeof DELIVERY_ID_PARAMETERS>;

/**
 * Alert deliveries (one digest message of one scan to one channel), so failures stay visible, and
 * the alerts of each: the link every alert message carries.
 */
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly deliveries: AlertDeliveryRepository) {}

  @Get()
  @ApiEndpoint({
    summary: 'List alert deliveries, newest first',
    description: 'With their status, attempts and last error; keyset pages.',
    access: 'reader',
    query: ALERTS_QUERY,
    responses: { 200: { description: 'A page of deliveries', schema: ALERT_DELIVERIES_PAGE } },
  })
  async list(
    @Query(new ZodValidationPipe(ALERTS_QUERY)) query: z.output<typeof ALERTS_QUERY>,
  ): Promise<z.input<typeof ALERT_DELIVERIES_PAGE>> {
    const page = await this.deliveries.listDeliveries(query);
    return { items: page.items.map(presentDelivery), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiEndpoint({
    summary: 'One alert delivery',
    access: 'reader',
    params: DELIVERY_ID_PARAMETERS,
    responses: { 200: { description: 'The delivery', schema: ALERT_DELIVERY } },
    errors: [404],
  })
  async get(
    @Param(new ZodValidationPipe(DELIVERY_ID_PARAMETERS)) params: DeliveryIdParameters,
  ): Promise<z.input<typeof ALERT_DELIVERY>> {
    return presentDelivery(await this.existing(params.id));
  }

  @Get(':id/items')
  @ApiEndpoint({
    summary: 'Every alert of one delivery, oldest first',
    access: 'reader',
    params: DELIVERY_ID_PARAMETERS,
    query: ALERT_ITEMS_QUERY,
    responses: { 200: { description: 'A page of alerts', schema: ALERT_ITEMS_PAGE } },
    errors: [404],
  })
  async items(
    @Param(new ZodValidationPipe(DELIVERY_ID_PARAMETERS)) params: DeliveryIdParameters,
    @Query(new ZodValidationPipe(ALERT_ITEMS_QUERY)) query: z.output<typeof ALERT_ITEMS_QUERY>,
  ): Promise<z.input<typeof ALERT_ITEMS_PAGE>> {
    await this.existing(params.id);
    const page = await this.deliveries.listDeliveryAlerts(params.id, query);
    return {
      items: page.items.map((record) => presentAlertItem(record, toAlertEvent(record))),
      nextCursor: page.nextCursor,
    };
  }

  private async existing(id: number) {
    const delivery = await this.deliveries.findDelivery(id);
    if (delivery === null) throw ApiError.notFound('No such alert delivery');
    return delivery;
  }
}

import { AlertDeliveryRepository } from '@app/persistence';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AlertsController } from './alerts-api.controller';

/**
 * The alerts API (`GET /v1/alerts`, `/v1/alerts/{id}`, `/v1/alerts/{id}/items`) for the API app to
 * import. Needs the global `PersistenceModule`; authentication is the importing app's (global guard).
 */
@Module({
  controllers: [AlertsController],
  providers: [
    {
      provide: AlertDeliveryRepository,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new AlertDeliveryRepository(dataSource),
    },
  ],
})
export class AlertsApiModule {}

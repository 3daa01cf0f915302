import { AUDIT_CONFIG, type AuditConfig } from '@app/config';
import { AlertDeliveryRepository } from '@app/persistence';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { register, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { Dispatcher } from 'undici';

import { AlertDispatcher, type AlertDispatcherOptions } from './alert-dispatcher';
import { AlertingMetrics } from './alerting-metrics';
import { createAlertHttpDispatcher } from './http-transport';

/** Options of `AlertingModule.forRoot`. */
export interface AlertingModuleOptions extends AlertDispatcherOptions {
  /** Run the polling loop from application start to shutdown (default true; false: call `runOnce`). */
  readonly autoStart?: boolean;
  /** The undici dispatcher every alert goes through; default: one the module creates and closes. */
  readonly http?: Dispatcher;
  /** Where the metrics are registered; default: prom-client's global registry. */
  readonly registry?: Registry;
  readonly clock?: () => Date;
  readonly random?: () => number;
}

/** Injection token of the undici dispatcher alerting sends through. */
export const ALERT_HTTP_DISPATCHER = Symbol('ALERT_HTTP_DISPATCHER');
const ALERTING_LIFECYCLE = Symbol('ALERTING_LIFECYCLE');

/**
 * Alert delivery for the worker: the `AlertDispatcher` (inject it to call `runOnce`, e.g. from the
 * CLI), its repository and metrics, and a lifecycle that starts the polling loop once the
 * application is up and drains it before shutdown (before the database pool closes). Needs the
 * global `AuditConfigModule` and `PersistenceModule`.
 */
@Module({})
export class AlertingModule {
  static forRoot(options: AlertingModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: ALERT_HTTP_DISPATCHER, useFactory: () => options.http ?? createAlertHttpDispatcher() },
      {
        provide: AlertDeliveryRepository,
        inject: [DataSource],
        useFactory: (dataSource: DataSource) => new AlertDeliveryRepository(dataSource),
      },
      { provide: AlertingMetrics, useFactory: () => new AlertingMetrics(options.registry ?? register) },
      {
        provide: AlertDispatcher,
        inject: [AUDIT_CONFIG, AlertDeliveryRepository, ALERT_HTTP_DISPATCHER, AlertingMetrics],
        useFactory: (
          config: AuditConfig,
          repository: AlertDeliveryRepository,
          http: Dispatcher,
          metrics: AlertingMetrics,
        ) =>
          new AlertDispatcher({
            repository,
            config,
            http,
            metrics,
            logger: new Logger(AlertDispatcher.name),
            ...(options.clock === undefined ? {} : { clock: options.clock }),
            ...(options.random === undefined ? {} : { random: options.random }),
            options,
          }),
      },
      {
        provide: ALERTING_LIFECYCLE,
        inject: [AlertDispatcher, ALERT_HTTP_DISPATCHER],
        useFactory: (dispatcher: AlertDispatcher, http: Dispatcher) =>
          alertingLifecycle(dispatcher, options.autoStart ?? true, options.http === undefined ? http : null),
      },
    ];
    return {
      module: AlertingModule,
      providers,
      exports: [AlertDispatcher, AlertDeliveryRepository, AlertingMetrics, ALERT_HTTP_DISPATCHER],
    };
  }
}

/** Starts the loop after bootstrap; drains it before shutdown; then closes the HTTP agent it owns. */
function alertingLifecycle(
  dispatcher: AlertDispatcher,
  autoStart: boolean,
  ownedHttp: Dispatcher | null,
): OnApplicationBootstrap & BeforeApplicationShutdown & OnApplicationShutdown {
  return {
    onApplicationBootstrap: () => {
      if (autoStart) {
        dispatcher.start();
      }
    },
    beforeApplicationShutdown: () => dispatcher.stop(),
    onApplicationShutdown: async () => {
      await ownedHttp?.close();
    },
  };
}

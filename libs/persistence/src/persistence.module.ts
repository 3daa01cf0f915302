import type { DynamicModule, ModuleMetadata, OnApplicationShutdown, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { createDataSource, type DataSourceSettings } from './data-source';
import { AdvisoryLockRepository } from './advisory-lock.repository';
import { EvaluationRepository } from './evaluation.repository';
import { HistoryMaintenanceRepository } from './history-maintenance.repository';
import { ObservationRepository } from './observation.repository';
import { ResourceRepository } from './resource.repository';
import { ScanTaskRepository } from './scan-task.repository';
import { ScanRepository } from './scan.repository';

export type PersistenceModuleOptions = Pick<DataSourceSettings, 'url' | 'poolSize' | 'logging'>;

export interface PersistenceModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: NonNullable<Extract<Provider, { useFactory: unknown }>['inject']>;
  readonly useFactory: (...args: never[]) => PersistenceModuleOptions | Promise<PersistenceModuleOptions>;
}

const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');
const DATA_SOURCE_CLOSER = Symbol('DATA_SOURCE_CLOSER');

const REPOSITORIES = [
  ScanRepository,
  ScanTaskRepository,
  ObservationRepository,
  EvaluationRepository,
  ResourceRepository,
  HistoryMaintenanceRepository,
  AdvisoryLockRepository,
] as const;

/**
 * The database for Nest applications: an initialised `DataSource` under the `DataSource` class
 * token (the one @nestjs/typeorm and the terminus TypeORM health indicator look up) and the
 * repositories, global like `TypeOrmModule.forRoot`. Migrations are not run here: `npm run migrate`.
 *
 * Plain factory providers rather than @nestjs/typeorm: the repositories are our own classes over
 * SQL (no TypeORM `Repository` to inject), and one `createDataSource` then serves the application,
 * the migration CLI and the tests alike. Nothing here imports Nest at runtime, so the library loads
 * where Nest's ESM-only packages cannot (jest on Node 20).
 */
// Nest identifies a dynamic module by a class; `@Module()` would be the usual marker, but it would
// import @nestjs/common at runtime for nothing (dynamic modules carry their metadata themselves).
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class PersistenceModule {
  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    return PersistenceModule.forRootAsync({ useFactory: () => options });
  }

  static forRootAsync(options: PersistenceModuleAsyncOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: PERSISTENCE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
      {
        provide: DataSource,
        inject: [PERSISTENCE_OPTIONS],
        useFactory: (settings: PersistenceModuleOptions) => createDataSource(settings).initialize(),
      },
      {
        // Closes the pool on shutdown (the application calls `enableShutdownHooks()`), after the
        // providers that depend on the repositories have shut down.
        provide: DATA_SOURCE_CLOSER,
        inject: [DataSource],
        useFactory: (dataSource: DataSource): OnApplicationShutdown => ({
          onApplicationShutdown: async () => {
            if (dataSource.isInitialized) {
              await dataSource.destroy();
            }
          },
        }),
      },
      ...REPOSITORIES.map((repository) => ({
        provide: repository,
        inject: [DataSource],
        useFactory: (dataSource: DataSource) => new repository(dataSource),
      })),
    ];
    return {
      module: PersistenceModule,
      global: true,
      imports: options.imports ?? [],
      providers,
      exports: [DataSource, ...REPOSITORIES],
    };
  }
}

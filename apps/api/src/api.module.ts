import type { IncomingMessage } from 'node:http';

import {
  type AuditConfig,
  AUDIT_CONFIG,
  AuditConfigModule,
  type AuditConfigModuleOptions,
} from '@app/config';
import { logFormat } from '@app/entrypoint';
import { AuditMetrics } from '@app/metrics';
import {
  AccountRepository,
  AlertDeliveryRepository,
  ApiKeyRepository,
  ControlResultRepository,
  DriftQueryRepository,
  ExceptionRepository,
  EvidenceQueryRepository,
  FindingQueryRepository,
  PersistenceModule,
  ResourceQueryRepository,
  SchemaStatusRepository,
  SummaryRepository,
} from '@app/persistence';
import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';

import { AccountsController } from './accounts/accounts.controller';
import { AlertsController } from './alerts/alerts.controller';
import { ApiKeyGuard, type AuthenticatedRequest } from './auth/api-key.guard';
import { ApiKeyChangeFeed } from './auth/api-key-change-feed';
import { ApiKeyService } from './auth/api-key.service';
import {
  redactRequestLog,
  redactResponseLog,
  type SerializedRequest,
  type SerializedResponse,
} from './auth/misplaced-api-keys';
import { MeController } from './auth/me.controller';
import { ControlsController } from './controls/controls.controller';
import { DriftController } from './drift/drift.controller';
import { ExceptionsController } from './exceptions/exceptions.controller';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { ExportsController } from './exports/exports.controller';
import { FindingsController } from './findings/findings.controller';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { RateLimiter } from './rate-limit/rate-limiter';
import { ResourcesController } from './resources/resources.controller';
import { ResourcesService } from './resources/resources.service';
import { SCAN_STARTER, type ScanStarter } from './scans/scan-starter';
import { ScansController } from './scans/scans.controller';
import { SummaryController } from './summary/summary.controller';

/** Builds the `ScanStarter` behind `POST /v1/scans` (the scanner's coordinator). */
export interface ScanStarterFactory extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: InjectionToken[];
  readonly useFactory: (...dependencies: never[]) => ScanStarter | Promise<ScanStarter>;
}

export interface ApiModuleOptions {
  /** Where the configuration comes from: the file and environment (default), or a built one. */
  readonly config?: AuditConfigModuleOptions;
  readonly scanStarter: ScanStarterFactory;
  /** Where logs go; default stdout. */
  readonly logDestination?: DestinationStream;
}

/**
 * The repositories the API uses: the read side, and exceptions (created, approved and revoked here);
 * the scanner's write side comes with `PersistenceModule`.
 */
const READ_REPOSITORIES = [
  AccountRepository,
  AlertDeliveryRepository,
  FindingQueryRepository,
  DriftQueryRepository,
  EvidenceQueryRepository,
  ResourceQueryRepository,
  SummaryRepository,
  ApiKeyRepository,
  SchemaStatusRepository,
  ControlResultRepository,
  ExceptionRepository,
] as const;

/** Paths whose requests are not logged: probes and scrapes arrive every few seconds. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The fields of a request's log line: pino-http's (`res`, `responseTime`, `err`), the request, and
 * which key made it (its id, never its token; set once the guard has run).
 */
function completedRequest(request: IncomingMessage, fields: object): object {
  const key = (request as AuthenticatedRequest).apiKey;
  return key === undefined ? { ...fields, req: request } : { ...fields, req: request, apiKeyId: key.id };
}

/**
 * The REST API: findings, drift, resources and their history, scans, summary; health, metrics and
 * OpenAPI beside them. Read-only over what the workers wrote, except `POST /v1/scans`, which asks the
 * scanner to start a scan. Every `/v1` route needs an API key (`ApiKeyGuard`, global), and its
 * requests are rate-limited per client: per API key, or per address without a valid one
 * (`api.rateLimitPerMinute`, across every route); errors become HTTP in one filter.
 */
@Module({})
export class ApiModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AuditConfigModule.forRoot(options.config),
        PersistenceModule.forRootAsync({
          inject: [AUDIT_CONFIG],
          useFactory: (config: AuditConfig) => ({
            url: config.database.url.reveal(),
            poolSize: config.database.poolSize,
          }),
        }),
        LoggerModule.forRootAsync({
          inject: [AUDIT_CONFIG],
          useFactory: (config: AuditConfig) => {
            const pinoOptions = {
              level: config.logging.level,
              // Authorization, Cookie and Set-Cookie are replaced whole; keys sent where they do not
              // belong (the URL, X-Api-Key) are refused, and never logged. In the serialisers rather
              // than pino's `redact`, which would copy every logged request a second time.
              serializers: {
                req: (request: SerializedRequest) => redactRequestLog(request),
                res: (response: SerializedResponse) => redactResponseLog(response),
              },
              autoLogging: { ignore: (request: { url?: string }) => QUIET_PATHS.has(request.url ?? '') },
              // The request is serialised once, into its one log line when it completes, not into a
              // child logger as it arrives (which cost every request, probes included, a redacted
              // copy of its headers); what the application logs while serving it carries `reqId`.
              quietReqLogger: true,
              quietResLogger: true,
              customSuccessObject: (request: IncomingMessage, _response: unknown, fields: object) =>
                completedRequest(request, fields),
              customErrorObject: (
                request: IncomingMessage,
                _response: unknown,
                _error: Error,
                fields: object,
              ) => completedRequest(request, fields),
            };
            // Readable lines on a terminal, JSON with ISO timestamps otherwise.
            return { pinoHttp: logFormat(pinoOptions, options.logDestination ?? process.stdout) };
          },
        }),
        TerminusModule.forRoot({ logger: false }),
        ...(options.scanStarter.imports ?? []),
      ],
      controllers: [
        AccountsController,
        AlertsController,
        FindingsController,
        ExportsController,
        DriftController,
        ResourcesController,
        ScansController,
        SummaryController,
        ControlsController,
        ExceptionsController,
        MeController,
        HealthController,
        MetricsController,
      ],
      providers: [
        ...READ_REPOSITORIES.map((repository) => ({
          provide: repository,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new repository(dataSource),
        })),
        {
          provide: ApiKeyService,
          inject: [ApiKeyRepository],
          useFactory: (keys: ApiKeyRepository) => new ApiKeyService(keys),
        },
        ApiKeyChangeFeed,
        {
          provide: AuditMetrics,
          inject: [SummaryRepository],
          useFactory: (summary: SummaryRepository) => new AuditMetrics({ source: summary }),
        },
        {
          provide: SCAN_STARTER,
          inject: options.scanStarter.inject ?? [],
          useFactory: options.scanStarter.useFactory,
        },
        {
          provide: RateLimiter,
          inject: [AUDIT_CONFIG],
          useFactory: (config: AuditConfig) => new RateLimiter(config.api.rateLimitPerMinute),
        },
        ResourcesService,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}

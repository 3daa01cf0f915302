import { type AuditConfig, AUDIT_CONFIG } from '@app/config';
import { AuditMetrics } from '@app/metrics';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

import { ApiModule, type ApiModuleOptions } from './api.module';
import { DEFAULT_CONSOLE_DIRECTORY } from './console/console-assets';
import { serveConsole } from './console/console-middleware';
import { JSON_BODY_LIMIT_BYTES, jsonBodyErrors, requireJsonBody } from './http/json-body';
import { withComponents } from './http/openapi';
import { requestMetrics } from './metrics/request-metrics';

/** The OpenAPI document of the application's routes. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Seed: OSS encryption auditor API')
    .setDescription(
      'Findings, drift, resources and their history, scans and summary of the encryption audit of Alibaba Cloud OSS buckets and OSS Tables table buckets. Every /v1 route needs an API key: `Authorization: Bearer <key>`.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'seed_ API key',
      description: 'An API key (`npm run api-key -- create`)',
    })
    .build();
  return withComponents(SwaggerModule.createDocument(app, config));
}

export interface ApiApplicationOptions extends ApiModuleOptions {
  /** The console's build (`npm run console:build`); default `dist/console` of the repository. */
  readonly consoleDirectory?: string;
}

/**
 * The API application as `main.ts` serves it and the tests drive it: pino logging, HTTP metrics,
 * the OpenAPI document at `/openapi.json` and its browsable page at `/docs`, and the web console
 * at `/console/` (static files with their own security headers; `/` leads there).
 * Request bodies: JSON only (415 otherwise), at most 16 KiB (413), well-formed (400 `invalid_body`):
 * the exception routes take one.
 */
export async function createApiApplication(options: ApiApplicationOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options), {
    bufferLogs: true,
    // A failed start is the caller's to report (main.ts: one line); Nest's own (a stack) stays buffered.
    autoFlushLogs: false,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.disable('x-powered-by');
  app.use(requireJsonBody);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT_BYTES });
  app.use(jsonBodyErrors);
  // The client address (rate limits, logs) from X-Forwarded-For only through the proxies configured.
  const { trustProxy } = app.get<AuditConfig>(AUDIT_CONFIG).api;
  app.set(
    'trust proxy',
    trustProxy === false || typeof trustProxy === 'number' ? trustProxy : [...trustProxy],
  );
  // A strong validator would cost a hash of every body; the lists change with every scan anyway.
  app.set('etag', false);
  app.use(requestMetrics(app.get(AuditMetrics)));
  app.use(serveConsole(options.consoleDirectory ?? DEFAULT_CONSOLE_DIRECTORY));
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
  });
  return app;
}

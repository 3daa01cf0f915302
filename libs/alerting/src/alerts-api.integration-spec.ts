import { AlertDeliveryRepository, PersistenceModule } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types';

import type { AlertDeliveryView, AlertItemView, PageView } from './alerts-api.controller';
import { AlertsApiModule } from './alerts-api.module';
import { recordScan } from './testing/outbox-writer';

const AT = new Date('2026-03-02T02:00:00.000Z');

describe('GET /v1/alerts', () => {
  let db: TestDatabase;
  let app: INestApplication<App>;
  let deliveries: AlertDeliveryRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    const moduleRef = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot({ url: db.url, poolSize: 2 }), AlertsApiModule],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    deliveries = new AlertDeliveryRepository(db.dataSource);

    await recordScan(db.dataSource, AT, [
      { name: 'logs-archive', encryptionClass: 'none' },
      { name: 'cdn-origin', encryptionClass: 'none' },
    ]);
    for (const channel of ['hook', 'slack']) {
      await deliveries.planDeliveries(
        { channel, channelType: channel === 'hook' ? 'webhook' : 'slack', plannedAt: AT, backfillFrom: AT },
        (alerts) => alerts.map(() => true),
      );
    }
    await deliveries.deliverNext('slack', AT, 20, () =>
      Promise.resolve({ status: 'failed', attemptedAt: AT, error: 'HTTP 404 no_service', nextSendAt: null }),
    );
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('lists deliveries newest first with their status, attempts and last error', async () => {
    const response = await request(app.getHttpServer()).get('/v1/alerts').expect(200);

    const page = response.body as PageView<AlertDeliveryView>;
    expect(page.nextCursor).toBeNull();
    expect(page.items).toMatchObject([
      {
        channel: 'slack',
        channelType: 'slack',
        status: 'failed',
        attempts: 1,
        alertCount: 2,
        maxSeverity: 'high',
        lastError: 'HTTP 404 no_service',
        lastAttemptAt: AT.toISOString(),
        nextAttemptAt: null,
      },
      { channel: 'hook', status: 'pending', attempts: 0, lastError: null, nextAttemptAt: AT.toISOString() },
    ]);
  });

  it('filters by status and channel', async () => {
    const failed = await request(app.getHttpServer()).get('/v1/alerts?status=failed').expect(200);
    expect((failed.body as PageView<AlertDeliveryView>).items.map((item) => item.channel)).toEqual(['slack']);
    const hook = await request(app.getHttpServer()).get('/v1/alerts?channel=hook').expect(200);
    expect((hook.body as PageView<AlertDeliveryView>).items.map((item) => item.status)).toEqual(['pending']);
  });

  it('pages with a cursor', async () => {
    const first = (await request(app.getHttpServer()).get('/v1/alerts?limit=1').expect(200))
      .body as PageView<AlertDeliveryView>;
    const second = (
      await request(app.getHttpServer())
        .get(`/v1/alerts?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)
        .expect(200)
    ).body as PageView<AlertDeliveryView>;

    expect([first.items[0]?.channel, second.items[0]?.channel]).toEqual(['slack', 'hook']);
    expect(second.nextCursor).toBeNull();
  });

  it('lists every alert of one delivery: the link in its message', async () => {
    const [delivery] = (await deliveries.listDeliveries({ limit: 1, channel: 'hook' })).items;

    const response = await request(app.getHttpServer())
      .get(`/v1/alerts/${String(delivery?.id)}/items`)
      .expect(200);

    const page = response.body as PageView<AlertItemView>;
    expect(page.items.map((item) => [item.type, item.resource.name]).sort()).toEqual([
      ['finding_opened', 'cdn-origin'],
      ['finding_opened', 'logs-archive'],
    ]);
    expect(page.items[0]).toMatchObject({ rule: 'unencrypted', severity: 'high', scanId: 1 });
  });

  it('answers 404 for an unknown delivery', async () => {
    const response = await request(app.getHttpServer()).get('/v1/alerts/999999').expect(404);
    expect(response.body).toEqual({ error: 'not_found', message: 'No such alert delivery' });
  });

  it('answers 400 for an invalid filter or cursor', async () => {
    const status = await request(app.getHttpServer()).get('/v1/alerts?status=lost').expect(400);
    expect(status.body).toMatchObject({ error: 'invalid_parameter', parameter: 'status' });
    const cursor = await request(app.getHttpServer()).get('/v1/alerts?cursor=not-ours').expect(400);
    expect(cursor.body).toMatchObject({ error: 'invalid_parameter', parameter: 'cursor' });
    await request(app.getHttpServer()).get('/v1/alerts?limit=0').expect(400);
  });

  it('documents its routes as needing the bearer key', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build());
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => [
        `${method.toUpperCase()} ${path}`,
        (operation as { security?: unknown }).security,
      ]),
    );
    expect(operations).toEqual([
      ['GET /v1/alerts', [{ bearer: [] }]],
      ['GET /v1/alerts/{id}', [{ bearer: [] }]],
      ['GET /v1/alerts/{id}/items', [{ bearer: [] }]],
    ]);
  });
});

import { generateFleet } from '@app/oss-emulator';
import { AlertDeliveryRepository } from '@app/persistence';
import { recordScan, seenBucket, startScanEnvironment, type ScanEnvironment } from '@app/testing';

import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

const AT = new Date('2026-03-02T02:00:00.000Z');

interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

interface DeliveryBody {
  readonly id: number;
  readonly channel: string;
  readonly status: string;
}

interface AlertItemBody {
  readonly type: string;
  readonly resource: { readonly name: string };
}

describe('GET /v1/alerts', () => {
  let scanning: ScanEnvironment;
  let api: ApiTestApp;
  let auth: { Authorization: string };
  let deliveries: AlertDeliveryRepository;

  beforeAll(async () => {
    scanning = await startScanEnvironment({
      fleet: generateFleet({ accounts: 1, regions: ['cn-hangzhou'], buckets: 0, tableBuckets: 0, seed: 3 }),
    });
    api = await startApiTestApp(scanning);
    auth = { Authorization: `Bearer ${(await api.issueKey('reader')).token}` };
    const dataSource = scanning.database.dataSource;
    deliveries = new AlertDeliveryRepository(dataSource);

    await recordScan(dataSource, AT, [seenBucket('logs-archive', 'none'), seenBucket('cdn-origin', 'none')], {
      evaluatedAt: AT,
    });
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
    await api.close();
    await scanning.close();
  });

  it('lists deliveries newest first with their status, attempts and last error', async () => {
    const response = await api.http.get('/v1/alerts').set(auth).expect(200);

    const page = response.body as Page<DeliveryBody>;
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
    const failed = await api.http.get('/v1/alerts?status=failed').set(auth).expect(200);
    expect((failed.body as Page<DeliveryBody>).items.map((item) => item.channel)).toEqual(['slack']);
    const hook = await api.http.get('/v1/alerts?channel=hook').set(auth).expect(200);
    expect((hook.body as Page<DeliveryBody>).items.map((item) => item.status)).toEqual(['pending']);
  });

  it('pages with a cursor', async () => {
    const first = (await api.http.get('/v1/alerts?limit=1').set(auth).expect(200)).body as Page<DeliveryBody>;
    const second = (
      await api.http
        .get(`/v1/alerts?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)
        .set(auth)
        .expect(200)
    ).body as Page<DeliveryBody>;

    expect([first.items[0]?.channel, second.items[0]?.channel]).toEqual(['slack', 'hook']);
    expect(second.nextCursor).toBeNull();
  });

  it('lists every alert of one delivery: the link in its message', async () => {
    const [delivery] = (await deliveries.listDeliveries({ limit: 1, channel: 'hook' })).items;

    const response = await api.http
      .get(`/v1/alerts/${String(delivery?.id)}/items`)
      .set(auth)
      .expect(200);

    const page = response.body as Page<AlertItemBody>;
    expect(page.items.map((item) => [item.type, item.resource.name]).sort()).toEqual([
      ['finding_opened', 'cdn-origin'],
      ['finding_opened', 'logs-archive'],
    ]);
    expect(page.items[0]).toMatchObject({ rule: 'unencrypted', severity: 'high' });
  });

  it('answers 404 for an unknown delivery', async () => {
    const response = await api.http.get('/v1/alerts/999999').set(auth).expect(404);
    expect(response.body).toEqual({ error: 'not_found', message: 'No such alert delivery' });
  });

  it.each([
    ['status=lost', 'status'],
    ['cursor=not-ours', 'cursor'],
    ['limit=0', 'limit'],
    ['limit=0x10', 'limit'],
    ['stauts=failed', 'stauts'],
  ])('answers 400 naming the parameter for ?%s', async (query, parameter) => {
    const response = await api.http.get(`/v1/alerts?${query}`).set(auth).expect(400);
    expect(response.body).toMatchObject({ error: 'invalid_parameter', parameter });
  });

  it('answers 401 without a key', async () => {
    await api.http.get('/v1/alerts').expect(401);
  });
});

import type { Severity } from '@app/audit';
import { createTestDatabase, type TestDatabase } from '@app/testing';

import {
  AlertDeliveryRepository,
  type DeliveryAttemptResult,
  type OutboxAlertRecord,
} from './alert-delivery.repository';
import { ObservationRepository } from './observation.repository';
import { ScanRepository } from './scan.repository';
import { bucketRef, night, observation, observed } from './testing/observations';

const everything = (alerts: readonly OutboxAlertRecord[]) => alerts.map(() => true);

describe('AlertDeliveryRepository', () => {
  let db: TestDatabase;
  let deliveries: AlertDeliveryRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    deliveries = new AlertDeliveryRepository(db.dataSource);
  });

  beforeEach(async () => {
    await db.truncate();
  });

  afterAll(async () => {
    await db.drop();
  });

  /** A finished scan that observed `names`, with one outbox row per entry of `alerts`. */
  async function scanWithAlerts(
    day: number,
    alerts: readonly { name: string; severity: Severity }[],
  ): Promise<number> {
    const scans = new ScanRepository(db.dataSource);
    const { scan } = await scans.startScan({ trigger: 'cli', startedAt: night(day) });
    await new ObservationRepository(db.dataSource).recordObservations(
      scan.id,
      night(day),
      alerts.map((alert) => observed(bucketRef(alert.name), observation('none'))),
    );
    await db.dataSource.query(
      `INSERT INTO "alert_outbox" ("dedupe_key", "scan_id", "event_type", "severity", "resource_id", "payload", "created_at")
       SELECT 'finding_opened:' || r."name" || ':' || $1::text, $1::integer, 'finding_opened', x."severity", r."id",
         jsonb_build_object('name', r."name"), $2
       FROM unnest($3::text[], $4::text[]) AS x("name", "severity")
       JOIN "resources" r ON r."name" = x."name"`,
      [scan.id, night(day), alerts.map((alert) => alert.name), alerts.map((alert) => alert.severity)],
    );
    await scans.finishScan(scan.id, {
      status: 'succeeded',
      coverage: [],
      summary: {
        resourcesByClass: {},
        findingsOpened: 0,
        findingsResolved: 0,
        driftEvents: 0,
        alertsQueued: alerts.length,
        resourcesDisappeared: 0,
      },
      finishedAt: night(day),
    });
    return scan.id;
  }

  const plan = (day: number, route = everything, backfillFrom = night(1)) =>
    deliveries.planDeliveries(
      { channel: 'ops', channelType: 'slack', plannedAt: night(day), backfillFrom },
      route,
    );

  const delivered = (at: Date): DeliveryAttemptResult => ({
    status: 'delivered',
    attemptedAt: at,
    nextSendAt: null,
  });

  describe('planDeliveries', () => {
    it('plans one delivery per scan with the routed alerts, and nothing the second time', async () => {
      const first = await scanWithAlerts(1, [
        { name: 'a', severity: 'medium' },
        { name: 'b', severity: 'high' },
      ]);
      const second = await scanWithAlerts(2, [{ name: 'c', severity: 'low' }]);

      const result = await plan(2);

      expect(result).toMatchObject({ locked: true, considered: 3 });
      expect(result.deliveries).toMatchObject([
        {
          channel: 'ops',
          channelType: 'slack',
          scanId: first,
          alertCount: 2,
          maxSeverity: 'high',
          status: 'pending',
        },
        { scanId: second, alertCount: 1, maxSeverity: 'low', nextAttemptAt: night(2), attempts: 0 },
      ]);
      expect(await plan(3)).toEqual({ locked: true, considered: 0, deliveries: [] });
    });

    it('records alerts the router leaves out, so they are never planned again', async () => {
      await scanWithAlerts(1, [
        { name: 'a', severity: 'low' },
        { name: 'b', severity: 'high' },
      ]);

      const result = await plan(1, (alerts) => alerts.map((alert) => alert.severity === 'high'));

      expect(result.considered).toBe(2);
      expect(result.deliveries).toMatchObject([{ alertCount: 1, maxSeverity: 'high' }]);
      expect(await plan(2)).toMatchObject({ considered: 0, deliveries: [] });
    });

    it('starts a new channel at the alerts created since its backfill instant', async () => {
      await scanWithAlerts(1, [{ name: 'old', severity: 'high' }]);
      await scanWithAlerts(5, [{ name: 'recent', severity: 'high' }]);

      const result = await plan(6, everything, night(4));

      expect(result.deliveries).toHaveLength(1);
      const page = await deliveries.listDeliveryAlerts(result.deliveries[0]!.id, { limit: 10 });
      expect(page.items.map((alert) => alert.payload.name)).toEqual(['recent']);
    });

    it('pages through the outbox without splitting a scan into several deliveries', async () => {
      await scanWithAlerts(
        1,
        Array.from({ length: 7 }, (_, index) => ({
          name: `b${index.toString()}`,
          severity: 'high' as const,
        })),
      );

      const result = await deliveries.planDeliveries(
        { channel: 'ops', channelType: 'webhook', plannedAt: night(1), backfillFrom: night(1), pageSize: 3 },
        everything,
      );

      expect(result.deliveries).toMatchObject([{ alertCount: 7 }]);
    });
  });

  describe('deliverNext', () => {
    it('hands the attempt the delivery, its severity counts and a preview, most severe first', async () => {
      await scanWithAlerts(1, [
        { name: 'a', severity: 'low' },
        { name: 'b', severity: 'critical' },
        { name: 'c', severity: 'high' },
      ]);
      await plan(1);

      let seen: string[] = [];
      const result = await deliveries.deliverNext('ops', night(1), 2, (due) => {
        seen = due.preview.map((alert) => String(alert.payload.name));
        expect(due.severityCounts).toEqual({ low: 1, high: 1, critical: 1 });
        return Promise.resolve(delivered(night(1)));
      });

      expect(seen).toEqual(['b', 'c']);
      expect(result).toMatchObject({ kind: 'attempted', delivery: { status: 'delivered', attempts: 1 } });
      expect(
        await deliveries.deliverNext('ops', night(2), 2, () => Promise.reject(new Error('not due'))),
      ).toEqual({
        kind: 'idle',
      });
    });

    it('keeps a failed attempt due again at its next attempt time, not before', async () => {
      await scanWithAlerts(1, [{ name: 'a', severity: 'high' }]);
      await plan(1);
      const retryAt = new Date(night(1).getTime() + 60_000);

      await deliveries.deliverNext('ops', night(1), 5, () =>
        Promise.resolve({
          status: 'pending',
          attemptedAt: night(1),
          error: 'HTTP 503',
          nextAttemptAt: retryAt,
          nextSendAt: null,
        }),
      );

      expect(
        await deliveries.deliverNext('ops', new Date(retryAt.getTime() - 1), 5, () =>
          Promise.reject(new Error('early')),
        ),
      ).toEqual({
        kind: 'idle',
      });
      const again = await deliveries.deliverNext('ops', retryAt, 5, () =>
        Promise.resolve(delivered(retryAt)),
      );
      expect(again).toMatchObject({
        kind: 'attempted',
        delivery: {
          status: 'delivered',
          attempts: 2,
          lastError: 'HTTP 503',
          deliveredAt: retryAt,
          nextAttemptAt: null,
        },
      });
    });

    it('answers busy to a second dispatcher while one holds the channel', async () => {
      await scanWithAlerts(1, [{ name: 'a', severity: 'high' }]);
      await plan(1);

      let inner: unknown;
      await deliveries.deliverNext('ops', night(1), 5, async () => {
        inner = await deliveries.deliverNext('ops', night(1), 5, () =>
          Promise.reject(new Error('double send')),
        );
        return delivered(night(1));
      });

      expect(inner).toEqual({ kind: 'busy' });
    });

    it('holds the channel until its next send time', async () => {
      await scanWithAlerts(1, [{ name: 'a', severity: 'high' }]);
      await scanWithAlerts(2, [{ name: 'b', severity: 'high' }]);
      await plan(2);
      const free = new Date(night(2).getTime() + 3_000);

      await deliveries.deliverNext('ops', night(2), 5, () =>
        Promise.resolve({ status: 'delivered', attemptedAt: night(2), nextSendAt: free }),
      );

      expect(
        await deliveries.deliverNext('ops', night(2), 5, () => Promise.reject(new Error('too soon'))),
      ).toEqual({
        kind: 'rate_limited',
        until: free,
      });
      const rested = new Date(free.getTime() + 3_000);
      expect(
        await deliveries.deliverNext('ops', free, 5, () =>
          Promise.resolve({ status: 'delivered', attemptedAt: free, nextSendAt: rested }),
        ),
      ).toMatchObject({ kind: 'attempted' });
      expect(
        await deliveries.deliverNext('ops', free, 5, () => Promise.reject(new Error('nothing left'))),
      ).toEqual({
        kind: 'idle',
      });
    });

    it('records nothing when the attempt throws, leaving the delivery due', async () => {
      await scanWithAlerts(1, [{ name: 'a', severity: 'high' }]);
      await plan(1);

      await expect(
        deliveries.deliverNext('ops', night(1), 5, () => Promise.reject(new Error('crash mid-send'))),
      ).rejects.toThrow('crash mid-send');

      const [delivery] = (await deliveries.listDeliveries({ limit: 1 })).items;
      expect(delivery).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: night(1) });
    });
  });

  describe('listing', () => {
    it('pages deliveries newest first, filtered by status and channel', async () => {
      for (let day = 1; day <= 3; day += 1) {
        await scanWithAlerts(day, [{ name: `b${day.toString()}`, severity: 'high' }]);
      }
      await plan(3);
      await deliveries.deliverNext('ops', night(3), 5, () => Promise.resolve(delivered(night(3))));

      const first = await deliveries.listDeliveries({ limit: 2 });
      const second = await deliveries.listDeliveries({ limit: 2, cursor: first.nextCursor! });
      expect([...first.items, ...second.items].map((delivery) => delivery.id)).toEqual(
        [...first.items, ...second.items].map((delivery) => delivery.id).sort((a, b) => b - a),
      );
      expect(second.nextCursor).toBeNull();
      expect((await deliveries.listDeliveries({ limit: 10, status: 'pending' })).items).toHaveLength(2);
      expect((await deliveries.listDeliveries({ limit: 10, status: 'delivered' })).items).toHaveLength(1);
      expect((await deliveries.listDeliveries({ limit: 10, channel: 'other' })).items).toHaveLength(0);
    });

    it('pages the alerts of one delivery', async () => {
      await scanWithAlerts(1, [
        { name: 'a', severity: 'high' },
        { name: 'b', severity: 'high' },
        { name: 'c', severity: 'high' },
      ]);
      const [delivery] = (await plan(1)).deliveries;

      const first = await deliveries.listDeliveryAlerts(delivery!.id, { limit: 2 });
      const second = await deliveries.listDeliveryAlerts(delivery!.id, {
        limit: 2,
        cursor: first.nextCursor!,
      });

      expect([...first.items, ...second.items].map((alert) => alert.payload.name)).toEqual(['a', 'b', 'c']);
      expect(second.nextCursor).toBeNull();
    });

    it.each([[2 ** 53], [1.5], [0], [-1], ['1']])(
      'refuses the cursor %j of either list as INVALID_CURSOR',
      async (value) => {
        const cursor = Buffer.from(JSON.stringify([value])).toString('base64url');
        await expect(deliveries.listDeliveries({ limit: 2, cursor })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
        });
        await expect(deliveries.listDeliveryAlerts(1, { limit: 2, cursor })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
        });
      },
    );

    it('reports the backlog per channel and status', async () => {
      await scanWithAlerts(1, [{ name: 'a', severity: 'high' }]);
      await scanWithAlerts(2, [{ name: 'b', severity: 'high' }]);
      await plan(2);
      await deliveries.deliverNext('ops', night(2), 5, () =>
        Promise.resolve({ status: 'failed', attemptedAt: night(2), error: 'HTTP 404', nextSendAt: null }),
      );

      expect(await deliveries.deliveryBacklog()).toEqual([
        { channel: 'ops', status: 'failed', count: 1, oldestCreatedAt: night(2) },
        { channel: 'ops', status: 'pending', count: 1, oldestCreatedAt: night(2) },
      ]);
    });
  });
});

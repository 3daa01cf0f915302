import type { AlertChannelConfig, AuditConfig } from '@app/config';
import { AlertDeliveryRepository, createDataSource } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { Agent } from 'undici';

import { AlertDispatcher, type AlertDispatcherOptions, type DispatchReport } from './alert-dispatcher';
import { AlertingMetrics } from './alerting-metrics';
import type { WebhookDigestBody } from './webhook-message';
import {
  alertSubject,
  dingTalkChannel,
  slackChannel,
  webhookChannel,
  recordBucketScan,
} from './testing/alert-fixtures';
import {
  dingTalkAnswer,
  type LoopbackReceiver,
  type ReceivedRequest,
  slackAnswer,
  startLoopbackReceiver,
  verifyDingTalkRequest,
  verifyWebhookRequest,
} from './testing/loopback-receiver';

const WEBHOOK_PATH = '/hooks/in-7f3a9c';
const WEBHOOK_SECRET = 'whsec-3b1f0e9d';
const DINGTALK_TOKEN = 'tok-5c2e8a1b';
const DINGTALK_SECRET = 'SEC4d7e1f0a9b';
const SLACK_PATH = '/services/T0001/B0001/xoxs-9d8c7b';
const START = new Date('2026-03-02T02:00:00.000Z');

/** Every secret the channels hold: none may appear in logs or stored errors. */
const SECRETS = [WEBHOOK_PATH, WEBHOOK_SECRET, DINGTALK_TOKEN, DINGTALK_SECRET, SLACK_PATH];

const RETRY: AlertDispatcherOptions['retry'] = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 8_000 };

describe('AlertDispatcher', () => {
  let db: TestDatabase;
  let http: Agent;
  let hook: LoopbackReceiver;
  let robot: LoopbackReceiver;
  let slack: LoopbackReceiver;
  let now: Date;
  let logs: string[];
  let extraDataSources: DataSource[];

  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  const channels = (): AlertChannelConfig[] => [
    webhookChannel(`${hook.origin}${WEBHOOK_PATH}`, WEBHOOK_SECRET, {
      allowInsecureHttp: true,
      minSeverity: 'medium',
    }),
    dingTalkChannel(`${robot.origin}/robot/send?access_token=${DINGTALK_TOKEN}`, DINGTALK_SECRET, {
      allowInsecureHttp: true,
      minSeverity: 'medium',
    }),
    slackChannel(`${slack.origin}${SLACK_PATH}`, { allowInsecureHttp: true, minSeverity: 'medium' }),
  ];

  const config = (channelList: AlertChannelConfig[] = channels()): Pick<AuditConfig, 'alerts' | 'api'> => ({
    alerts: { channels: channelList },
    api: {
      port: 3000,
      rateLimitPerMinute: 600,
      publicBaseUrl: 'https://seed.example.com',
      trustProxy: false,
    },
  });

  const logger = {
    log: (message: unknown) => logs.push(String(message)),
    warn: (message: unknown) => logs.push(String(message)),
    error: (message: unknown) => logs.push(String(message)),
  };

  function dispatcher(
    options: {
      dataSource?: DataSource;
      channels?: AlertChannelConfig[];
      registry?: Registry;
      requestTimeoutMs?: number;
    } = {},
  ): AlertDispatcher {
    return new AlertDispatcher({
      repository: new AlertDeliveryRepository(options.dataSource ?? db.dataSource),
      config: config(options.channels),
      http,
      metrics: new AlertingMetrics(options.registry ?? new Registry()),
      logger,
      clock: () => now,
      random: () => 0.5,
      options: {
        retry: RETRY,
        ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      },
    });
  }

  async function secondDataSource(): Promise<DataSource> {
    const dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    extraDataSources.push(dataSource);
    return dataSource;
  }

  const webhookBodies = () => hook.requests.map((request) => JSON.parse(request.body) as WebhookDigestBody);

  beforeAll(async () => {
    db = await createTestDatabase();
    http = new Agent({ connect: { timeout: 2_000 } });
    [hook, robot, slack] = await Promise.all([
      startLoopbackReceiver(),
      startLoopbackReceiver(),
      startLoopbackReceiver(),
    ]);
  });

  afterAll(async () => {
    await Promise.all([hook.close(), robot.close(), slack.close()]);
    await http.close();
    await db.drop();
  });

  beforeEach(async () => {
    await db.truncate();
    now = START;
    logs = [];
    extraDataSources = [];
    for (const receiver of [hook, robot, slack]) {
      receiver.clearRequests();
    }
    hook.answerWith((request) =>
      verifyWebhookRequest(request, WEBHOOK_SECRET, Math.floor(now.getTime() / 1000)).ok
        ? { status: 204 }
        : { status: 401 },
    );
    robot.answerWith((request) =>
      dingTalkAnswer(verifyDingTalkRequest(request, DINGTALK_TOKEN, DINGTALK_SECRET, now.getTime())),
    );
    slack.answerWith((request) => slackAnswer(request, SLACK_PATH));
  });

  afterEach(async () => {
    await Promise.all(
      extraDataSources
        .filter((dataSource) => dataSource.isInitialized)
        .map((dataSource) => dataSource.destroy()),
    );
    const leaked = logs.filter((line) => SECRETS.some((secret) => line.includes(secret)));
    expect(leaked).toEqual([]);
  });

  describe('wire formats', () => {
    it('sends each channel one digest of the scan, in its format, which its receiver verifies', async () => {
      await recordBucketScan(db.dataSource, now, [
        { name: 'logs-archive', encryptionClass: 'none' },
        { name: 'billing-exports', encryptionClass: 'none' },
        { name: 'cdn-origin', encryptionClass: 'none' },
        { name: 'customer-data', encryptionClass: 'kms_cmk' },
      ]);

      const report = await dispatcher().runOnce();

      expect(report).toEqual({ planned: 3, delivered: 3, retried: 0, failed: 0, errors: 0 });
      const names = ['billing-exports', 'cdn-origin', 'logs-archive'];

      expect(hook.requests).toHaveLength(1);
      const [webhook] = hook.requests;
      expect(webhook?.path).toBe(WEBHOOK_PATH);
      expect(verifyWebhookRequest(webhook!, WEBHOOK_SECRET, Math.floor(now.getTime() / 1000))).toEqual({
        ok: true,
      });
      expect(webhook?.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = webhookBodies()[0]!;
      expect(webhook?.headers['x-seed-delivery']).toBe(body.deliveryKey);
      expect(body).toMatchObject({
        type: 'seed.alert_digest',
        version: 1,
        total: 3,
        omitted: 0,
        maxSeverity: 'high',
      });
      expect(body.alerts.map((alert) => alertSubject(alert))).toEqual(names);
      expect(body.link).toMatch(/^https:\/\/seed\.example\.com\/v1\/alerts\/\d+\/items$/);

      expect(robot.requests).toHaveLength(1);
      const [ding] = robot.requests;
      expect(verifyDingTalkRequest(ding!, DINGTALK_TOKEN, DINGTALK_SECRET, now.getTime())).toEqual({
        ok: true,
      });
      const markdown = JSON.parse(ding!.body) as {
        msgtype: string;
        markdown: { title: string; text: string };
      };
      expect(markdown.msgtype).toBe('markdown');
      expect(markdown.markdown.title).toBe('Seed: 3 new encryption alerts');
      for (const name of names) {
        expect(markdown.markdown.text).toContain(`bucket ${name} (account prod, cn-hangzhou)`);
      }

      expect(slack.requests).toHaveLength(1);
      const [slackRequest] = slack.requests;
      expect(slackRequest?.path).toBe(SLACK_PATH);
      const slackBody = JSON.parse(slackRequest!.body) as { text: string; blocks: { type: string }[] };
      expect(slackBody.text).toBe('Seed: 3 new encryption alerts (scan #1: 3 high)');
      expect(slackBody.blocks.map((block) => block.type)).toEqual([
        'header',
        'section',
        'divider',
        'section',
        'section',
        'context',
      ]);
      for (const name of names) {
        expect(slackRequest?.body).toContain(`bucket ${name}`);
      }
    });

    it('fails a message its receiver rejects and keeps the reason, without the secret', async () => {
      await recordBucketScan(db.dataSource, now, [{ name: 'logs-archive', encryptionClass: 'none' }]);
      const wrongSecret = dingTalkChannel(
        `${robot.origin}/robot/send?access_token=${DINGTALK_TOKEN}`,
        'SECwrong',
        {
          allowInsecureHttp: true,
        },
      );
      const registry = new Registry();

      const report = await dispatcher({ channels: [wrongSecret], registry }).runOnce();

      expect(report).toMatchObject({ planned: 1, delivered: 0, failed: 1 });
      const { items } = await new AlertDeliveryRepository(db.dataSource).listDeliveries({ limit: 10 });
      expect(items).toMatchObject([
        { channel: 'robot', status: 'failed', attempts: 1, lastError: 'errcode 310000 sign not match' },
      ]);
      const metrics = await registry.metrics();
      expect(metrics).toContain('seed_alert_delivery_attempts_total{channel="robot",outcome="failed"} 1');
      expect(metrics).toContain('seed_alert_deliveries{channel="robot",status="failed"} 1');
    });

    it('refuses an http URL on a channel that does not allow it, without sending', async () => {
      await recordBucketScan(db.dataSource, now, [{ name: 'logs-archive', encryptionClass: 'none' }]);
      const insecure = slackChannel(`${slack.origin}${SLACK_PATH}`);

      await dispatcher({ channels: [insecure] }).runOnce();

      expect(slack.requests).toHaveLength(0);
      const { items } = await new AlertDeliveryRepository(db.dataSource).listDeliveries({ limit: 10 });
      expect(items).toMatchObject([
        { status: 'failed', lastError: 'the channel URL must be https (http only with allowInsecureHttp)' },
      ]);
    });
  });

  describe('reliability', () => {
    it('delivers once the receiver is back, exactly once, under the same dedup key', async () => {
      await recordBucketScan(db.dataSource, now, [{ name: 'logs-archive', encryptionClass: 'none' }]);
      const webhookOnly = [channels()[0]!];
      await hook.down();
      try {
        expect(await dispatcher({ channels: webhookOnly }).runOnce()).toMatchObject({
          planned: 1,
          retried: 1,
        });
        const [pending] = (await new AlertDeliveryRepository(db.dataSource).listDeliveries({ limit: 1 }))
          .items;
        expect(pending).toMatchObject({
          status: 'pending',
          attempts: 1,
          lastError: 'network error ECONNREFUSED',
        });

        expect(await dispatcher({ channels: webhookOnly }).runOnce()).toMatchObject({
          retried: 0,
          delivered: 0,
        });
        advance(10_000);
        expect(await dispatcher({ channels: webhookOnly }).runOnce()).toMatchObject({ retried: 1 });
      } finally {
        await hook.up();
      }
      let answered = 0;
      hook.answerWith(() => {
        answered += 1;
        return answered === 1 ? { status: 503 } : { status: 204 };
      });
      advance(10_000);
      expect(await dispatcher({ channels: webhookOnly }).runOnce()).toMatchObject({ retried: 1 });
      advance(10_000);
      expect(await dispatcher({ channels: webhookOnly }).runOnce()).toMatchObject({ delivered: 1 });
      advance(60_000);
      expect(await dispatcher({ channels: webhookOnly }).runOnce()).toMatchObject({
        delivered: 0,
        retried: 0,
      });

      const keys = hook.requests.map((request) => request.headers['x-seed-delivery']);
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(1);
      const [delivered] = (await new AlertDeliveryRepository(db.dataSource).listDeliveries({ limit: 1 }))
        .items;
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 4, dedupeKey: keys[0] });
    });

    it('loses nothing when the dispatcher is replaced by a new one on the same database between attempts', async () => {
      await recordBucketScan(db.dataSource, now, [{ name: 'logs-archive', encryptionClass: 'none' }]);
      const webhookOnly = [channels()[0]!];
      hook.answerWith(() => ({ status: 503 }));
      const first = await secondDataSource();
      const before = dispatcher({ dataSource: first, channels: webhookOnly });
      expect(await before.runOnce()).toMatchObject({ planned: 1, retried: 1 });
      await before.stop();
      await first.destroy();

      hook.answerWith(() => ({ status: 204 }));
      advance(10_000);
      const after = dispatcher({ dataSource: await secondDataSource(), channels: webhookOnly });
      expect(await after.runOnce()).toMatchObject({ planned: 0, delivered: 1 });

      expect(hook.requests).toHaveLength(2);
      expect(hook.requests[1]?.headers['x-seed-delivery']).toBe(hook.requests[0]?.headers['x-seed-delivery']);
      expect(hook.requests[1]?.body).toBe(hook.requests[0]?.body);
    });

    it('never sends a delivery twice when two dispatchers run side by side', async () => {
      for (let scan = 0; scan < 4; scan += 1) {
        await recordBucketScan(db.dataSource, new Date(START.getTime() + scan * 60_000), [
          { name: `bucket-${scan.toString()}`, encryptionClass: 'none' },
        ]);
      }
      // Slow answers keep each send in flight long enough for the other dispatcher to run into it.
      const slow = <T>(answer: T) =>
        new Promise<T>((resolve) => {
          setTimeout(() => {
            resolve(answer);
          }, 20);
        });
      hook.answerWith(() => slow({ status: 204 }));
      robot.answerWith((request) =>
        slow(dingTalkAnswer(verifyDingTalkRequest(request, DINGTALK_TOKEN, DINGTALK_SECRET, now.getTime()))),
      );
      slack.answerWith((request) => slow(slackAnswer(request, SLACK_PATH)));
      const one = dispatcher({ dataSource: await secondDataSource() });
      const two = dispatcher({ dataSource: await secondDataSource() });

      const reports: DispatchReport[] = [];
      for (let round = 0; round < 6; round += 1) {
        reports.push(...(await Promise.all([one.runOnce(), two.runOnce()])));
        advance(5_000);
      }

      const total = (key: 'planned' | 'delivered' | 'retried' | 'failed') =>
        reports.reduce((sum, report) => sum + report[key], 0);
      expect({ planned: total('planned'), delivered: total('delivered'), retried: total('retried') }).toEqual(
        {
          planned: 12,
          delivered: 12,
          retried: 0,
        },
      );
      const keys = [hook, robot, slack].flatMap((receiver) =>
        receiver.requests.map((request) => `${receiver.origin} ${deliveryKeyOf(request)}`),
      );
      expect(keys).toHaveLength(12);
      expect(new Set(keys).size).toBe(12);
    });

    it('abandons an attempt the receiver never answers at its deadline, and retries it later', async () => {
      await recordBucketScan(db.dataSource, now, [{ name: 'logs-archive', encryptionClass: 'none' }]);
      hook.answerWith(() => new Promise(() => undefined));

      const report = await dispatcher({ channels: [channels()[0]!], requestTimeoutMs: 200 }).runOnce();

      expect(report).toMatchObject({ planned: 1, retried: 1 });
      const [pending] = (await new AlertDeliveryRepository(db.dataSource).listDeliveries({ limit: 1 })).items;
      expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastError: 'network error TIMEOUT' });
    });

    it('gives up after the last attempt and keeps the failure visible', async () => {
      await recordBucketScan(db.dataSource, now, [{ name: 'logs-archive', encryptionClass: 'none' }]);
      hook.answerWith(() => ({ status: 500 }));
      const registry = new Registry();
      const webhookOnly = [channels()[0]!];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        await dispatcher({ channels: webhookOnly, registry }).runOnce();
        advance(10_000);
      }

      expect(hook.requests).toHaveLength(4);
      const [failed] = (await new AlertDeliveryRepository(db.dataSource).listDeliveries({ limit: 1 })).items;
      expect(failed).toMatchObject({
        status: 'failed',
        attempts: 4,
        nextAttemptAt: null,
        lastError: 'HTTP 500 (gave up after 4 attempts)',
      });
      const metrics = await registry.metrics();
      expect(metrics).toContain('seed_alert_delivery_attempts_total{channel="hook",outcome="retry"} 3');
      expect(metrics).toContain('seed_alert_delivery_attempts_total{channel="hook",outcome="failed"} 1');
    });

    it('keeps a Slack channel at one message per second, across dispatchers', async () => {
      await recordBucketScan(db.dataSource, now, [{ name: 'a', encryptionClass: 'none' }]);
      await recordBucketScan(db.dataSource, new Date(START.getTime() + 1), [
        { name: 'b', encryptionClass: 'none' },
      ]);
      const slackOnly = [channels()[2]!];

      expect(await dispatcher({ channels: slackOnly }).runOnce()).toMatchObject({ planned: 2, delivered: 1 });
      expect(await dispatcher({ channels: slackOnly }).runOnce()).toMatchObject({ delivered: 0 });
      advance(999);
      expect(await dispatcher({ channels: slackOnly }).runOnce()).toMatchObject({ delivered: 0 });
      advance(1);
      expect(await dispatcher({ channels: slackOnly }).runOnce()).toMatchObject({ delivered: 1 });
      expect(slack.requests).toHaveLength(2);
    });
  });

  describe('routing', () => {
    it('plans nothing for a channel whose routing accepts none of the new alerts', async () => {
      await recordBucketScan(db.dataSource, now, [{ name: 'logs-archive', encryptionClass: 'none' }]);
      const onlyStaging = webhookChannel(`${hook.origin}${WEBHOOK_PATH}`, WEBHOOK_SECRET, {
        allowInsecureHttp: true,
        accounts: ['staging'],
      });

      expect(await dispatcher({ channels: [onlyStaging] }).runOnce()).toMatchObject({ planned: 0 });
      expect(hook.requests).toHaveLength(0);
    });

    it('does not send a channel added later the alerts of long ago', async () => {
      await recordBucketScan(db.dataSource, now, [{ name: 'old-bucket', encryptionClass: 'none' }]);
      advance(3 * 24 * 60 * 60_000);

      expect(await dispatcher().runOnce()).toMatchObject({ planned: 0 });
      await recordBucketScan(db.dataSource, now, [
        { name: 'old-bucket', encryptionClass: 'none' },
        { name: 'new-bucket', encryptionClass: 'none' },
      ]);
      expect(await dispatcher().runOnce()).toMatchObject({ planned: 3, delivered: 3 });
      expect(webhookBodies()[0]?.alerts.map((alert) => alertSubject(alert))).toEqual(['new-bucket']);
    });
  });
});

function deliveryKeyOf(request: ReceivedRequest): string {
  const header = request.headers['x-seed-delivery'];
  if (typeof header === 'string') {
    return header;
  }
  return /Delivery ([0-9a-f-]{36})/.exec(request.body)?.[1] ?? 'none';
}

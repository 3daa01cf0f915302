import type { FleetSpec } from '@app/oss-emulator';
import { AlertDeliveryRepository } from '@app/persistence';
import { startScanEnvironment, storeApprovedException, type ScanEnvironment } from '@app/testing';
import { Registry } from 'prom-client';
import { Agent } from 'undici';

import { AlertDispatcher } from './alert-dispatcher';
import { AlertingMetrics } from './alerting-metrics';
import { alertSubject } from './testing/alert-fixtures';
import {
  dingTalkAnswer,
  type LoopbackReceiver,
  slackAnswer,
  startLoopbackReceiver,
  verifyDingTalkRequest,
  verifyWebhookRequest,
} from './testing/loopback-receiver';
import type { WebhookDigestBody } from './webhook-message';

const WEBHOOK_SECRET = 'whsec-scan-41c9';
const DINGTALK_TOKEN = 'tok-scan-7d20';
const DINGTALK_SECRET = 'SECscan5e81';
const SLACK_PATH = '/services/T9/B9/scan-c0ffee';

const FLEET: FleetSpec = {
  accounts: [
    {
      id: '1357924680135792',
      accessKeys: [
        { accessKeyId: 'LTAI5tAlertScanTest00001', accessKeySecret: 'alert-scan-secret-000000000001' },
      ],
      buckets: [
        { name: 'logs-archive', region: 'cn-hangzhou' },
        { name: 'billing-exports', region: 'cn-hangzhou' },
        { name: 'cdn-origin', region: 'cn-hangzhou', encryption: null },
        {
          name: 'customer-data',
          region: 'cn-hangzhou',
          encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: 'key-0001' },
        },
      ],
      tableBuckets: [],
      kmsKeys: [
        {
          keyId: 'key-0001',
          region: 'cn-hangzhou',
          automaticRotation: 'Enabled',
          deletionProtection: 'Enabled',
        },
      ],
    },
  ],
};

const NEW_UNENCRYPTED = ['billing-exports', 'cdn-origin', 'logs-archive'];

/**
 * Alerts end to end: real scans of an emulated fleet (the scanner, its job engine and Postgres)
 * write the outbox; the dispatcher delivers it to receivers on loopback that verify each message
 * the way a webhook consumer, DingTalk and Slack would.
 */
describe('alerts from real scans', () => {
  let hook: LoopbackReceiver;
  let robot: LoopbackReceiver;
  let slack: LoopbackReceiver;
  let env: ScanEnvironment;
  let http: Agent;
  let dispatcher: AlertDispatcher;
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);

  beforeAll(async () => {
    [hook, robot, slack] = await Promise.all([
      startLoopbackReceiver(),
      startLoopbackReceiver(),
      startLoopbackReceiver(),
    ]);
    hook.answerWith((request) =>
      verifyWebhookRequest(request, WEBHOOK_SECRET, Math.floor(now().getTime() / 1000)).ok
        ? { status: 204 }
        : { status: 401 },
    );
    robot.answerWith((request) =>
      dingTalkAnswer(verifyDingTalkRequest(request, DINGTALK_TOKEN, DINGTALK_SECRET, now().getTime())),
    );
    slack.answerWith((request) => slackAnswer(request, SLACK_PATH));
    const routing = { minSeverity: 'medium', allowInsecureHttp: true };
    env = await startScanEnvironment({
      fleet: FLEET,
      extra: {
        api: { publicBaseUrl: 'https://seed.example.com' },
        alerts: {
          channels: [
            {
              type: 'webhook',
              name: 'hook',
              urlEnv: 'ALERT_HOOK_URL',
              secretEnv: 'ALERT_HOOK_SECRET',
              ...routing,
            },
            {
              type: 'dingtalk',
              name: 'robot',
              urlEnv: 'ALERT_ROBOT_URL',
              secretEnv: 'ALERT_ROBOT_SECRET',
              ...routing,
            },
            { type: 'slack', name: 'slack', urlEnv: 'ALERT_SLACK_URL', ...routing },
          ],
        },
      },
      extraEnv: {
        ALERT_HOOK_URL: `${hook.origin}/hooks/in`,
        ALERT_HOOK_SECRET: WEBHOOK_SECRET,
        ALERT_ROBOT_URL: `${robot.origin}/robot/send?access_token=${DINGTALK_TOKEN}`,
        ALERT_ROBOT_SECRET: DINGTALK_SECRET,
        ALERT_SLACK_URL: `${slack.origin}${SLACK_PATH}`,
      },
    });
    http = new Agent();
    dispatcher = new AlertDispatcher({
      repository: new AlertDeliveryRepository(env.database.dataSource),
      config: env.config,
      http,
      metrics: new AlertingMetrics(new Registry()),
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
      clock: now,
      random: () => 0.5,
    });
  }, 60_000);

  afterAll(async () => {
    await env.close();
    await http.close();
    await Promise.all([hook.close(), robot.close(), slack.close()]);
  });

  const lastWebhookBody = () => JSON.parse(hook.requests.at(-1)?.body ?? '{}') as WebhookDigestBody;
  const lastMessage = (receiver: LoopbackReceiver) => receiver.requests.at(-1)?.body ?? '';

  it('sends one digest per channel naming the 3 new unencrypted buckets', async () => {
    await env.runScan();

    expect(await dispatcher.runOnce()).toEqual({
      planned: 3,
      delivered: 3,
      retried: 0,
      failed: 0,
      errors: 0,
    });

    expect([hook, robot, slack].map((receiver) => receiver.requests.length)).toEqual([1, 1, 1]);
    const body = lastWebhookBody();
    expect(body.total).toBe(3);
    expect(body.alerts.map((alert) => [alert.type, alertSubject(alert)])).toEqual(
      NEW_UNENCRYPTED.map((name) => ['finding_opened', name]),
    );
    for (const receiver of [robot, slack]) {
      const text = lastMessage(receiver);
      for (const name of NEW_UNENCRYPTED) {
        expect(text).toContain(`bucket ${name} (account account-1, cn-hangzhou)`);
      }
      expect(text).not.toContain('customer-data');
    }
  });

  it('sends nothing after the next, unchanged scan', async () => {
    offsetMs += 60_000;
    await env.runScan();

    expect(await dispatcher.runOnce()).toEqual({
      planned: 0,
      delivered: 0,
      retried: 0,
      failed: 0,
      errors: 0,
    });
    expect([hook, robot, slack].map((receiver) => receiver.requests.length)).toEqual([1, 1, 1]);
  });

  it('sends one alert when a bucket encryption weakens', async () => {
    env.emulator.state.setBucketEncryption('customer-data', { sseAlgorithm: 'AES256' });
    offsetMs += 60_000;
    await env.runScan();

    expect(await dispatcher.runOnce()).toEqual({
      planned: 3,
      delivered: 3,
      retried: 0,
      failed: 0,
      errors: 0,
    });

    expect([hook, robot, slack].map((receiver) => receiver.requests.length)).toEqual([2, 2, 2]);
    const body = lastWebhookBody();
    expect(body.total).toBe(1);
    expect(body.alerts).toMatchObject([
      {
        type: 'encryption_weakened',
        severity: 'medium',
        resource: { name: 'customer-data' },
        before: { encryptionClass: 'kms_cmk' },
        after: { encryptionClass: 'oss_aes256' },
      },
    ]);
    for (const receiver of [robot, slack]) {
      expect(lastMessage(receiver)).toContain(
        'bucket customer-data (account account-1, cn-hangzhou): encryption weakened from KMS with a customer key to OSS-managed AES256',
      );
    }
  });

  it('sends an exception entering the expiry window once, across two scans, to every channel', async () => {
    // The scans run on the real clock; the dispatcher's is ahead of it.
    await storeApprovedException(
      env.database.dataSource,
      'exc-cdn-origin',
      {
        scope: { type: 'resource', resourceKey: 'oss:cdn-origin' },
        controlIds: [],
        findingRules: ['unencrypted'],
        reason: 'The CDN origin serves public assets only',
        ticketUrl: 'https://jira.example.com/browse/SEC-51',
        expiresAt: new Date(Date.now() + 5 * 86_400_000),
      },
      new Date(),
    );
    offsetMs += 60_000;
    await env.runScan();
    expect(await dispatcher.runOnce()).toMatchObject({ planned: 3, delivered: 3 });
    offsetMs += 60_000;
    await env.runScan();
    expect(await dispatcher.runOnce()).toMatchObject({ planned: 0, delivered: 0 });

    expect([hook, robot, slack].map((receiver) => receiver.requests.length)).toEqual([3, 3, 3]);
    const body = lastWebhookBody();
    expect(body.total).toBe(1);
    expect(body.alerts).toMatchObject([
      {
        type: 'exception_expiring',
        severity: 'medium',
        exception: {
          id: 'exc-cdn-origin',
          scope: 'resource oss:cdn-origin',
          accountAlias: 'account-1',
          owner: 'erin@example.com',
          approver: 'bob@example.com',
          ticketUrl: 'https://jira.example.com/browse/SEC-51',
          findingRules: ['unencrypted'],
        },
      },
    ]);
    for (const receiver of [robot, slack]) {
      expect(lastMessage(receiver)).toContain(
        'Exception exc-cdn-origin (owner erin@example.com): expires on ',
      );
    }
  });
});

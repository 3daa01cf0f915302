import { buildDigest, type AlertDigest } from './alert-digest';
import { toAlertEvent } from './alert-event';
import { dingTalkMessage, dingTalkRequest } from './dingtalk-message';
import { slackMessage, slackRequest } from './slack-message';
import {
  CREATED_AT,
  exceptionExpiringRecord,
  exceptionStaleRecord,
  findingOpenedRecord,
  weakenedRecord,
} from './testing/alert-fixtures';
import { webhookBody, webhookRequest } from './webhook-message';

const SIGNED_AT = new Date('2026-03-02T02:05:00.000Z');
const KEY = '0b5e4c1e-8d0f-4d8e-9d3a-3f2a1c9e7b11';

function digest(overrides: { alertCount?: number; link?: string | null } = {}): AlertDigest {
  const alerts = [
    toAlertEvent(findingOpenedRecord('logs', { id: 1 })),
    toAlertEvent(weakenedRecord('data', 'kms_cmk', 'oss_aes256', { id: 2 })),
  ];
  return buildDigest({
    delivery: {
      id: 42,
      dedupeKey: KEY,
      channel: 'ops',
      scanId: 7,
      createdAt: CREATED_AT,
      alertCount: overrides.alertCount ?? 2,
      maxSeverity: 'high',
    },
    severityCounts: { high: 1, medium: (overrides.alertCount ?? 2) - 1 },
    alerts,
    size: 20,
    publicBaseUrl: overrides.link === undefined ? 'https://seed.example.com' : overrides.link,
  });
}

describe('webhook format', () => {
  it('sends the digest as versioned JSON', () => {
    expect(webhookBody(digest())).toEqual({
      type: 'seed.alert_digest',
      version: 1,
      deliveryKey: KEY,
      channel: 'ops',
      scanId: 7,
      createdAt: '2026-03-02T02:00:00.000Z',
      title: 'Seed: 2 new encryption alerts',
      total: 2,
      omitted: 0,
      maxSeverity: 'high',
      severityCounts: { high: 1, medium: 1 },
      link: 'https://seed.example.com/v1/alerts/42/items',
      alerts: [
        {
          type: 'finding_opened',
          dedupeKey: 'finding_opened:logs:unencrypted',
          severity: 'high',
          createdAt: '2026-03-02T02:00:00.000Z',
          resource: {
            key: 'oss:logs',
            kind: 'bucket',
            accountAlias: 'prod',
            region: 'cn-hangzhou',
            name: 'logs',
          },
          rule: 'unencrypted',
          title: 'Bucket has no server-side encryption',
          message: 'Bucket logs ...',
          encryption: { encryptionClass: 'none', algorithm: null, kmsKeyId: null, kmsDataEncryption: null },
        },
        {
          type: 'encryption_weakened',
          dedupeKey: 'encryption_weakened:oss:data:9',
          severity: 'medium',
          createdAt: '2026-03-02T02:00:00.000Z',
          resource: {
            key: 'oss:data',
            kind: 'bucket',
            accountAlias: 'prod',
            region: 'cn-shanghai',
            name: 'data',
          },
          before: {
            encryptionClass: 'kms_cmk',
            algorithm: 'KMS',
            kmsKeyId: 'key-1',
            kmsDataEncryption: null,
          },
          after: {
            encryptionClass: 'oss_aes256',
            algorithm: 'AES256',
            kmsKeyId: null,
            kmsDataEncryption: null,
          },
          changedFields: ['encryptionClass', 'algorithm'],
        },
      ],
    });
  });

  it('signs the exact body with the timestamp header, in Unix seconds', () => {
    const request = webhookRequest('https://hooks.example.com/in', 'whsec-test', digest(), SIGNED_AT);
    expect(request.headers['x-seed-timestamp']).toBe('1772417100');
    expect(request.headers['x-seed-delivery']).toBe(KEY);
    expect(request.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(request.body)).toEqual(webhookBody(digest()));
  });
});

describe('DingTalk format', () => {
  it('is a markdown message listing each alert, the link and the delivery key', () => {
    expect(dingTalkMessage(digest())).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: 'Seed: 2 new encryption alerts',
        text: [
          '### Seed: 2 new encryption alerts',
          'Scan #7: 1 high, 1 medium',
          [
            '- **HIGH** bucket logs (account prod, cn-hangzhou): Bucket has no server-side encryption',
            '- **MEDIUM** bucket data (account prod, cn-shanghai): encryption weakened from KMS with a customer key to OSS-managed AES256',
          ].join('\n'),
          '[All 2 alerts of this message](https://seed.example.com/v1/alerts/42/items)',
          `Delivery ${KEY}`,
        ].join('\n\n'),
      },
    });
  });

  it('says how many more there are, and leaves the link out without a public base URL', () => {
    const text = dingTalkMessage(digest({ alertCount: 7, link: null })).markdown.text;
    expect(text).toContain('- and 5 more');
    expect(text).not.toContain('](');
  });

  it('posts to the robot URL as is when the robot has no secret', () => {
    const url = 'https://oapi.dingtalk.com/robot/send?access_token=abc';
    expect(dingTalkRequest(url, null, digest(), SIGNED_AT).url).toBe(url);
  });

  it('signs the robot URL with the millisecond timestamp when the robot has a secret', () => {
    const request = dingTalkRequest(
      'https://oapi.dingtalk.com/robot/send?access_token=abc',
      'SECx',
      digest(),
      SIGNED_AT,
    );
    expect(request.url).toMatch(
      /^https:\/\/oapi\.dingtalk\.com\/robot\/send\?access_token=abc&timestamp=1772417100000&sign=[A-Za-z0-9%]+$/,
    );
  });
});

describe('Slack format', () => {
  it('is Block Kit with a plain-text fallback', () => {
    expect(slackMessage(digest())).toEqual({
      text: 'Seed: 2 new encryption alerts (scan #7: 1 high, 1 medium)',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Seed: 2 new encryption alerts' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Scan #7*: 1 high, 1 medium' } },
        { type: 'divider' },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              '• *HIGH* bucket logs (account prod, cn-hangzhou): Bucket has no server-side encryption',
              '• *MEDIUM* bucket data (account prod, cn-shanghai): encryption weakened from KMS with a customer key to OSS-managed AES256',
            ].join('\n'),
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '<https://seed.example.com/v1/alerts/42/items|All 2 alerts of this message>',
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `Delivery ${KEY}` }] },
      ],
    });
  });

  it('escapes the characters Slack reserves', () => {
    const record = findingOpenedRecord('logs');
    const event = toAlertEvent({ ...record, payload: { ...record.payload, title: 'a <b> & c' } });
    const message = slackMessage({ ...digest(), alerts: [event] });
    expect(JSON.stringify(message.blocks)).toContain('a &lt;b&gt; &amp; c');
  });

  it('splits long lists into sections of at most 3000 characters', () => {
    const many = Array.from({ length: 200 }, (_, index) =>
      toAlertEvent(
        findingOpenedRecord(`bucket-with-a-rather-long-name-${index.toString()}`, { id: index + 1 }),
      ),
    );
    const blocks = slackMessage({ ...digest({ alertCount: 200 }), alerts: many }).blocks;
    const sections = blocks.flatMap((block) => (block.type === 'section' ? [block.text.text] : []));
    expect(sections.length).toBeGreaterThan(3);
    expect(sections.every((text) => text.length <= 3000)).toBe(true);
  });

  it('posts to the webhook URL unchanged', () => {
    expect(slackRequest('https://hooks.slack.com/services/T/B/X', digest()).url).toBe(
      'https://hooks.slack.com/services/T/B/X',
    );
  });
});

describe('exception alerts in every format', () => {
  const exceptionDigest = buildDigest({
    delivery: {
      id: 43,
      dedupeKey: KEY,
      channel: 'ops',
      scanId: 7,
      createdAt: CREATED_AT,
      alertCount: 2,
      maxSeverity: 'medium',
    },
    severityCounts: { medium: 1, low: 1 },
    alerts: [
      toAlertEvent(exceptionExpiringRecord('exc-legacy', { id: 3 })),
      toAlertEvent(exceptionStaleRecord('exc-tmp', { id: 4 })),
    ],
    size: 20,
    publicBaseUrl: null,
  });

  it('sends the exception, its owner, approver, ticket and dates in the webhook JSON', () => {
    const body = webhookBody(exceptionDigest);
    expect(body.title).toBe('Seed: 2 new encryption alerts');
    expect(body.severityCounts).toEqual({ medium: 1, low: 1 });
    expect(body.alerts).toEqual([
      expect.objectContaining({
        type: 'exception_expiring',
        exception: expect.objectContaining({
          id: 'exc-legacy',
          owner: 'owner@example.com',
          approver: 'approver@example.com',
          ticketUrl: 'https://tickets.example.com/SEC-1',
          expiresAt: '2026-03-10T00:00:00.000Z',
        }) as unknown,
      }),
      expect.objectContaining({ type: 'exception_stale', staleScanId: 6 }),
    ]);
  });

  it('lists a line per exception in DingTalk markdown', () => {
    const { text } = dingTalkMessage(exceptionDigest).markdown;
    expect(text).toContain(
      '- **MEDIUM** Exception exc-legacy (owner owner@example.com): expires on 2026-03-10 (resource oss:legacy)',
    );
    expect(text).toContain(
      '- **LOW** Exception exc-tmp (owner owner@example.com): matches no resource since scan #6',
    );
  });

  it('lists a line per exception in Slack', () => {
    const text = slackMessage(exceptionDigest)
      .blocks.flatMap((block) => (block.type === 'section' ? [block.text.text] : []))
      .join('\n');
    expect(text).toContain(
      '• *MEDIUM* Exception exc-legacy (owner owner@example.com): expires on 2026-03-10',
    );
    expect(text).toContain(
      '• *LOW* Exception exc-tmp (owner owner@example.com): matches no resource since scan #6',
    );
  });
});

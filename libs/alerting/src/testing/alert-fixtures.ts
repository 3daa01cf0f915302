import type { EncryptionClass, FindingRule, Severity } from '@app/audit';
import { type AlertChannelConfig, type AlertRoutingConfig, Secret } from '@app/config';
import type { OutboxAlertRecord } from '@app/persistence';
import { recordScan, seenBucket } from '@app/testing';
import type { DataSource } from 'typeorm';

import type { EncryptionSummary } from '../alert-event';
import type { WebhookAlert } from '../webhook-message';

/** Factories for alerting's tests (not exported from the library). */
export const CREATED_AT = new Date('2026-03-02T02:00:00.000Z');

export function encryption(encryptionClass: string): EncryptionSummary {
  const algorithm: Record<string, string | null> = {
    kms_cmk: 'KMS',
    kms_default: 'KMS',
    oss_aes256: 'AES256',
    oss_sm4: 'SM4',
    none: null,
  };
  return {
    encryptionClass,
    algorithm: algorithm[encryptionClass] ?? null,
    kmsKeyId: encryptionClass === 'kms_cmk' ? 'key-1' : null,
    kmsDataEncryption: null,
  };
}

/** An outbox row as the scanner's evaluator writes it for a new finding. */
export function findingOpenedRecord(
  name: string,
  overrides: {
    rule?: FindingRule;
    severity?: Severity;
    accountAlias?: string;
    id?: number;
    scanId?: number;
  } = {},
): OutboxAlertRecord {
  const rule = overrides.rule ?? 'unencrypted';
  return {
    id: overrides.id ?? 1,
    dedupeKey: `finding_opened:${name}:${rule}`,
    scanId: overrides.scanId ?? 7,
    eventType: 'finding_opened',
    severity: overrides.severity ?? 'high',
    resourceId: 100,
    findingId: '00000000-0000-4000-8000-000000000001',
    driftEventId: null,
    exceptionId: null,
    createdAt: CREATED_AT,
    payload: {
      resourceKey: `oss:${name}`,
      resourceKind: 'bucket',
      accountAlias: overrides.accountAlias ?? 'prod',
      region: 'cn-hangzhou',
      name,
      rule,
      title:
        rule === 'unencrypted'
          ? 'Bucket has no server-side encryption'
          : 'Bucket uses OSS-managed keys, not KMS',
      message: `Bucket ${name} ...`,
      encryption: encryption(rule === 'unencrypted' ? 'none' : 'oss_aes256'),
    },
  };
}

/** An outbox row as the scanner's evaluator writes it for a weakening. */
export function weakenedRecord(
  name: string,
  from: string,
  to: string,
  overrides: { severity?: Severity; accountAlias?: string; id?: number } = {},
): OutboxAlertRecord {
  return {
    id: overrides.id ?? 2,
    dedupeKey: `encryption_weakened:oss:${name}:9`,
    scanId: 7,
    eventType: 'encryption_weakened',
    severity: overrides.severity ?? 'medium',
    resourceId: 101,
    findingId: null,
    driftEventId: 55,
    exceptionId: null,
    createdAt: CREATED_AT,
    payload: {
      resourceKey: `oss:${name}`,
      resourceKind: 'bucket',
      accountAlias: overrides.accountAlias ?? 'prod',
      region: 'cn-shanghai',
      name,
      before: encryption(from),
      after: encryption(to),
      changedFields: ['encryptionClass', 'algorithm'],
    },
  };
}

/** An outbox row as the scan's evaluation writes it for an exception entering the expiry window. */
export function exceptionExpiringRecord(
  exceptionId: string,
  overrides: { severity?: Severity; id?: number; accountAlias?: string | null } = {},
): OutboxAlertRecord {
  return {
    id: overrides.id ?? 3,
    dedupeKey: `exception_expiring:${exceptionId}:2026-03-10T00:00:00.000Z`,
    scanId: 7,
    eventType: 'exception_expiring',
    severity: overrides.severity ?? 'medium',
    resourceId: null,
    findingId: null,
    driftEventId: null,
    exceptionId,
    createdAt: CREATED_AT,
    payload: exceptionPayload(
      exceptionId,
      overrides.accountAlias === undefined ? 'prod' : overrides.accountAlias,
    ),
  };
}

/** An outbox row as the scan's evaluation writes it for an exception that covers nothing any more. */
export function exceptionStaleRecord(
  exceptionId: string,
  overrides: { severity?: Severity; id?: number } = {},
): OutboxAlertRecord {
  return {
    id: overrides.id ?? 4,
    dedupeKey: `exception_stale:${exceptionId}:6`,
    scanId: 7,
    eventType: 'exception_stale',
    severity: overrides.severity ?? 'low',
    resourceId: null,
    findingId: null,
    driftEventId: null,
    exceptionId,
    createdAt: CREATED_AT,
    payload: {
      ...exceptionPayload(exceptionId, 'prod'),
      scope: {
        type: 'names',
        accountAlias: 'prod',
        namePatterns: ['tmp-*'],
        region: 'cn-hangzhou',
        resourceKind: 'bucket',
      },
      staleSince: '2026-03-01T02:00:00.000Z',
      staleScanId: 6,
    },
  };
}

function exceptionPayload(exceptionId: string, accountAlias: string | null): Record<string, unknown> {
  return {
    exceptionId,
    scope: { type: 'resource', resourceKey: 'oss:legacy' },
    accountAlias,
    controlIds: ['cis-5.8'],
    findingRules: ['unencrypted'],
    owner: 'owner@example.com',
    approver: 'approver@example.com',
    ticketUrl: 'https://tickets.example.com/SEC-1',
    expiresAt: '2026-03-10T00:00:00.000Z',
  };
}

export function routing(overrides: Partial<AlertRoutingConfig> = {}): AlertRoutingConfig {
  return {
    name: 'ops',
    minSeverity: 'high',
    rules: null,
    accounts: null,
    includeNonKms: false,
    allowInsecureHttp: false,
    ...overrides,
  };
}

export function webhookChannel(
  url: string,
  secret: string,
  overrides: Partial<AlertRoutingConfig> = {},
): AlertChannelConfig {
  return {
    type: 'webhook',
    ...routing({ name: 'hook', ...overrides }),
    url: new Secret(url),
    secret: new Secret(secret),
  };
}

export function dingTalkChannel(
  url: string,
  secret: string | null,
  overrides: Partial<AlertRoutingConfig> = {},
): AlertChannelConfig {
  return {
    type: 'dingtalk',
    ...routing({ name: 'robot', ...overrides }),
    url: new Secret(url),
    secret: secret === null ? null : new Secret(secret),
  };
}

export function slackChannel(url: string, overrides: Partial<AlertRoutingConfig> = {}): AlertChannelConfig {
  return { type: 'slack', ...routing({ name: 'slack', ...overrides }), url: new Secret(url) };
}

/** One bucket as a recorded scan saw it. */
export interface SeenBucket {
  readonly name: string;
  readonly encryptionClass: Exclude<EncryptionClass, 'unknown'>;
  readonly accountAlias?: string;
}

/**
 * Records one whole scan of buckets through the real write path (evaluated at `at`, so its alerts
 * are created then); buckets not listed are left alone. Returns the scan id.
 */
export async function recordBucketScan(
  dataSource: DataSource,
  at: Date,
  buckets: readonly SeenBucket[],
): Promise<number> {
  const scan = await recordScan(
    dataSource,
    at,
    buckets.map((bucket) =>
      seenBucket(bucket.name, bucket.encryptionClass, { accountAlias: bucket.accountAlias ?? 'prod' }),
    ),
    { evaluatedAt: at, listingsComplete: false },
  );
  return scan.id;
}

/** What a webhook alert is about, by name: the resource's, or the exception's id. */
export function alertSubject(alert: WebhookAlert): string {
  return 'resource' in alert ? alert.resource.name : alert.exception.id;
}

import { toAlertEvent } from './alert-event';
import {
  CREATED_AT,
  exceptionExpiringRecord,
  exceptionStaleRecord,
  findingOpenedRecord,
  weakenedRecord,
} from './testing/alert-fixtures';

describe('toAlertEvent', () => {
  it('reads a new finding as the scanner writes it', () => {
    expect(toAlertEvent(findingOpenedRecord('logs'))).toEqual({
      type: 'finding_opened',
      outboxId: 1,
      dedupeKey: 'finding_opened:logs:unencrypted',
      severity: 'high',
      scanId: 7,
      createdAt: CREATED_AT,
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
    });
  });

  it('reads a weakening with its before, after and changed fields', () => {
    const event = toAlertEvent(weakenedRecord('data', 'kms_cmk', 'oss_aes256'));
    expect(event).toMatchObject({
      type: 'encryption_weakened',
      before: { encryptionClass: 'kms_cmk', kmsKeyId: 'key-1' },
      after: { encryptionClass: 'oss_aes256', algorithm: 'AES256' },
      changedFields: ['encryptionClass', 'algorithm'],
    });
  });

  it('reads missing or mistyped payload fields as null instead of failing', () => {
    const record = {
      ...findingOpenedRecord('x'),
      payload: { rule: 'no_such_rule', name: 42, encryption: 'none' },
    };
    expect(toAlertEvent(record)).toMatchObject({
      rule: null,
      title: null,
      encryption: null,
      resource: { key: 'resource:100', kind: null, accountAlias: null, region: null, name: 'resource 100' },
    });
  });

  it('reads an expiring exception with its scope, coverage, people, ticket and expiry', () => {
    expect(toAlertEvent(exceptionExpiringRecord('exc-legacy'))).toEqual({
      type: 'exception_expiring',
      outboxId: 3,
      dedupeKey: 'exception_expiring:exc-legacy:2026-03-10T00:00:00.000Z',
      severity: 'medium',
      scanId: 7,
      createdAt: CREATED_AT,
      exception: {
        id: 'exc-legacy',
        scope: 'resource oss:legacy',
        accountAlias: 'prod',
        controlIds: ['cis-5.8'],
        findingRules: ['unencrypted'],
        owner: 'owner@example.com',
        approver: 'approver@example.com',
        ticketUrl: 'https://tickets.example.com/SEC-1',
        expiresAt: '2026-03-10T00:00:00.000Z',
      },
    });
  });

  it('reads a stale exception with its name-glob scope and the scan that first found it stale', () => {
    expect(toAlertEvent(exceptionStaleRecord('exc-tmp'))).toMatchObject({
      type: 'exception_stale',
      exception: { id: 'exc-tmp', scope: 'account prod, cn-hangzhou, bucket names tmp-*' },
      staleSince: '2026-03-01T02:00:00.000Z',
      staleScanId: 6,
    });
  });

  it('reads a mistyped exception payload as nulls, naming the exception by its outbox column', () => {
    const record = {
      ...exceptionStaleRecord('exc-odd'),
      payload: { scope: 'everything', findingRules: ['no_such_rule', 3], owner: 7, staleScanId: '6' },
    };
    expect(toAlertEvent(record)).toMatchObject({
      exception: { id: 'exc-odd', scope: 'unknown scope', findingRules: [], owner: null, expiresAt: null },
      staleSince: null,
      staleScanId: null,
    });
  });
});

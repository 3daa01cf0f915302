import { toAlertEvent } from './alert-event';
import { CREATED_AT, findingOpenedRecord, weakenedRecord } from './testing/alert-fixtures';

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
});

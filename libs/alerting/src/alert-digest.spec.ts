import { buildDigest, deliveryAlertsLink, describeAlert, type DigestDelivery } from './alert-digest';
import { type AlertEvent, toAlertEvent } from './alert-event';
import {
  CREATED_AT,
  exceptionExpiringRecord,
  exceptionStaleRecord,
  findingOpenedRecord,
  weakenedRecord,
} from './testing/alert-fixtures';

const delivery = (alertCount: number): DigestDelivery => ({
  id: 42,
  dedupeKey: '0b5e4c1e-8d0f-4d8e-9d3a-3f2a1c9e7b11',
  channel: 'ops',
  scanId: 7,
  createdAt: CREATED_AT,
  alertCount,
  maxSeverity: 'high',
});

const buckets = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    toAlertEvent(findingOpenedRecord(`bucket-${String(index).padStart(2, '0')}`, { id: index + 1 })),
  );

describe('buildDigest', () => {
  it('lists every alert when they fit, with nothing omitted', () => {
    const digest = buildDigest({
      delivery: delivery(3),
      severityCounts: { high: 3 },
      alerts: buckets(3),
      size: 20,
      publicBaseUrl: null,
    });
    expect(digest.title).toBe('Seed: 3 new encryption alerts');
    expect(digest.alerts.map(resourceName)).toEqual(['bucket-00', 'bucket-01', 'bucket-02']);
    expect(digest.omitted).toBe(0);
    expect(digest.link).toBeNull();
  });

  it('caps the list and counts the rest', () => {
    const digest = buildDigest({
      delivery: delivery(25),
      severityCounts: { high: 25 },
      alerts: buckets(25),
      size: 20,
      publicBaseUrl: 'https://seed.example.com/',
    });
    expect(digest.alerts).toHaveLength(20);
    expect(digest.total).toBe(25);
    expect(digest.omitted).toBe(5);
    expect(digest.link).toBe('https://seed.example.com/v1/alerts/42/items');
  });

  it('counts alerts the repository did not load as omitted', () => {
    const digest = buildDigest({
      delivery: delivery(500),
      severityCounts: { high: 500 },
      alerts: buckets(20),
      size: 20,
      publicBaseUrl: null,
    });
    expect(digest.omitted).toBe(480);
  });

  it('lists the most severe first, then by account, region and name', () => {
    const digest = buildDigest({
      delivery: delivery(3),
      severityCounts: { high: 2, medium: 1 },
      alerts: [
        toAlertEvent(weakenedRecord('a-weakened', 'kms_cmk', 'oss_aes256', { severity: 'medium', id: 1 })),
        toAlertEvent(findingOpenedRecord('zeta', { id: 2 })),
        toAlertEvent(findingOpenedRecord('alpha', { id: 3 })),
      ],
      size: 20,
      publicBaseUrl: null,
    });
    expect(digest.alerts.map(resourceName)).toEqual(['alpha', 'zeta', 'a-weakened']);
    expect(digest.severityCounts).toEqual([
      { severity: 'high', count: 2 },
      { severity: 'medium', count: 1 },
    ]);
  });

  it('says "alert" for a single one', () => {
    const digest = buildDigest({
      delivery: delivery(1),
      severityCounts: { high: 1 },
      alerts: buckets(1),
      size: 20,
      publicBaseUrl: null,
    });
    expect(digest.title).toBe('Seed: 1 new encryption alert');
  });
});

describe('deliveryAlertsLink', () => {
  it('is the API query of the delivery items under the public base URL, path kept', () => {
    expect(deliveryAlertsLink('https://example.com/seed', 9)).toBe(
      'https://example.com/seed/v1/alerts/9/items',
    );
  });

  it('is null without a public base URL', () => {
    expect(deliveryAlertsLink(null, 9)).toBeNull();
  });
});

describe('describeAlert', () => {
  it('describes a new finding by its title', () => {
    expect(describeAlert(toAlertEvent(findingOpenedRecord('logs')))).toEqual({
      severity: 'high',
      subject: 'bucket logs',
      where: 'account prod, cn-hangzhou',
      what: 'Bucket has no server-side encryption',
    });
  });

  it('describes a weakening by its before and after', () => {
    expect(describeAlert(toAlertEvent(weakenedRecord('data', 'kms_cmk', 'oss_aes256'))).what).toBe(
      'encryption weakened from KMS with a customer key to OSS-managed AES256',
    );
  });

  it('describes an expiring exception by its owner, expiry date and scope', () => {
    expect(describeAlert(toAlertEvent(exceptionExpiringRecord('exc-legacy')))).toEqual({
      severity: 'medium',
      subject: 'Exception exc-legacy',
      where: 'owner owner@example.com',
      what: 'expires on 2026-03-10 (resource oss:legacy)',
    });
  });

  it('describes a stale exception by the scan since which it matches nothing', () => {
    expect(describeAlert(toAlertEvent(exceptionStaleRecord('exc-tmp'))).what).toBe(
      'matches no resource since scan #6 (account prod, cn-hangzhou, bucket names tmp-*)',
    );
  });

  it('orders exception alerts with the resource alerts by severity, then account', () => {
    const digest = buildDigest({
      delivery: delivery(3),
      severityCounts: { high: 1, medium: 1, low: 1 },
      alerts: [
        toAlertEvent(exceptionStaleRecord('exc-tmp', { id: 1 })),
        toAlertEvent(exceptionExpiringRecord('exc-legacy', { id: 2 })),
        toAlertEvent(findingOpenedRecord('logs', { id: 3 })),
      ],
      size: 20,
      publicBaseUrl: null,
    });
    expect(digest.alerts.map(resourceName)).toEqual(['logs', 'exception_expiring', 'exception_stale']);
    expect(digest.title).toBe('Seed: 3 new encryption alerts');
  });
});

function resourceName(event: AlertEvent): string {
  return event.type === 'finding_opened' || event.type === 'encryption_weakened'
    ? event.resource.name
    : event.type;
}

import type { FindingView } from '@app/persistence';

/** A finding view as the read side returns it, open on a bucket; `overrides` change any field. */
export function findingView(overrides: Partial<FindingView> = {}): FindingView {
  return {
    id: '6f1b7c1e-2f4a-4a55-9d55-3c1f0e7d1a01',
    findingKey: 'oss:audit-logs:unencrypted',
    status: 'open',
    rule: 'unencrypted',
    severity: 'high',
    title: 'Bucket is not encrypted',
    message: 'Bucket audit-logs has no default server-side encryption',
    encryptionClass: 'none',
    algorithm: null,
    kmsKeyId: null,
    openedScanId: 3,
    openedAt: new Date('2026-11-01T02:00:00.000Z'),
    lastSeenScanId: 5,
    lastSeenAt: new Date('2026-11-03T02:00:00.000Z'),
    evidenceChangeId: 41,
    resolvedScanId: null,
    resolvedAt: null,
    resolution: null,
    stale: false,
    exceptionId: null,
    resource: {
      id: 7,
      kind: 'bucket',
      resourceKey: 'oss:audit-logs',
      accountAlias: 'prod',
      region: 'cn-hangzhou',
      name: 'audit-logs',
      parentKey: null,
    },
    ...overrides,
  };
}

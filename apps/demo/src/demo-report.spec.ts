import type { DriftEventView, OpenFindingCount } from '@app/persistence';

import { demoFleet, planFleetChanges } from './demo-fleet';
import {
  formatApiAccess,
  formatConsoleAccess,
  formatDriftEvents,
  formatFleet,
  formatFleetChanges,
  formatOpenFindings,
} from './demo-report';

const AT = new Date('2025-04-17T10:00:00.000Z');

function drift(overrides: Partial<DriftEventView> & Pick<DriftEventView, 'kind'>): DriftEventView {
  return {
    id: 1,
    direction: null,
    detectedAt: AT,
    scanId: 2,
    previousScanId: 1,
    before: null,
    after: null,
    resource: {
      id: 7,
      kind: 'bucket',
      resourceKey: 'oss:logs',
      accountAlias: 'account-1',
      region: 'cn-hangzhou',
      name: 'logs',
    },
    ...overrides,
  };
}

const KMS = {
  encryptionClass: 'kms_cmk',
  algorithm: 'KMS',
  kmsKeyId: 'key-1',
  kmsDataEncryption: null,
  changeId: 3,
} as const;
const NONE = {
  encryptionClass: 'none',
  algorithm: null,
  kmsKeyId: null,
  kmsDataEncryption: null,
  changeId: 4,
} as const;

describe('formatDriftEvents', () => {
  it('tallies the events and shows each with its direction and before -> after', () => {
    const text = formatDriftEvents(2, [
      drift({ kind: 'encryption_changed', direction: 'weakened', before: KMS, after: NONE }),
      drift({ kind: 'appeared', after: NONE }),
    ]);
    expect(text.split('\n')).toEqual([
      'Drift detected by scan 2: 2 events (1 weakened, 1 appeared)',
      '  appeared     bucket       logs (account-1/cn-hangzhou): (absent) -> none',
      '  weakened     bucket       logs (account-1/cn-hangzhou): kms_cmk [KMS, key key-1] -> none',
    ]);
  });

  it('shows a key by its state, deletion date, rotation and deletion protection', () => {
    const key = {
      ...KMS,
      algorithm: 'Aliyun_AES_256',
      automaticRotation: 'Enabled',
      deletionProtection: 'Disabled',
    };
    const text = formatDriftEvents(2, [
      drift({
        kind: 'encryption_changed',
        direction: 'weakened',
        before: { ...key, keyState: 'Enabled', deleteDate: null },
        after: { ...key, keyState: 'PendingDeletion', deleteDate: '2026-12-31T00:00:00.000Z' },
        resource: {
          id: 9,
          kind: 'kms_key',
          resourceKey: 'acs:kms:cn-hangzhou:1:key/key-1',
          accountAlias: 'account-1',
          region: 'cn-hangzhou',
          name: 'key-1',
        },
      }),
    ]);
    expect(text.split('\n')[1]).toBe(
      '  weakened     kms_key      key-1 (account-1/cn-hangzhou): ' +
        'kms_cmk [Enabled, rotation Enabled, deletion protection Disabled] -> ' +
        'kms_cmk [PendingDeletion, deletes 2026-12-31, rotation Enabled, deletion protection Disabled]',
    );
  });

  it('says so when nothing drifted', () => {
    expect(formatDriftEvents(3, [])).toBe('Drift detected by scan 3: 0 events');
  });
});

describe('formatOpenFindings', () => {
  it('sums per severity, most severe first, with the rules behind each count', () => {
    const counts: OpenFindingCount[] = [
      { accountAlias: 'a', region: 'r1', severity: 'medium', rule: 'non_kms', count: 4 },
      { accountAlias: 'b', region: 'r1', severity: 'high', rule: 'unencrypted', count: 2 },
      { accountAlias: 'a', region: 'r2', severity: 'medium', rule: 'unverifiable', count: 1 },
      { accountAlias: 'b', region: 'r2', severity: 'medium', rule: 'non_kms', count: 3 },
    ];
    expect(formatOpenFindings(counts).split('\n')).toEqual([
      'Open findings: 10',
      '  high        2  (unencrypted 2)',
      '  medium      8  (non_kms 7, unverifiable 1)',
    ]);
  });
});

describe('formatFleet', () => {
  it('names each account as the configuration does, with its buckets, denials and table buckets', () => {
    const text = formatFleet({
      accounts: [
        {
          id: '123',
          accessKeys: [],
          buckets: [
            { name: 'a', region: 'cn-hangzhou' },
            { name: 'b', region: 'cn-hangzhou', deny: 'all' },
          ],
          tableBuckets: [],
        },
        { id: '456', accessKeys: [], buckets: [], tableBuckets: [{ name: 't', region: 'cn-hangzhou' }] },
      ],
    });
    expect(text.split('\n')).toEqual([
      'account-1 (uid 123): 2 buckets (1 deny the auditor), 0 table buckets',
      'account-2 (uid 456): 0 buckets, 1 table buckets',
    ]);
  });
});

describe('formatFleetChanges', () => {
  it('lists every change with its target and what the audit should make of it', () => {
    const changes = planFleetChanges(demoFleet());
    const text = formatFleetChanges(changes);
    expect(text).toContain(`(${changes.length.toString()} calls`);
    for (const change of changes) expect(text).toContain(change.expected);
  });
});

describe('formatConsoleAccess', () => {
  it('prints the console URL and the keys to sign in with, never a key inside the URL', () => {
    const text = formatConsoleAccess({
      baseUrl: 'http://127.0.0.1:3000',
      adminToken: 'seed_admin',
      readerToken: 'seed_reader',
    });
    const [first, admin, reader] = text.split('\n');
    expect(first).toBe('Web console: http://127.0.0.1:3000/console/');
    expect(admin).toContain('admin key (can start scans): seed_admin');
    expect(reader).toContain('reader key (read only):');
    expect(reader).toContain('seed_reader');
    expect(text.split(/\s+/).filter((word) => word.startsWith('http') && word.includes('seed_'))).toEqual([]);
  });

  it('prints only the URL when the keys are not to be shown', () => {
    const text = formatConsoleAccess(
      { baseUrl: 'http://127.0.0.1:3000', adminToken: 'seed_admin', readerToken: 'seed_reader' },
      false,
    );
    expect(text).toContain('Web console: http://127.0.0.1:3000/console/');
    expect(text).not.toContain('seed_');
  });
});

describe('formatApiAccess', () => {
  it('prints both keys and curl lines that carry the reader key, and the admin key only to start a scan', () => {
    const text = formatApiAccess({
      baseUrl: 'http://127.0.0.1:3000',
      adminToken: 'seed_admin',
      readerToken: 'seed_reader',
    });
    const curls = text.split('\n').filter((line) => line.trimStart().startsWith('curl'));
    expect(text).toContain('admin key:  seed_admin');
    expect(text).toContain('reader key: seed_reader');
    expect(curls.filter((line) => line.includes('seed_admin'))).toEqual([
      '  curl -s -X POST -H "Authorization: Bearer seed_admin" "http://127.0.0.1:3000/v1/scans"',
    ]);
    const reads = curls.filter((line) => line.includes('/v1/') && !line.includes('-X POST'));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((line) => !line.includes('Bearer seed_reader'))).toEqual([]);
  });
});

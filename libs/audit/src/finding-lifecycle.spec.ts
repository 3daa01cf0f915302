import type { EncryptionClass, EncryptionObservation, FindingRule, Severity } from './domain';
import { findingKey, reconcileFindings, type OpenFinding } from './finding-lifecycle';
import { DEFAULT_FINDING_POLICY, evaluateFindings, type FindingPolicy } from './finding-policy';
import { bucketResourceKey } from './resource-identity';
import { observationOf, resourceOf } from './testing/observations';

interface StoredFinding extends OpenFinding {
  readonly id: number;
}

const resource = resourceOf('bucket', 'ledger');

function step(
  observation: EncryptionObservation,
  open: readonly StoredFinding[],
  policy: FindingPolicy = DEFAULT_FINDING_POLICY,
) {
  return reconcileFindings({
    resource,
    observation,
    required: evaluateFindings(resource, observation, policy),
    open,
  });
}

function stored(id: number, rule: FindingRule, severity: Severity): StoredFinding {
  return { id, rule, severity };
}

// A minimal store: applies each reconciliation the way persistence would, to follow a finding's life.
class FindingStore {
  private nextId = 1;
  open: StoredFinding[] = [];
  readonly resolved: StoredFinding[] = [];

  observe(encryptionClass: EncryptionClass, overrides: Partial<EncryptionObservation> = {}): void {
    const result = step(observationOf(encryptionClass, overrides), this.open);
    this.resolved.push(...result.resolve);
    this.open = [
      ...result.stillOpen.map(({ finding, required }) => ({ ...finding, severity: required.severity })),
      ...result.notEvaluated,
      ...result.open.map((finding) => stored(this.nextId++, finding.rule, finding.severity)),
    ];
  }

  openRules(): string[] {
    return this.open.map((finding) => `${finding.rule}#${finding.id}`);
  }
}

describe('findingKey', () => {
  it('stays the same from one release to the next: stored keys keep deduplicating findings and alerts', () => {
    // Pinned on purpose: a different key for the same lineage would reopen every open finding.
    expect(findingKey(bucketResourceKey('ledger'), 'unencrypted')).toBe('f1ec345c0fbb31b8fbc469f229141be1');
  });

  it('is 32 lowercase hex characters whatever the resource key holds', () => {
    const arn = 'acs:osstables:cn-hangzhou:1234567890:bucket/lake';
    for (const key of [findingKey(arn, 'non_kms'), findingKey('oss:名前 with spaces', 'unverifiable')]) {
      expect(key).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('differs between rules of one resource', () => {
    expect(findingKey('oss:ledger', 'unencrypted')).not.toBe(findingKey('oss:ledger', 'non_kms'));
  });

  it('differs between resources for one rule', () => {
    expect(findingKey('oss:ledger', 'unencrypted')).not.toBe(findingKey('oss:ledger2', 'unencrypted'));
  });
});

describe('reconcileFindings', () => {
  it('opens a required finding that is not open yet, with its key', () => {
    const result = step(observationOf('none'), []);
    expect(result.open).toEqual([
      expect.objectContaining({
        rule: 'unencrypted',
        severity: 'high',
        findingKey: findingKey('oss:ledger', 'unencrypted'),
      }),
    ]);
    expect([result.stillOpen, result.resolve]).toEqual([[], []]);
  });

  it('keeps an open finding that is still required instead of opening it again', () => {
    const open = [stored(7, 'unencrypted', 'high')];
    const result = step(observationOf('none'), open);
    expect(result.open).toEqual([]);
    expect(
      result.stillOpen.map((entry) => [entry.finding, entry.required.rule, entry.severityChanged]),
    ).toEqual([[open[0], 'unencrypted', false]]);
    expect(result.resolve).toEqual([]);
  });

  it('reports a severity change of a finding that stays open', () => {
    const open = [stored(7, 'non_kms', 'medium')];
    const policy: FindingPolicy = {
      ...DEFAULT_FINDING_POLICY,
      severities: {
        ...DEFAULT_FINDING_POLICY.severities,
        bucket: { ...DEFAULT_FINDING_POLICY.severities.bucket, oss_aes256: 'high' },
      },
    };
    const [kept] = step(observationOf('oss_aes256'), open, policy).stillOpen;
    expect([kept?.severityChanged, kept?.required.severity]).toEqual([true, 'high']);
  });

  it('resolves an open finding a complete observation no longer requires', () => {
    const open = [stored(7, 'unencrypted', 'high')];
    const result = step(observationOf('kms_cmk'), open);
    expect(result).toEqual({ open: [], stillOpen: [], resolve: open, notEvaluated: [] });
  });

  it('replaces one finding with another when the class changes', () => {
    const open = [stored(7, 'unencrypted', 'high')];
    const result = step(observationOf('oss_aes256'), open);
    expect(result.open.map((finding) => finding.rule)).toEqual(['non_kms']);
    expect(result.resolve).toEqual(open);
  });

  it('resolves nothing on an unknown observation, opening unverifiable beside the open findings', () => {
    const open = [stored(7, 'unencrypted', 'high'), stored(8, 'kms_key_not_approved', 'medium')];
    const result = step(observationOf('unknown'), open);
    expect(result.resolve).toEqual([]);
    expect(result.stillOpen).toEqual([]);
    expect(result.notEvaluated).toEqual(open);
    expect(result.open.map((finding) => finding.rule)).toEqual(['unverifiable']);
  });

  it('keeps an open unverifiable finding on the next unknown observation', () => {
    const open = [stored(9, 'unverifiable', 'medium')];
    const result = step(observationOf('unknown', { errorCode: 'Throttling' }), open);
    expect(result.open).toEqual([]);
    expect(result.stillOpen.map((entry) => entry.finding)).toEqual(open);
    expect(result.stillOpen[0]?.required.message).toContain('Throttling');
  });

  it('never lets an unknown observation open anything but unverifiable, whatever it is given', () => {
    const result = reconcileFindings({
      resource,
      observation: observationOf('unknown'),
      required: [
        { rule: 'unencrypted', severity: 'high', title: 't', message: 'm' },
        { rule: 'unverifiable', severity: 'medium', title: 't', message: 'm' },
      ],
      open: [],
    });
    expect(result.open.map((finding) => finding.rule)).toEqual(['unverifiable']);
  });

  it('opens nothing on an unknown observation when unverifiable is disabled, and still resolves nothing', () => {
    const open = [stored(7, 'unencrypted', 'high')];
    const policy = { ...DEFAULT_FINDING_POLICY, disabledRules: ['unverifiable' as const] };
    expect(step(observationOf('unknown'), open, policy)).toEqual({
      open: [],
      stillOpen: [],
      resolve: [],
      notEvaluated: open,
    });
  });

  it('keeps the first of two open findings with one rule and resolves the duplicate', () => {
    const open = [stored(1, 'unencrypted', 'high'), stored(2, 'unencrypted', 'high')];
    const result = step(observationOf('none'), open);
    expect(result.stillOpen.map((entry) => entry.finding.id)).toEqual([1]);
    expect(result.resolve.map((finding) => finding.id)).toEqual([2]);
  });

  it('resolves every open finding of a resource whose complete observation requires none', () => {
    const open = [stored(1, 'non_kms', 'medium'), stored(2, 'unverifiable', 'medium')];
    expect(step(observationOf('kms_cmk'), open).resolve).toEqual(open);
  });
});

describe('a finding over consecutive scans', () => {
  it('opens once and stays the same finding while the resource stays unencrypted', () => {
    const store = new FindingStore();
    store.observe('none');
    store.observe('none');
    store.observe('none');
    expect(store.openRules()).toEqual(['unencrypted#1']);
  });

  it('resolves when encryption is fixed', () => {
    const store = new FindingStore();
    store.observe('none');
    store.observe('kms_cmk');
    expect([store.openRules(), store.resolved.map((f) => f.id)]).toEqual([[], [1]]);
  });

  it('reopens as a new finding when the problem comes back', () => {
    const store = new FindingStore();
    store.observe('none');
    store.observe('kms_cmk');
    store.observe('none');
    expect(store.openRules()).toEqual(['unencrypted#2']);
  });

  it('is not resolved by a scan that could not observe the resource', () => {
    const store = new FindingStore();
    store.observe('none');
    store.observe('unknown');
    expect([store.openRules(), store.resolved]).toEqual([['unencrypted#1', 'unverifiable#2'], []]);
  });

  it('opens unverifiable on unknown and resolves it on the next complete observation', () => {
    const store = new FindingStore();
    store.observe('unknown');
    store.observe('kms_cmk');
    expect([store.openRules(), store.resolved.map((f) => f.rule)]).toEqual([[], ['unverifiable']]);
  });

  it('keeps the original finding through an unknown scan and resolves both once observed clean', () => {
    const store = new FindingStore();
    store.observe('oss_aes256');
    store.observe('unknown');
    store.observe('oss_aes256');
    expect([store.openRules(), store.resolved.map((f) => f.rule)]).toEqual([['non_kms#1'], ['unverifiable']]);
  });
});

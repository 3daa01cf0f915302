import fc from 'fast-check';

import { DEFAULT_FINDING_POLICY } from './finding-policy';
import { findingKey } from './finding-lifecycle';
import { ENCRYPTION_CLASSES, FINDING_RULES, type EncryptionObservation, type ResourceRef } from './domain';
import { createResourceEvaluator, type ObservedChange, type ResourceEvaluationInput } from './evaluation';
import { KEY_NOT_APPLICABLE } from './key-facts';

const ref: ResourceRef = {
  kind: 'bucket',
  resourceKey: 'oss:reports',
  accountAlias: 'prod',
  region: 'cn-hangzhou',
  name: 'reports',
};

function observed(changeId: number, encryption: Partial<EncryptionObservation>): ObservedChange {
  return {
    changeId,
    observation: {
      encryptionClass: 'kms_cmk',
      algorithm: 'KMS',
      kmsKeyId: 'key-1',
      kmsDataEncryption: null,
      errorCode: null,
      errorMessage: null,
      requestId: null,
      ...encryption,
    },
  };
}

const none = { encryptionClass: 'none', algorithm: null, kmsKeyId: null } as const;
const aes = { encryptionClass: 'oss_aes256', algorithm: 'AES256', kmsKeyId: null } as const;
const denied = {
  encryptionClass: 'unknown',
  algorithm: null,
  kmsKeyId: null,
  errorCode: 'AccessDenied',
} as const;

function input(overrides: Partial<ResourceEvaluationInput>): ResourceEvaluationInput {
  return {
    resourceId: 1,
    ref,
    firstSeenInThisScan: false,
    reappearedInThisScan: false,
    previousScanId: 1,
    current: observed(10, {}),
    absence: null,
    previousComplete: observed(10, {}),
    openFindings: [],
    key: KEY_NOT_APPLICABLE,
    parent: null,
    accountId: null,
    ...overrides,
  };
}

const evaluate = (value: ResourceEvaluationInput) => {
  const [output] = createResourceEvaluator(DEFAULT_FINDING_POLICY)([value]);
  if (output === undefined) throw new Error('no output');
  return output;
};

describe('createResourceEvaluator', () => {
  it('records nothing for an unchanged, compliant resource', () => {
    expect(evaluate(input({}))).toEqual({ open: [], keepOpen: [], resolve: [], drift: null, alerts: [] });
  });

  it('opens an unencrypted finding and alerts once, keyed by the change that caused it', () => {
    const output = evaluate(input({ current: observed(11, none) }));
    expect(output.open.map((finding) => finding.rule)).toEqual(['unencrypted']);
    expect(output.alerts.map((alert) => alert.dedupeKey)).toEqual([
      `finding_opened:${findingKey('oss:reports', 'unencrypted')}:11`,
      'encryption_weakened:oss:reports:11',
    ]);
    expect(output.drift).toMatchObject({ kind: 'encryption_changed', direction: 'weakened' });
  });

  it('keeps an open finding the observation still calls for, without a new alert', () => {
    const output = evaluate(
      input({
        current: observed(11, aes),
        previousComplete: observed(11, aes),
        openFindings: [
          { id: 'f1', findingKey: findingKey('oss:reports', 'non_kms'), rule: 'non_kms', severity: 'medium' },
        ],
      }),
    );
    expect(output.keepOpen.map((finding) => finding.id)).toEqual(['f1']);
    expect(output.alerts).toEqual([]);
    expect(output.drift).toBeNull();
  });

  it('resolves a finding when a complete observation no longer calls for it, and records the strengthening', () => {
    const output = evaluate(
      input({
        previousComplete: observed(9, none),
        openFindings: [{ id: 'f1', findingKey: 'k', rule: 'unencrypted', severity: 'high' }],
      }),
    );
    expect(output.resolve).toEqual([{ id: 'f1', resolution: 'fixed' }]);
    expect(output.drift).toMatchObject({ kind: 'encryption_changed', direction: 'strengthened' });
    expect(output.alerts).toEqual([]);
  });

  it('never resolves on an unverifiable observation, opens unverifiable, and records no drift', () => {
    const output = evaluate(
      input({
        current: observed(12, denied),
        previousComplete: observed(11, none),
        openFindings: [{ id: 'f1', findingKey: 'k', rule: 'unencrypted', severity: 'high' }],
      }),
    );
    expect(output.resolve).toEqual([]);
    expect(output.open.map((finding) => finding.rule)).toEqual(['unverifiable']);
    expect(output.drift).toBeNull();
  });

  it('records a resource seen for the first time as appeared, without comparing it to anything', () => {
    const output = evaluate(
      input({ firstSeenInThisScan: true, previousComplete: null, previousScanId: null }),
    );
    expect(output.drift).toMatchObject({ kind: 'appeared', before: null });
  });

  it('resolves every open finding of a resource that disappeared, as resource_deleted', () => {
    const output = evaluate(
      input({
        current: null,
        absence: 'disappeared',
        openFindings: [{ id: 'f1', findingKey: 'k', rule: 'non_kms', severity: 'medium' }],
      }),
    );
    expect(output.resolve).toEqual([{ id: 'f1', resolution: 'resource_deleted' }]);
    expect(output.drift).toMatchObject({ kind: 'disappeared', after: null });
  });
});

describe('evaluateResource keeps the finding lifecycle whatever it is given', () => {
  const anObservation = fc
    .constantFrom(...ENCRYPTION_CLASSES)
    .map((encryptionClass) =>
      encryptionClass === 'unknown' ? denied : encryptionClass === 'kms_cmk' ? {} : { encryptionClass },
    );
  const anInput = fc.record({
    current: fc.option(
      fc.tuple(fc.integer({ min: 1, max: 50 }), anObservation).map(([id, seen]) => observed(id, seen)),
    ),
    previousComplete: fc.option(fc.constant(observed(5, aes))),
    firstSeenInThisScan: fc.boolean(),
    openFindings: fc.uniqueArray(fc.constantFrom(...FINDING_RULES), { maxLength: 3 }).map((rules) =>
      rules.map((rule, index) => ({
        id: `f${index.toString()}`,
        findingKey: findingKey(ref.resourceKey, rule),
        rule,
        severity: 'medium' as const,
      })),
    ),
  });

  it("touches only the resource's own open findings, each at most once, and never reopens one still open", () => {
    fc.assert(
      fc.property(anInput, (overrides) => {
        const given = input(overrides);
        const output = evaluate(given);
        const ownIds = given.openFindings.map((finding) => finding.id);
        const touched = [...output.keepOpen, ...output.resolve].map((finding) => finding.id);
        expect(touched.every((id) => ownIds.includes(id))).toBe(true);
        expect(new Set(touched).size).toBe(touched.length);
        const resolved = new Set(output.resolve.map((finding) => finding.id));
        const stillOpenKeys = given.openFindings
          .filter((finding) => !resolved.has(finding.id))
          .map((finding) => finding.findingKey);
        const openedKeys = output.open.map((finding) => finding.findingKey);
        expect(openedKeys.filter((key) => stillOpenKeys.includes(key))).toEqual([]);
        expect(new Set(openedKeys).size).toBe(openedKeys.length);
      }),
    );
  });

  it('only resolves the findings of a resource that disappeared', () => {
    fc.assert(
      fc.property(anInput, (overrides) => {
        const output = evaluate(input({ ...overrides, current: null, absence: 'disappeared' }));
        expect(output.open).toEqual([]);
        expect(output.keepOpen).toEqual([]);
        expect(output.alerts).toEqual([]);
      }),
    );
  });

  it('links every alert to a finding this output opens or to its own drift event', () => {
    fc.assert(
      fc.property(anInput, (overrides) => {
        const output = evaluate(input(overrides));
        const openedKeys = output.open.map((finding) => finding.findingKey);
        for (const alert of output.alerts) {
          if (alert.findingKey !== undefined) expect(openedKeys).toContain(alert.findingKey);
          if (alert.drift === true) expect(output.drift).not.toBeNull();
        }
      }),
    );
  });
});

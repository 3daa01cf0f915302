import { planEvaluationWrites } from './evaluation-plan';
import { PersistenceError } from './persistence-error';
import {
  KEY_NOT_APPLICABLE,
  type AlertToQueue,
  type EncryptionWeakenedPayload,
  type FindingOpenedPayload,
  type ResourceEvaluationInput,
  type ResourceEvaluationOutput,
} from '@app/audit';

import { bucketRef, observation } from './testing/observations';

const OPEN_ID = '11111111-1111-4111-8111-111111111111';
const KEEP = { id: OPEN_ID, severity: 'high', title: 't', message: 'm' } as const;

function input(overrides: Partial<ResourceEvaluationInput> = {}): ResourceEvaluationInput {
  const current = { changeId: 7, observation: observation('none') };
  return {
    resourceId: 1,
    ref: bucketRef('bare'),
    firstSeenInThisScan: false,
    reappearedInThisScan: false,
    previousScanId: 3,
    current,
    absence: null,
    previousComplete: current,
    key: KEY_NOT_APPLICABLE,
    parent: null,
    accountId: null,
    openFindings: [{ id: OPEN_ID, findingKey: 'k-unencrypted', rule: 'unencrypted', severity: 'high' }],
    ...overrides,
  };
}

const RESOURCE = {
  resourceKey: 'oss:bare',
  resourceKind: 'bucket',
  accountAlias: 'prod',
  region: 'cn-hangzhou',
  name: 'bare',
} as const;
const NONE = { encryptionClass: 'none', algorithm: null, kmsKeyId: null, kmsDataEncryption: null };
const OPENED: FindingOpenedPayload = {
  ...RESOURCE,
  rule: 'non_kms',
  title: 't',
  message: 'm',
  encryption: NONE,
};
const WEAKENED: EncryptionWeakenedPayload = { ...RESOURCE, before: null, after: NONE, changedFields: [] };

function output(overrides: Partial<ResourceEvaluationOutput> = {}): ResourceEvaluationOutput {
  return { open: [], keepOpen: [], resolve: [], drift: null, alerts: [], ...overrides };
}

/** The error code `planEvaluationWrites` throws for these arguments, if any. */
function rejection(...args: Parameters<typeof planEvaluationWrites>): string | undefined {
  try {
    planEvaluationWrites(...args);
  } catch (error) {
    return error instanceof PersistenceError ? error.code : 'not a PersistenceError';
  }
  return undefined;
}

describe('planEvaluationWrites', () => {
  it('turns outputs into one array per column, with what the current observation shows', () => {
    const plan = planEvaluationWrites(
      [input()],
      [
        output({
          keepOpen: [{ id: OPEN_ID, severity: 'critical', title: 'kept', message: 'still' }],
          open: [{ findingKey: 'k-non-kms', rule: 'non_kms', severity: 'medium', title: 't', message: 'm' }],
          alerts: [
            {
              dedupeKey: 'a-1',
              eventType: 'finding_opened',
              severity: 'medium',
              payload: OPENED,
              findingKey: 'k-non-kms',
            },
          ],
        }),
      ],
    );

    expect(plan.keep).toEqual({
      ids: [OPEN_ID],
      severities: ['critical'],
      titles: ['kept'],
      messages: ['still'],
      encryptionClasses: ['none'],
      algorithms: [null],
      kmsKeyIds: [null],
      evidenceChangeIds: [7],
    });
    expect(plan.open).toMatchObject({ findingKeys: ['k-non-kms'], resourceIds: [1], evidenceChangeIds: [7] });
    expect(plan.alerts).toEqual({
      dedupeKeys: ['a-1'],
      eventTypes: ['finding_opened'],
      severities: ['medium'],
      resourceIds: [1],
      findingKeys: ['k-non-kms'],
      driftKinds: [null],
      payloads: [JSON.stringify(OPENED)],
    });
  });

  it('records drift with the previous scan and links alerts that ask for it', () => {
    const drift = {
      kind: 'encryption_changed' as const,
      direction: 'weakened' as const,
      before: {
        encryptionClass: 'kms_cmk' as const,
        algorithm: 'KMS',
        kmsKeyId: 'k',
        kmsDataEncryption: null,
        changeId: 6,
      },
      after: {
        encryptionClass: 'none' as const,
        algorithm: null,
        kmsKeyId: null,
        kmsDataEncryption: null,
        changeId: 7,
      },
    };
    const plan = planEvaluationWrites(
      [input()],
      [
        output({
          keepOpen: [KEEP],
          drift,
          alerts: [
            {
              dedupeKey: 'w',
              eventType: 'encryption_weakened',
              severity: 'high',
              payload: WEAKENED,
              drift: true,
            },
          ],
        }),
      ],
    );
    expect(plan.drift).toEqual({
      resourceIds: [1],
      previousScanIds: [3],
      kinds: ['encryption_changed'],
      directions: ['weakened'],
      befores: [JSON.stringify(drift.before)],
      afters: [JSON.stringify(drift.after)],
    });
    expect(plan.alerts.driftKinds).toEqual(['encryption_changed']);
  });

  it('requires exactly one output per input', () => {
    expect(rejection([input()], [])).toBe('INVALID_EVALUATION_OUTPUT');
  });

  it("refuses to touch a finding that is not one of the resource's open findings", () => {
    const other = '22222222-2222-4222-8222-222222222222';
    expect(rejection([input()], [output({ resolve: [{ id: other, resolution: 'fixed' }] })])).toBe(
      'INVALID_EVALUATION_OUTPUT',
    );
  });

  it('allows a disappeared resource only resolutions', () => {
    const gone = input({ current: null, absence: 'disappeared' });
    expect(rejection([gone], [output({ keepOpen: [KEEP] })])).toBe('INVALID_EVALUATION_OUTPUT');
    expect(
      planEvaluationWrites([gone], [output({ resolve: [{ id: OPEN_ID, resolution: 'resource_deleted' }] })])
        .resolve,
    ).toEqual({ ids: [OPEN_ID], resolutions: ['resource_deleted'] });
  });

  it.each([
    [
      'encryption_changed without a direction',
      { kind: 'encryption_changed', direction: null, before: null, after: null },
    ],
    [
      'appeared with a before',
      {
        kind: 'appeared',
        direction: null,
        before: {
          encryptionClass: 'none',
          algorithm: null,
          kmsKeyId: null,
          kmsDataEncryption: null,
          changeId: 1,
        },
        after: null,
      },
    ],
  ] as const)('rejects malformed drift: %s', (_name, drift) => {
    expect(rejection([input()], [output({ keepOpen: [KEEP], drift })])).toBe('INVALID_EVALUATION_OUTPUT');
  });

  it('refuses an alert that links a drift event the output does not have', () => {
    const alert: AlertToQueue = {
      dedupeKey: 'a',
      eventType: 'encryption_weakened',
      severity: 'high',
      payload: WEAKENED,
      drift: true,
    };
    expect(rejection([input()], [output({ alerts: [alert] })])).toBe('INVALID_EVALUATION_OUTPUT');
  });
});

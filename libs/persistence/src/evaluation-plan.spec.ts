import { planEvaluationWrites } from './evaluation-plan';
import { PersistenceError } from './persistence-error';
import type { ResourceEvaluationInput, ResourceEvaluationOutput } from './evaluation.types';
import { bucketRef, observation } from './testing/observations';

const OPEN_ID = '11111111-1111-4111-8111-111111111111';

function input(overrides: Partial<ResourceEvaluationInput> = {}): ResourceEvaluationInput {
  const current = { changeId: 7, observation: observation('none') };
  return {
    resourceId: 1,
    ref: bucketRef('bare'),
    firstSeenInThisScan: false,
    reappearedInThisScan: false,
    previousScanId: 3,
    current,
    previousComplete: current,
    openFindings: [{ id: OPEN_ID, findingKey: 'k-unencrypted', rule: 'unencrypted', severity: 'high' }],
    ...overrides,
  };
}

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
          keepOpen: [{ id: OPEN_ID, severity: 'critical' }],
          open: [{ findingKey: 'k-non-kms', rule: 'non_kms', severity: 'medium', title: 't', message: 'm' }],
          alerts: [
            {
              dedupeKey: 'a-1',
              eventType: 'finding_opened',
              severity: 'medium',
              payload: { x: 1 },
              findingKey: 'k-non-kms',
            },
          ],
        }),
      ],
    );

    expect(plan.keep).toEqual({
      ids: [OPEN_ID],
      severities: ['critical'],
      titles: [null],
      messages: [null],
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
      payloads: ['{"x":1}'],
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
          keepOpen: [{ id: OPEN_ID, severity: 'high' }],
          drift,
          alerts: [
            { dedupeKey: 'w', eventType: 'encryption_weakened', severity: 'high', payload: {}, drift: true },
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

  it('refuses to keep and resolve the same finding', () => {
    expect(
      rejection(
        [input()],
        [
          output({
            keepOpen: [{ id: OPEN_ID, severity: 'high' }],
            resolve: [{ id: OPEN_ID, resolution: 'fixed' }],
          }),
        ],
      ),
    ).toBe('INVALID_EVALUATION_OUTPUT');
  });

  it('refuses to open a key that is already open, unless the same output resolves it', () => {
    const reopen = {
      findingKey: 'k-unencrypted',
      rule: 'unencrypted' as const,
      severity: 'high' as const,
      title: 't',
      message: 'm',
    };
    expect(rejection([input()], [output({ open: [reopen] })])).toBe('INVALID_EVALUATION_OUTPUT');
    expect(
      planEvaluationWrites(
        [input()],
        [output({ open: [reopen], resolve: [{ id: OPEN_ID, resolution: 'fixed' }] })],
      ).open.findingKeys,
    ).toEqual(['k-unencrypted']);
  });

  it('allows a disappeared resource only resolutions', () => {
    const gone = input({ current: null });
    expect(rejection([gone], [output({ keepOpen: [{ id: OPEN_ID, severity: 'high' }] })])).toBe(
      'INVALID_EVALUATION_OUTPUT',
    );
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
    expect(rejection([input()], [output({ keepOpen: [{ id: OPEN_ID, severity: 'high' }], drift })])).toBe(
      'INVALID_EVALUATION_OUTPUT',
    );
  });

  it('refuses alerts that link a finding or drift the output does not have', () => {
    const alert = {
      dedupeKey: 'a',
      eventType: 'finding_opened' as const,
      severity: 'high' as const,
      payload: {},
    };
    expect(rejection([input()], [output({ alerts: [{ ...alert, findingKey: 'nope' }] })])).toBe(
      'INVALID_EVALUATION_OUTPUT',
    );
    expect(rejection([input()], [output({ alerts: [{ ...alert, drift: true }] })])).toBe(
      'INVALID_EVALUATION_OUTPUT',
    );
  });
});

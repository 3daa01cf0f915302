import {
  ENCRYPTION_CLASSES,
  FINDING_RULES,
  type EncryptionClass,
  type FindingRule,
  type ResourceKind,
  type Severity,
} from './domain';
import {
  DEFAULT_FINDING_POLICY,
  evaluateFindings,
  FLAGGABLE_ENCRYPTION_CLASSES,
  isApprovedKmsKey,
  isCompleteObservation,
  type FindingContext,
  type FindingPolicy,
} from './finding-policy';
import { observationOf, resourceOf } from './testing/observations';

const KINDS: readonly ResourceKind[] = ['bucket', 'table_bucket', 'table', 'kms_key'];

type Outcome = readonly [FindingRule, Severity] | null;

// The default policy, written out (docs/architecture.md, Domain), rather than derived from the code.
const DEFAULT_OUTCOMES: Record<ResourceKind, Record<EncryptionClass, Outcome>> = {
  bucket: {
    none: ['unencrypted', 'high'],
    oss_aes256: ['non_kms', 'medium'],
    oss_sm4: ['non_kms', 'medium'],
    kms_default: ['kms_default_key', 'low'],
    kms_cmk: null,
    unknown: ['unverifiable', 'medium'],
  },
  table_bucket: {
    none: ['unencrypted', 'high'],
    oss_aes256: ['non_kms', 'low'],
    oss_sm4: ['non_kms', 'low'],
    kms_default: ['kms_default_key', 'low'],
    kms_cmk: null,
    unknown: ['unverifiable', 'medium'],
  },
  table: {
    none: ['unencrypted', 'high'],
    oss_aes256: ['non_kms', 'low'],
    oss_sm4: ['non_kms', 'low'],
    kms_default: ['kms_default_key', 'low'],
    kms_cmk: null,
    unknown: ['unverifiable', 'medium'],
  },
  // A key's own class raises nothing: its state speaks on the resources that name it.
  kms_key: {
    none: null,
    oss_aes256: null,
    oss_sm4: null,
    kms_default: null,
    kms_cmk: null,
    unknown: null,
  },
};

/** The kinds that store data: their classes are what the policy judges. */
const DATA_KINDS = KINDS.filter((kind) => kind !== 'kms_key');

const everyKindAndClass = KINDS.flatMap((kind) =>
  ENCRYPTION_CLASSES.map((encryptionClass) => [kind, encryptionClass] as const),
);

function outcomes(kind: ResourceKind, encryptionClass: EncryptionClass, policy: FindingPolicy): Outcome[] {
  return evaluateFindings(resourceOf(kind), observationOf(encryptionClass), policy).map(
    (finding) => [finding.rule, finding.severity] as const,
  );
}

function withSeverity(
  kind: ResourceKind,
  encryptionClass: (typeof FLAGGABLE_ENCRYPTION_CLASSES)[number],
  severity: Severity | null,
): FindingPolicy {
  const severities = DEFAULT_FINDING_POLICY.severities;
  return {
    ...DEFAULT_FINDING_POLICY,
    severities: { ...severities, [kind]: { ...severities[kind], [encryptionClass]: severity } },
  };
}

describe('evaluateFindings with the default policy', () => {
  it.each(everyKindAndClass)('%s / %s raises the documented finding', (kind, encryptionClass) => {
    const expected = DEFAULT_OUTCOMES[kind][encryptionClass];
    expect(outcomes(kind, encryptionClass, DEFAULT_FINDING_POLICY)).toEqual(
      expected === null ? [] : [expected],
    );
  });
});

describe('evaluateFindings with a disabled rule', () => {
  const cases = everyKindAndClass.flatMap(([kind, encryptionClass]) =>
    FINDING_RULES.map((rule) => [kind, encryptionClass, rule] as const),
  );

  it.each(cases)('%s / %s with %s disabled raises only enabled rules', (kind, encryptionClass, disabled) => {
    const expected = DEFAULT_OUTCOMES[kind][encryptionClass];
    const policy = { ...DEFAULT_FINDING_POLICY, disabledRules: [disabled] };
    expect(outcomes(kind, encryptionClass, policy)).toEqual(
      expected === null || expected[0] === disabled ? [] : [expected],
    );
  });

  it('does not fire kms_key_not_approved when that rule is disabled', () => {
    const policy = {
      ...DEFAULT_FINDING_POLICY,
      approvedKmsKeys: ['another-key'],
      disabledRules: ['kms_key_not_approved' as const],
    };
    expect(outcomes('bucket', 'kms_cmk', policy)).toEqual([]);
  });
});

describe('evaluateFindings with severity overrides per kind and class', () => {
  const cases = KINDS.flatMap((kind) =>
    FLAGGABLE_ENCRYPTION_CLASSES.map((encryptionClass) => [kind, encryptionClass] as const),
  ).filter(([kind]) => kind !== 'kms_key');

  it.each(cases)('%s / %s takes the configured severity', (kind, encryptionClass) => {
    const [rule] = DEFAULT_OUTCOMES[kind][encryptionClass] ?? [];
    expect(outcomes(kind, encryptionClass, withSeverity(kind, encryptionClass, 'critical'))).toEqual([
      [rule, 'critical'],
    ]);
  });

  it.each(cases)('%s / %s set to null raises nothing', (kind, encryptionClass) => {
    expect(outcomes(kind, encryptionClass, withSeverity(kind, encryptionClass, null))).toEqual([]);
  });

  it.each(cases)('%s / %s override leaves the other kind on its default', (kind, encryptionClass) => {
    const other = kind === 'bucket' ? 'table_bucket' : 'bucket';
    expect(outcomes(other, encryptionClass, withSeverity(kind, encryptionClass, null))).toEqual([
      DEFAULT_OUTCOMES[other][encryptionClass],
    ]);
  });
});

describe('evaluateFindings with an approved-key list', () => {
  const approving = { ...DEFAULT_FINDING_POLICY, approvedKmsKeys: ['key-0001'] };
  const rejecting = { ...DEFAULT_FINDING_POLICY, approvedKmsKeys: ['key-9999'] };

  it.each(KINDS)('%s / kms_cmk with a listed key raises nothing', (kind) => {
    expect(outcomes(kind, 'kms_cmk', approving)).toEqual([]);
  });

  it.each(DATA_KINDS)('%s / kms_cmk with an unlisted key raises kms_key_not_approved, medium', (kind) => {
    expect(outcomes(kind, 'kms_cmk', rejecting)).toEqual([['kms_key_not_approved', 'medium']]);
  });

  it('uses the configured severity for kms_key_not_approved', () => {
    expect(outcomes('bucket', 'kms_cmk', { ...rejecting, keyNotApprovedSeverity: 'high' })).toEqual([
      ['kms_key_not_approved', 'high'],
    ]);
  });

  it.each(
    everyKindAndClass.filter(
      ([kind, encryptionClass]) => encryptionClass !== 'kms_cmk' && kind !== 'kms_key',
    ),
  )('%s / %s is unaffected by the list', (kind, encryptionClass) => {
    expect(outcomes(kind, encryptionClass, rejecting)).toEqual([DEFAULT_OUTCOMES[kind][encryptionClass]]);
  });
});

describe('isApprovedKmsKey', () => {
  const arn = 'acs:kms:cn-hangzhou:1234567890:key/key-0001';
  it.each<[string, string | null, readonly string[], boolean]>([
    ['an exact key id', 'key-0001', ['key-0001'], true],
    ['an exact ARN', arn, [arn], true],
    ['an ARN whose key id is listed', arn, ['key-0001'], true],
    ['a key id whose ARN is listed', 'key-0001', [arn], true],
    ['a different key id', 'key-0002', ['key-0001'], false],
    ['an ARN of another account with the same key id', arn, ['acs:kms:cn-hangzhou:999:key/key-0001'], false],
    ['a key id that differs in case', 'KEY-0001', ['key-0001'], false],
    ['a key id that is only a prefix of a listed one', 'key-000', ['key-0001'], false],
    ['a missing key id', null, ['key-0001'], false],
    ['an empty list', 'key-0001', [], false],
  ])('accepts %s: %s in %j -> %s', (_case, keyId, list, expected) => {
    expect(isApprovedKmsKey(keyId, list)).toBe(expected);
  });
});

describe('finding texts', () => {
  const textOf = (
    kind: ResourceKind,
    encryptionClass: EncryptionClass,
    policy = DEFAULT_FINDING_POLICY,
  ): string => {
    const [finding] = evaluateFindings(resourceOf(kind, 'ledger'), observationOf(encryptionClass), policy);
    return `${finding?.title ?? ''}\n${finding?.message ?? ''}`;
  };

  it.each(['table_bucket', 'table'] as const)(
    'says KMS is not offered for OSS Tables yet in a %s non_kms finding',
    (kind) => {
      expect(textOf(kind, 'oss_aes256')).toContain('KMS is not offered for OSS Tables yet');
    },
  );

  it('does not excuse an OSS bucket non_kms finding', () => {
    expect(textOf('bucket', 'oss_aes256')).not.toContain('not offered');
  });

  it.each(everyKindAndClass.filter(([kind, cls]) => DEFAULT_OUTCOMES[kind][cls] !== null))(
    '%s / %s names the resource, account and region',
    (kind, encryptionClass) => {
      expect(textOf(kind, encryptionClass)).toMatch(/"ledger" \(account prod, cn-hangzhou\)/);
    },
  );

  it('names the algorithm of a non_kms finding', () => {
    expect(textOf('bucket', 'oss_sm4')).toContain('SM4');
  });

  it('names the unapproved key', () => {
    const policy = { ...DEFAULT_FINDING_POLICY, approvedKmsKeys: ['key-9999'] };
    expect(textOf('bucket', 'kms_cmk', policy)).toContain('"key-0001"');
  });

  it('names the error code of an unverifiable finding', () => {
    expect(textOf('bucket', 'unknown')).toContain('AccessDenied');
  });
});

describe('isCompleteObservation', () => {
  it.each(ENCRYPTION_CLASSES)('%s is complete unless unknown', (encryptionClass) => {
    expect(isCompleteObservation(observationOf(encryptionClass))).toBe(encryptionClass !== 'unknown');
  });
});

describe('evaluateFindings on the key a bucket names', () => {
  const OWNER = '1234567890123456';
  const OTHER = '6543210987654321';
  const at = new Date('2026-12-03T00:00:00Z');
  const keyFacts = (owner: string, keyState: string, deleteDate: string | null = null) => ({
    keyId: 'key-hzz62f1cb66fa42qo2b6x',
    arn: `acs:kms:cn-hangzhou:${owner}:key/key-hzz62f1cb66fa42qo2b6x`,
    keyState,
    creator: owner,
    origin: 'Aliyun_KMS',
    protectionLevel: 'SOFTWARE',
    automaticRotation: 'Enabled',
    rotationInterval: '31536000s',
    deletionProtection: 'Enabled',
    deleteDate,
    keySpec: 'Aliyun_AES_256',
    keyUsage: 'ENCRYPT/DECRYPT',
  });
  const judged = (key: FindingContext['key'], policy: FindingPolicy = DEFAULT_FINDING_POLICY) =>
    evaluateFindings(resourceOf('bucket'), observationOf('kms_cmk'), policy, {
      key,
      parent: null,
      accountId: OWNER,
      at,
    }).map((finding) => [finding.rule, finding.severity]);

  it('raises kms_key_cross_account (info by default) for a key of another account, and nothing for its own', () => {
    expect(judged({ kind: 'observed', resourceKey: 'k', facts: keyFacts(OTHER, 'Enabled') })).toEqual([
      ['kms_key_cross_account', 'info'],
    ]);
    expect(judged({ kind: 'observed', resourceKey: 'k', facts: keyFacts(OWNER, 'Enabled') })).toEqual([]);
  });

  it('follows the policy for a cross-account key: a severity override, or null to accept them', () => {
    const key = { kind: 'observed', resourceKey: 'k', facts: keyFacts(OTHER, 'Enabled') } as const;
    const strict = {
      ...DEFAULT_FINDING_POLICY,
      ruleSeverities: { ...DEFAULT_FINDING_POLICY.ruleSeverities, kms_key_cross_account: 'high' as const },
    };
    expect(judged(key, strict)).toEqual([['kms_key_cross_account', 'high']]);
    const accepted = {
      ...DEFAULT_FINDING_POLICY,
      ruleSeverities: { ...DEFAULT_FINDING_POLICY.ruleSeverities, kms_key_cross_account: null },
    };
    expect(judged(key, accepted)).toEqual([]);
  });

  it('is critical for a Disabled key and for one pending deletion, naming the days left', () => {
    expect(judged({ kind: 'observed', resourceKey: 'k', facts: keyFacts(OWNER, 'Disabled') })).toEqual([
      ['kms_key_disabled', 'critical'],
    ]);
    const pending = evaluateFindings(resourceOf('bucket'), observationOf('kms_cmk'), DEFAULT_FINDING_POLICY, {
      key: {
        kind: 'observed',
        resourceKey: 'k',
        facts: keyFacts(OWNER, 'PendingDeletion', '2026-12-10T12:00:00Z'),
      },
      parent: null,
      accountId: OWNER,
      at,
    });
    expect(pending.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['kms_key_pending_deletion', 'critical'],
    ]);
    expect(pending[0]?.message).toContain('in 7 days');
  });

  it('is high for a key KMS does not know, and unverifiable (never compliant) for one it could not read', () => {
    expect(judged({ kind: 'not_found', resourceKey: 'k', code: 'Forbidden.KeyNotFound' })).toEqual([
      ['kms_key_not_found', 'high'],
    ]);
    expect(judged({ kind: 'unknown', resourceKey: 'k', errorCode: 'Forbidden.NoPermission' })).toEqual([
      ['unverifiable', 'medium'],
    ]);
  });
});

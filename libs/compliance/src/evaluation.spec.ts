import { ENCRYPTION_CLASSES, type EncryptionClass } from '@app/audit';

import { DEFAULT_CATALOGUE } from './catalogue/default-catalogue';
import { evaluateControls, type ControlResult } from './evaluation';
import type { ComplianceException } from './exceptions/exception';
import type { ComplianceResourceKind, KeyAssessment, KeyState } from './resource-facts';
import { AT, exceptionOf, factsOf, observationOf, observedKey, resourceOf } from './testing/facts';

// The matrix: every encryption class x key case x exception state, per kind. Expectations are written out per
// control as one letter per key case, in KEY_CASES order: P pass, F fail, W warning, - no result.
type KeyCase = KeyState | 'not_found' | 'unknown' | 'not_applicable';
const KEY_CASES: readonly KeyCase[] = [
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'not_found',
  'unknown',
  'not_applicable',
];

type ExceptionCase = 'none' | 'active' | 'expired' | 'revoked' | 'pending';
const EXCEPTION_CASES: readonly ExceptionCase[] = ['none', 'active', 'expired', 'revoked', 'pending'];

type Row = string; // seven letters
type Expectations = Readonly<Record<string, Readonly<Record<EncryptionClass, Row>>>>;

const everywhere = (row: Row): Record<EncryptionClass, Row> => ({
  kms_cmk: row,
  kms_default: row,
  oss_aes256: row,
  oss_sm4: row,
  none: row,
  unknown: row,
});

// Buckets. The key is a customer key of the account; only kms_cmk names it, so other classes ignore it.
const BUCKET: Expectations = {
  'cis-alibaba-v2.0.0-5.8': {
    kms_cmk: 'FFFFFWW',
    kms_default: 'PPPPPPP',
    oss_aes256: 'FFFFFFF',
    oss_sm4: 'FFFFFFF',
    none: 'FFFFFFF',
    unknown: 'WWWWWWW',
  },
  'cis-alibaba-v2.0.0-5.9': {
    kms_cmk: 'PPPPFWW',
    kms_default: 'FFFFFFF',
    oss_aes256: 'FFFFFFF',
    oss_sm4: 'FFFFFFF',
    none: 'FFFFFFF',
    unknown: 'WWWWWWW',
  },
  'config-oss-bucket-server-side-encryption-enabled': {
    ...everywhere('PPPPPPP'),
    none: 'FFFFFFF',
    unknown: 'WWWWWWW',
  },
  'config-oss-default-encryption-kms': {
    kms_cmk: 'PPPPPPP',
    kms_default: 'PPPPPPP',
    oss_aes256: 'FFFFFFF',
    oss_sm4: 'FFFFFFF',
    none: 'FFFFFFF',
    unknown: 'WWWWWWW',
  },
  'config-oss-encryption-byok-check': {
    kms_cmk: 'PPPPFWW',
    kms_default: 'FFFFFFF',
    oss_aes256: 'FFFFFFF',
    oss_sm4: 'FFFFFFF',
    none: 'FFFFFFF',
    unknown: 'WWWWWWW',
  },
  'seed-kms-key-exists': { ...everywhere('-------'), kms_cmk: 'PPPPFWW', unknown: 'WWWWWWW' },
  'seed-kms-key-enabled': { ...everywhere('-------'), kms_cmk: 'PFFFFWW', unknown: 'WWWWWWW' },
  'seed-encryption-verifiable': { ...everywhere('PPPPPPP'), unknown: 'WWWWWWW' },
};

const TABLE_BUCKET: Expectations = {
  'seed-table-bucket-default-encryption': { ...everywhere('PPPPPPP'), none: 'FFFFFFF', unknown: 'WWWWWWW' },
  'seed-kms-key-exists': BUCKET['seed-kms-key-exists']!,
  'seed-kms-key-enabled': BUCKET['seed-kms-key-enabled']!,
  'seed-encryption-verifiable': BUCKET['seed-encryption-verifiable']!,
};

// Tables, in a table bucket whose current default is AES256 (the only choice today).
const TABLE: Expectations = {
  'seed-table-encrypted': { ...everywhere('PPPPPPP'), none: 'FFFFFFF', unknown: 'WWWWWWW' },
  'seed-table-not-weaker-than-bucket': { ...everywhere('PPPPPPP'), none: 'FFFFFFF', unknown: 'WWWWWWW' },
  'seed-kms-key-exists': BUCKET['seed-kms-key-exists']!,
  'seed-kms-key-enabled': BUCKET['seed-kms-key-enabled']!,
  'seed-encryption-verifiable': BUCKET['seed-encryption-verifiable']!,
};

// Keys: a customer key whose rotation is Suspended unless Enabled, and PendingImport keys have EXTERNAL origin.
const KMS_KEY: Readonly<Record<string, Row>> = {
  'config-kms-key-rotation-enabled': 'PFF--WW',
  'config-kms-key-delete-protection-enabled': 'P----WW',
  'seed-kms-key-exists': 'PPPPFWW',
  'seed-kms-key-enabled': 'PFFFFWW',
  'seed-encryption-verifiable': 'PPPPPWW',
};

const STATUS = { P: 'pass', F: 'fail', W: 'warning' } as const;

function keyOf(keyCase: KeyCase): KeyAssessment {
  switch (keyCase) {
    case 'not_found':
      return { kind: 'not_found' };
    case 'unknown':
      return { kind: 'unknown', errorCode: 'Forbidden.NoPermission' };
    case 'not_applicable':
      return { kind: 'not_applicable' };
    default:
      return observedKey(keyCase);
  }
}

function exceptionsOf(exceptionCase: ExceptionCase, kind: ComplianceResourceKind): ComplianceException[] {
  const covering = exceptionOf({
    scope: { type: 'resource', resourceKey: resourceOf(kind).resourceKey },
    controlIds: DEFAULT_CATALOGUE.controls.map((control) => control.id),
  });
  switch (exceptionCase) {
    case 'none':
      return [];
    case 'active':
      return [covering];
    case 'expired':
      return [{ ...covering, expiresAt: new Date('2025-05-31T00:00:00Z') }];
    case 'revoked':
      return [
        {
          ...covering,
          revokedBy: 'carol@example.com',
          revokedAt: new Date('2025-05-20T00:00:00Z'),
          revocationReason: 'Migration done',
        },
      ];
    case 'pending':
      return [{ ...covering, approvedBy: null, approvedAt: null }];
  }
}

/** The outcome written in the tables, with an active exception turning fail and warning into suppressed. */
function expected(
  letter: string,
  exceptionCase: ExceptionCase,
): Pick<ControlResult, 'status' | 'suppressedStatus'> {
  const status = STATUS[letter as keyof typeof STATUS];
  if (exceptionCase === 'active' && status !== 'pass')
    return { status: 'suppressed', suppressedStatus: status };
  return { status, suppressedStatus: null };
}

function outcomes(
  results: readonly ControlResult[],
): Record<string, Pick<ControlResult, 'status' | 'suppressedStatus'>> {
  return Object.fromEntries(
    results.map((result) => [
      result.controlId,
      { status: result.status, suppressedStatus: result.suppressedStatus },
    ]),
  );
}

function expectedOutcomes(
  rows: Readonly<Record<string, Row>>,
  keyIndex: number,
  exceptionCase: ExceptionCase,
): Record<string, Pick<ControlResult, 'status' | 'suppressedStatus'>> {
  return Object.fromEntries(
    Object.entries(rows)
      .map(([controlId, row]) => [controlId, row[keyIndex]!] as const)
      .filter(([, letter]) => letter !== '-')
      .map(([controlId, letter]) => [controlId, expected(letter, exceptionCase)]),
  );
}

const RESOURCE_MATRICES: readonly (readonly [ComplianceResourceKind, Expectations])[] = [
  ['bucket', BUCKET],
  ['table_bucket', TABLE_BUCKET],
  ['table', TABLE],
];

describe.each(RESOURCE_MATRICES)('evaluateControls on a %s', (kind, expectations) => {
  const cases = ENCRYPTION_CLASSES.flatMap((encryptionClass) =>
    KEY_CASES.flatMap((keyCase, keyIndex) =>
      EXCEPTION_CASES.map((exceptionCase) => [encryptionClass, keyCase, exceptionCase, keyIndex] as const),
    ),
  );

  it.each(cases)(
    '%s, key %s, exception %s: the written outcome per control',
    (encryptionClass, keyCase, exceptionCase, keyIndex) => {
      const facts = factsOf(kind, { encryption: observationOf(encryptionClass), key: keyOf(keyCase) });
      const results = evaluateControls(facts, DEFAULT_CATALOGUE, exceptionsOf(exceptionCase, kind), AT);
      const rows = Object.fromEntries(
        Object.entries(expectations).map(([id, byClass]) => [id, byClass[encryptionClass]]),
      );
      expect(outcomes(results)).toEqual(expectedOutcomes(rows, keyIndex, exceptionCase));
    },
  );
});

describe('evaluateControls on a kms_key', () => {
  const cases = KEY_CASES.flatMap((keyCase, keyIndex) =>
    EXCEPTION_CASES.map((exceptionCase) => [keyCase, exceptionCase, keyIndex] as const),
  );

  it.each(cases)(
    'key %s, exception %s: the written outcome per control',
    (keyCase, exceptionCase, keyIndex) => {
      const facts = factsOf('kms_key', { key: keyOf(keyCase) });
      const results = evaluateControls(facts, DEFAULT_CATALOGUE, exceptionsOf(exceptionCase, 'kms_key'), AT);
      expect(outcomes(results)).toEqual(expectedOutcomes(KMS_KEY, keyIndex, exceptionCase));
    },
  );
});

describe('evaluateControls with exceptions', () => {
  const aes256Bucket = factsOf('bucket', {
    encryption: observationOf('oss_aes256'),
    key: { kind: 'not_applicable' },
  });
  const byNames = (controlIds: string[]): ComplianceException =>
    exceptionOf({
      id: 'logs-glob',
      scope: {
        type: 'names',
        accountAlias: 'prod',
        namePatterns: ['audit-*'],
        region: 'cn-hangzhou',
        resourceKind: 'bucket',
      },
      controlIds,
    });

  it('suppresses only the controls an exception covers, keeping reason, evidence and remedies', () => {
    const results = evaluateControls(
      aes256Bucket,
      DEFAULT_CATALOGUE,
      [byNames(['cis-alibaba-v2.0.0-5.9'])],
      AT,
    );
    const cis59 = results.find((result) => result.controlId === 'cis-alibaba-v2.0.0-5.9');
    expect(cis59).toMatchObject({
      status: 'suppressed',
      suppressedStatus: 'fail',
      exceptionIds: ['logs-glob'],
      reason: 'SSE-OSS with AES256, not KMS with a key of the account',
      evidence: { encryptionClass: 'oss_aes256', algorithm: 'AES256' },
      remedies: [{ kind: 'set_bucket_encryption', target: 'account_key' }],
    });
    expect(results.find((result) => result.controlId === 'cis-alibaba-v2.0.0-5.8')?.status).toBe('fail');
  });

  it('lists every active exception that suppresses a result', () => {
    const results = evaluateControls(
      aes256Bucket,
      DEFAULT_CATALOGUE,
      [
        byNames(['config-oss-default-encryption-kms']),
        exceptionOf({ controlIds: ['config-oss-default-encryption-kms'] }),
      ],
      AT,
    );
    expect(
      results.find((result) => result.controlId === 'config-oss-default-encryption-kms')?.exceptionIds,
    ).toEqual(['logs-glob', 'exc-1']);
  });

  it('does not suppress a control through an exception for an audit finding rule', () => {
    const results = evaluateControls(
      aes256Bucket,
      DEFAULT_CATALOGUE,
      [exceptionOf({ findingRules: ['non_kms'] })],
      AT,
    );
    expect(results.some((result) => result.status === 'suppressed')).toBe(false);
  });

  it('does not suppress another account, region or kind through a names scope', () => {
    const other = factsOf('bucket', {
      resource: { ...resourceOf('bucket'), accountAlias: 'dev' },
      encryption: observationOf('oss_aes256'),
    });
    const results = evaluateControls(other, DEFAULT_CATALOGUE, [byNames(['cis-alibaba-v2.0.0-5.9'])], AT);
    expect(results.some((result) => result.status === 'suppressed')).toBe(false);
  });
});

// The peers' known mistakes, named one by one (the matrix above covers them among all the cases).
describe('CIS 5.8 and 5.9 where peers go wrong', () => {
  const statusOf = (facts: Parameters<typeof evaluateControls>[0], controlId: string) =>
    evaluateControls(facts, DEFAULT_CATALOGUE, [], AT).find((result) => result.controlId === controlId)
      ?.status;

  it('passes 5.8 on a default-key bucket (KMS, no key id), where Steampipe alarms', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('kms_default'),
      key: { kind: 'not_applicable' },
    });
    expect(statusOf(facts, 'cis-alibaba-v2.0.0-5.8')).toBe('pass');
    expect(statusOf(facts, 'cis-alibaba-v2.0.0-5.9')).toBe('fail');
  });

  it('fails 5.8 and 5.9 on SSE-OSS SM4, where Prowler passes any algorithm', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('oss_sm4'),
      key: { kind: 'not_applicable' },
    });
    expect(statusOf(facts, 'cis-alibaba-v2.0.0-5.8')).toBe('fail');
    expect(statusOf(facts, 'cis-alibaba-v2.0.0-5.9')).toBe('fail');
  });

  it('keeps KMSDataEncryption=SM4 under KMS a cipher attribute: the default key still passes 5.8', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('kms_default', { kmsDataEncryption: 'SM4' }),
      key: { kind: 'not_applicable' },
    });
    expect(statusOf(facts, 'cis-alibaba-v2.0.0-5.8')).toBe('pass');
  });

  it('makes a denied bucket a warning on 5.8 and 5.9, neither fail nor pass', () => {
    const facts = factsOf('bucket', {
      encryption: observationOf('unknown'),
      key: { kind: 'not_applicable' },
    });
    expect(statusOf(facts, 'cis-alibaba-v2.0.0-5.8')).toBe('warning');
    expect(statusOf(facts, 'cis-alibaba-v2.0.0-5.9')).toBe('warning');
  });
});

import { findingResult, type ComplianceResult } from '../compliance-result';
import { findingView } from '../testing/findings';
import { OcsfSchema } from '../testing/ocsf-schema';
import {
  COMPLIANCE_FINDING_CLASS_UID,
  OCSF_VERSION,
  toOcsfComplianceFinding,
} from './ocsf-compliance-finding';

const CLASS_FILE = 'events/findings/compliance_finding.json';
const PRODUCT = { name: 'Seed', vendorName: 'Seed', version: '0.1.0' };
const schema = new OcsfSchema();

const resolvedAt = new Date('2026-11-04T02:00:00.000Z');
const open = findingResult(findingView());
const unverifiable = findingResult(
  findingView({ rule: 'unverifiable', encryptionClass: 'unknown', severity: 'medium' }),
);
const fixed = findingResult(
  findingView({ status: 'resolved', resolvedAt, resolvedScanId: 6, resolution: 'fixed' }),
);
const deleted = findingResult(
  findingView({ status: 'resolved', resolvedAt, resolvedScanId: 6, resolution: 'resource_deleted' }),
);
const outOfScope = findingResult(
  findingView({ status: 'resolved', resolvedAt, resolvedScanId: 6, resolution: 'out_of_scope' }),
);
/** A control result under an accepted exception, as the controls work will produce it. */
const suppressed: ComplianceResult = {
  ...open,
  uid: 'control-result-1',
  check: {
    kind: 'control',
    id: 'cis-alibaba-v2.0.0-5.8',
    title: 'Encrypt with Service Key',
    standards: ['cis-alibaba-v2.0.0'],
  },
  status: 'suppressed',
  suppressedStatus: 'warning',
  remediation: {
    summary: 'Turn on KMS with the service key',
    references: ['https://example.invalid/remedy'],
  },
};

const cases: [string, ComplianceResult][] = [
  ['an open finding', open],
  ['an unverifiable finding', unverifiable],
  ['a finding resolved as fixed', fixed],
  ['a finding closed because its resource was deleted', deleted],
  ['a finding closed because its resource left the scope', outOfScope],
  ['a suppressed control result', suppressed],
];

function event(result: ComplianceResult): Record<string, unknown> {
  return { ...toOcsfComplianceFinding(result, PRODUCT) };
}

describe('OCSF Compliance Finding export, against the OCSF 1.8.0 schema files (vendored upstream copies)', () => {
  it('follows the schema version and class uid the schema files define', () => {
    expect(schema.version).toBe(OCSF_VERSION);
    expect(schema.classUid(CLASS_FILE)).toBe(COMPLIANCE_FINDING_CLASS_UID);
  });

  it.each(cases)(
    'maps %s to an event with every required attribute, the right types and enum values',
    (_name, result) => {
      expect(schema.validateEvent(event(result), CLASS_FILE)).toEqual([]);
    },
  );

  it('the validator reads the schema: it rejects a missing required attribute, a wrong type and an unknown enum value', () => {
    const withoutFindingInfo = event(open);
    delete withoutFindingInfo.finding_info;
    expect(schema.validateEvent(withoutFindingInfo, CLASS_FILE)).toContain('finding_info: required, missing');
    expect(schema.validateEvent({ ...event(open), time: '2026-11-01' }, CLASS_FILE)).toEqual([
      expect.stringContaining('time: must be timestamp_t'),
    ]);
    expect(schema.validateEvent({ ...event(open), status_id: 7 }, CLASS_FILE)).toEqual([
      expect.stringContaining('status_id: 7 is not one of'),
    ]);
    expect(schema.validateEvent({ ...event(open), bucket: 'x' }, CLASS_FILE)).toEqual([
      'bucket: not an attribute here',
    ]);
  });

  it('reports an open finding as failing its check, finding status New', () => {
    expect(event(open)).toMatchObject({
      compliance: { status_id: 3, status: 'Fail', control: 'unencrypted' },
      status_id: 1,
      severity_id: 4,
      type_uid: 200302,
    });
  });

  it('reports an unverifiable finding as compliance status Warning, never Pass or Fail', () => {
    expect(event(unverifiable).compliance).toMatchObject({ status_id: 2, status: 'Warning' });
  });

  it('reports a suppressed result as finding status Suppressed with the verdict it would have had', () => {
    expect(event(suppressed)).toMatchObject({
      status_id: 3,
      status: 'Suppressed',
      compliance: { status_id: 2, status: 'Warning', standards: ['cis-alibaba-v2.0.0'] },
    });
  });

  it('reports an open finding an exception suppresses as Suppressed, failing its check, never a pass', () => {
    const result = findingResult(findingView({ exceptionId: 'exc-1' }));
    expect(result).toMatchObject({ status: 'suppressed', suppressedStatus: 'fail' });
    expect(event(result)).toMatchObject({
      status_id: 3,
      status: 'Suppressed',
      compliance: { status_id: 3, status: 'Fail' },
    });
    // Once resolved, the exception it had no longer suppresses anything.
    const closed = findingResult(
      findingView({
        exceptionId: 'exc-1',
        status: 'resolved',
        resolvedAt,
        resolvedScanId: 6,
        resolution: 'fixed',
      }),
    );
    expect(closed.status).toBe('pass');
  });

  it('closes a fixed finding as Resolved and Pass, at the time it was resolved', () => {
    expect(event(fixed)).toMatchObject({
      activity_id: 3,
      status_id: 4,
      compliance: { status_id: 1 },
      time: resolvedAt.getTime(),
    });
  });

  it('archives a finding whose resource was deleted or left the scope, without calling it a pass', () => {
    for (const result of [deleted, outOfScope]) {
      expect(event(result)).toMatchObject({ activity_id: 3, status_id: 5, compliance: { status_id: 3 } });
    }
    expect(String(event(outOfScope).status_detail)).toContain('nothing was fixed');
  });

  it('tells a finding as it stood at a date: resolved later, it was open then', () => {
    const asOf = findingResult(
      findingView({ status: 'resolved', resolvedAt, resolution: 'fixed' }),
      null,
      new Date('2026-11-02T00:00:00.000Z'),
    );
    expect(asOf.lifecycle).toEqual({ state: 'open' });
    expect(event(asOf)).toMatchObject({ status_id: 1, compliance: { status_id: 3 } });
  });
});

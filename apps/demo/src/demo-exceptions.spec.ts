import { DEFAULT_CATALOGUE, parseExceptionsFile } from '@app/compliance';
import { parse } from 'yaml';

import { demoExceptionsFile } from './demo-exceptions';
import { changeTarget, demoFleet, planFleetChanges } from './demo-fleet';
import { formatControlScores, formatException } from './demo-report';

const NOW = new Date('2026-03-05T02:00:00.000Z');

describe('the demo exception', () => {
  const file = demoExceptionsFile(demoFleet(), planFleetChanges(demoFleet()), NOW);
  const parsed = parseExceptionsFile(parse(file.yaml), {
    knownControlIds: DEFAULT_CATALOGUE.controls.map((control) => control.id),
  });

  it('is an exceptions file the scanner accepts, covering an unencrypted bucket the demo leaves alone', () => {
    expect(parsed.ok).toBe(true);
    const fleet = demoFleet();
    expect(planFleetChanges(fleet).map(changeTarget)).not.toContain(file.bucket);
    const bucket = fleet.accounts[0]?.buckets.find((candidate) => candidate.name === file.bucket);
    expect(bucket?.encryption ?? null).toBeNull();
  });

  it('prints as active, with its scope, owner, approver and expiry', () => {
    if (!parsed.ok) throw new Error('the demo file must parse');
    const [exception] = parsed.value;
    if (exception === undefined) throw new Error('one exception expected');
    const text = formatException({ exception, removedAt: null, staleSince: null, staleScanId: null }, NOW);
    expect(text).toContain('Exception file:legacy-unencrypted (file), active');
    expect(text).toContain(`scope oss:${file.bucket}`);
    expect(text).toContain('approved by security-lead@example.com, expires 2026-04-04T02:00:00.000Z');
  });
});

describe('formatControlScores', () => {
  it('shows each score with suppressed results counted apart, and n/a without judged results', () => {
    const result = (status: 'pass' | 'fail' | 'suppressed') => ({
      controlId: 'config-oss-bucket-server-side-encryption-enabled',
      ruleId: 'sse_enabled' as const,
      catalogueVersion: DEFAULT_CATALOGUE.version,
      severity: 'high' as const,
      resourceKey: 'oss:x',
      resourceKind: 'bucket' as const,
      status,
      suppressedStatus: status === 'suppressed' ? ('fail' as const) : null,
      exceptionIds: [],
      reason: 'r',
      evidence: {},
      remedies: [],
      evaluatedAt: NOW,
    });
    const text = formatControlScores(
      [result('pass'), result('fail'), result('suppressed')],
      DEFAULT_CATALOGUE,
    );
    expect(text).toMatch(
      / {2}50% {2}config-oss-bucket-server-side-encryption-enabled +pass 1, fail 1, warning 0, suppressed 1/,
    );
    expect(text).toMatch(/n\/a {2}cis-alibaba-v2\.0\.0 +pass 0/);
  });
});

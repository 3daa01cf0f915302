import type { ControlCatalogue } from './catalogue/catalogue';
import { DEFAULT_CATALOGUE } from './catalogue/default-catalogue';
import type { ControlResult, ControlStatus } from './evaluation';
import { countByStatus, scoreByControl, scoreByFramework, scoreOf } from './scores';
import { AT } from './testing/facts';

function result(
  controlId: string,
  status: ControlStatus,
  suppressedStatus: 'fail' | 'warning' | null = null,
): ControlResult {
  return {
    controlId,
    ruleId: 'sse_kms',
    catalogueVersion: '1.0.0',
    severity: 'medium',
    resourceKey: `oss:${controlId}-${status}`,
    resourceKind: 'bucket',
    status,
    suppressedStatus,
    exceptionIds: suppressedStatus === null ? [] : ['exc-1'],
    reason: '',
    evidence: {},
    remedies: [],
    evaluatedAt: AT,
  };
}

describe('countByStatus and scoreOf', () => {
  const results = [
    result('a', 'pass'),
    result('a', 'pass'),
    result('a', 'fail'),
    result('a', 'warning'),
    result('a', 'suppressed', 'fail'),
    result('a', 'suppressed', 'warning'),
  ];

  it('counts each status and splits the suppressed by what they would have been', () => {
    expect(countByStatus(results)).toEqual({
      pass: 2,
      fail: 1,
      warning: 1,
      suppressed: 2,
      suppressedFail: 1,
      suppressedWarning: 1,
      total: 6,
    });
  });

  it('scores pass over pass, fail and warning, leaving the suppressed out; strictly, counting them in', () => {
    const score = scoreOf(results);
    expect(score.score).toBe(2 / 4);
    expect(score.strictScore).toBe(2 / 6);
  });

  it('never counts a warning as a pass', () => {
    expect(scoreOf([result('a', 'warning')]).score).toBe(0);
  });

  it('has no score when there is nothing to judge', () => {
    expect(scoreOf([])).toMatchObject({ score: null, strictScore: null });
    expect(scoreOf([result('a', 'suppressed', 'fail')])).toMatchObject({ score: null, strictScore: 0 });
  });
});

describe('scoreByControl', () => {
  it('scores each control that has results, in catalogue order', () => {
    const scores = scoreByControl(
      [
        result('config-oss-default-encryption-kms', 'fail'),
        result('cis-alibaba-v2.0.0-5.8', 'pass'),
        result('cis-alibaba-v2.0.0-5.8', 'fail'),
      ],
      DEFAULT_CATALOGUE,
    );
    expect(scores.map((score) => [score.controlId, score.score])).toEqual([
      ['cis-alibaba-v2.0.0-5.8', 0.5],
      ['config-oss-default-encryption-kms', 0],
    ]);
  });
});

describe('scoreByFramework', () => {
  const catalogue: ControlCatalogue = {
    version: 'test',
    controls: [],
    frameworks: [
      {
        id: 'fw',
        title: 'A framework two of whose requirements share a control',
        source: { publisher: 'test', citations: ['test'] },
        requirements: [
          { id: 'r1', title: 'one', controlIds: ['shared', 'only-r1'] },
          { id: 'r2', title: 'two', controlIds: ['shared'] },
        ],
        scopeNote: '',
      },
    ],
  };

  it('counts each result once for the framework and once per requirement that maps its control', () => {
    const [framework] = scoreByFramework(
      [result('shared', 'pass'), result('only-r1', 'fail'), result('elsewhere', 'fail')],
      catalogue,
    );
    expect(framework?.counts.total).toBe(2);
    expect(framework?.score).toBe(0.5);
    expect(
      framework?.requirements.map((requirement) => [requirement.requirementId, requirement.counts.total]),
    ).toEqual([
      ['r1', 2],
      ['r2', 1],
    ]);
  });

  it('scores every framework of the default catalogue, empty ones with no score', () => {
    const scores = scoreByFramework([result('config-kms-key-rotation-enabled', 'fail')], DEFAULT_CATALOGUE);
    expect(scores.map((score) => [score.frameworkId, score.score])).toEqual([
      ['cis-alibaba-v2.0.0', null],
      ['alibaba-mlps-level-3-pre-check', null],
      ['alibaba-pci-dss', 0],
      ['alibaba-iso-27001', 0],
      ['seed-baseline', null],
    ]);
  });
});

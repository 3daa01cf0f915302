import { scoreOf, type ControlResult, type Score } from '@app/compliance';
import type { StoredControlResult } from '@app/persistence';
import { z } from 'zod';

import { instantParameter, textParameter } from '../http/parameters';
import { iso, RESOURCE_REF, presentResourceRef, TIMESTAMP } from '../http/response-schemas';

const STATUS_VALUES = ['pass', 'fail', 'warning', 'suppressed'] as const;

/** Query of `GET /v1/controls`. */
export const CONTROLS_QUERY = z.strictObject({
  at: instantParameter(
    'The posture at this instant: the latest scan finished by then (default now)',
  ).optional(),
  account: textParameter('Only this account (alias)').optional(),
});

/** Query of `GET /v1/controls/{id}`. */
export const CONTROL_QUERY = z.strictObject({
  at: instantParameter(
    'The results at this instant: the latest scan finished by then (default now)',
  ).optional(),
  account: textParameter('Only this account (alias)').optional(),
  status: z
    .enum(STATUS_VALUES, { error: `must be one of ${STATUS_VALUES.join(', ')}` })
    .optional()
    .meta({ description: 'Only results with this status' }),
});

/** `{id}` of a control. */
export const CONTROL_ID_PARAMETERS = z.strictObject({
  id: z
    .string({ error: 'must be a control id' })
    .regex(/^[a-z0-9.-]{1,100}$/, { error: 'must be a control id (lowercase letters, digits, . and -)' })
    .meta({ description: 'Control id, e.g. cis-alibaba-v2.0.0-5.8' }),
});

const COUNT = z.number().int();

export const SCORE = z
  .object({
    counts: z.object({
      pass: COUNT,
      fail: COUNT,
      warning: COUNT,
      suppressed: COUNT,
      suppressedFail: COUNT,
      suppressedWarning: COUNT,
      total: COUNT,
    }),
    score: z.number().nullable().meta({
      description: 'pass / (pass + fail + warning); suppressed left out; null without results',
    }),
    strictScore: z.number().nullable().meta({
      description: 'pass / (pass + fail + warning + suppressed): the score as if no exception existed',
    }),
  })
  .meta({ id: 'Score' });

const ACCOUNT_SCORE = SCORE.extend({ accountAlias: z.string() });

const SCAN_REF = z
  .object({ id: z.number().int(), finishedAt: TIMESTAMP })
  .nullable()
  .meta({ description: 'The scan whose results answer; null when no scan had finished by then' });

export const CONTROLS_REPORT = z
  .object({
    at: TIMESTAMP,
    scan: SCAN_REF,
    catalogueVersion: z.string(),
    controls: z.array(
      SCORE.extend({
        id: z.string(),
        title: z.string(),
        severity: z.string(),
        source: z.string().meta({ description: 'Who defines the control and where' }),
        accounts: z.array(ACCOUNT_SCORE),
      }),
    ),
    frameworks: z.array(
      SCORE.extend({
        id: z.string(),
        title: z.string(),
        requirements: z.array(
          SCORE.extend({ id: z.string(), title: z.string(), controlIds: z.array(z.string()) }),
        ),
        accounts: z.array(ACCOUNT_SCORE),
      }),
    ),
    trend: z
      .array(
        z.object({
          scanId: z.number().int(),
          finishedAt: TIMESTAMP,
          controls: z.array(SCORE.extend({ id: z.string() })),
        }),
      )
      .meta({ description: 'The last scans finished at `at`, oldest first: each control’s score in each' }),
  })
  .meta({ id: 'ControlsReport' });

export const CONTROL_RESULT = z
  .object({
    resource: RESOURCE_REF,
    status: z.enum(STATUS_VALUES),
    suppressedStatus: z.enum(['fail', 'warning']).nullable(),
    exceptionIds: z.array(z.string()).meta({ description: 'The active exceptions that suppress it' }),
    reason: z.string(),
    evidence: z.record(z.string(), z.unknown()),
    severity: z.string(),
    catalogueVersion: z.string(),
    evaluatedAt: TIMESTAMP,
  })
  .meta({ id: 'ControlResult' });

export const CONTROL_DETAIL = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    severity: z.string(),
    resourceKinds: z.array(z.string()),
    source: z.object({
      authority: z.string(),
      document: z.string(),
      reference: z.string(),
      citations: z.array(z.string()),
    }),
    frameworks: z.array(z.object({ frameworkId: z.string(), requirementId: z.string() })),
    at: TIMESTAMP,
    scan: SCAN_REF,
    score: SCORE,
    results: z.array(CONTROL_RESULT),
  })
  .meta({ id: 'ControlDetail' });

export function presentScore(score: Score): z.input<typeof SCORE> {
  return { counts: { ...score.counts }, score: score.score, strictScore: score.strictScore };
}

/** Scores per account, accounts in name order. */
export function accountScores(
  results: readonly StoredControlResult[],
): (z.input<typeof SCORE> & { accountAlias: string })[] {
  const byAccount = new Map<string, ControlResult[]>();
  for (const stored of results) {
    const list = byAccount.get(stored.resource.accountAlias) ?? [];
    list.push(stored.result);
    byAccount.set(stored.resource.accountAlias, list);
  }
  return [...byAccount.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([accountAlias, own]) => ({ accountAlias, ...presentScore(scoreOf(own)) }));
}

export function presentControlResult(stored: StoredControlResult): z.input<typeof CONTROL_RESULT> {
  const { result } = stored;
  return {
    resource: presentResourceRef(stored.resource),
    status: result.status,
    suppressedStatus: result.suppressedStatus,
    exceptionIds: [...result.exceptionIds],
    reason: result.reason,
    evidence: { ...result.evidence },
    severity: result.severity,
    catalogueVersion: result.catalogueVersion,
    evaluatedAt: iso(result.evaluatedAt),
  };
}

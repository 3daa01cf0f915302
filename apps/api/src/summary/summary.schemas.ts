import type { PostureCounts, ScanTrendPoint } from '@app/persistence';
import { MAX_TREND_SCANS } from '@app/persistence';
import { z } from 'zod';

import {
  FINDING_RULE_VALUES,
  instantParameter,
  integerParameter,
  RESOURCE_KIND_VALUES,
  SEVERITY_VALUES,
} from '../http/parameters';
import { iso, isoOrNull, TIMESTAMP } from '../http/response-schemas';
import { CLASS_COUNTS, classCounts, coverageTotals } from '../scans/scans.schemas';

/** Scans in the trend when `scans` is absent. */
const DEFAULT_TREND_SCANS = 10;

/** Query of `GET /v1/summary`. */
export const SUMMARY_QUERY = z.strictObject({
  scans: integerParameter({
    min: 1,
    max: MAX_TREND_SCANS,
    description: `Scans in the trend, 1 to ${MAX_TREND_SCANS} (default ${DEFAULT_TREND_SCANS})`,
  })
    .optional()
    .default(DEFAULT_TREND_SCANS),
  at: instantParameter(
    'The posture as it stood at this instant (resources present then by their class then, findings open then); the trend ends there',
  ).optional(),
});

const COUNT = z.number().int();

function countsOf<const Keys extends readonly [string, ...string[]]>(keys: Keys, id: string) {
  return z
    .object(Object.fromEntries(keys.map((key) => [key, COUNT])) as Record<Keys[number], typeof COUNT>)
    .meta({ id });
}

const SEVERITY_COUNTS = countsOf(SEVERITY_VALUES, 'SeverityCounts');
const RULE_COUNTS = countsOf(FINDING_RULE_VALUES, 'RuleCounts');
const KIND_COUNTS = countsOf(RESOURCE_KIND_VALUES, 'KindCounts');

export const SUMMARY = z
  .object({
    resources: z.object({ total: COUNT, byClass: CLASS_COUNTS, byKind: KIND_COUNTS }),
    openFindings: z
      .object({ total: COUNT, bySeverity: SEVERITY_COUNTS, byRule: RULE_COUNTS })
      .meta({ description: 'Open findings no active exception suppresses' }),
    suppressedFindings: COUNT.meta({
      description:
        'Open findings an active exception suppresses (at `at`: an exception active then covered them), left out of openFindings',
    }),
    stale: z
      .object({
        resources: COUNT.meta({ description: 'Present resources the latest finished scan did not observe' }),
        openFindings: COUNT.meta({ description: 'Open findings it could not re-check' }),
        since: TIMESTAMP.nullable().meta({
          description: 'The oldest last observation among them: nothing newer is known of those resources',
        }),
      })
      .meta({
        description:
          'Not observed in the latest scan (its scope could not be proved): counted above as last observed, not as current',
      }),
    byAccountRegion: z.array(
      z.object({
        accountAlias: z.string(),
        region: z.string(),
        resources: COUNT,
        resourcesByClass: CLASS_COUNTS,
        openFindings: COUNT,
        openFindingsBySeverity: SEVERITY_COUNTS,
      }),
    ),
    trend: z
      .array(
        z.object({
          scanId: COUNT,
          trigger: z.enum(['schedule', 'api', 'cli']),
          status: z.enum(['running', 'succeeded', 'partial', 'failed']),
          startedAt: TIMESTAMP,
          finishedAt: TIMESTAMP.nullable(),
          listed: COUNT,
          observed: COUNT,
          errors: COUNT,
          resourcesByClass: CLASS_COUNTS.meta({ description: 'What the scan observed, by class' }),
          findingsOpened: COUNT,
          findingsResolved: COUNT,
          driftEvents: COUNT,
          openFindings: COUNT.meta({
            description: 'Findings open when the scan ended (now, while it runs), suppressed ones left out',
          }),
          suppressedFindings: COUNT.meta({
            description: 'Findings open when the scan ended that an exception active then suppressed',
          }),
        }),
      )
      .meta({ description: 'The latest scans, oldest first' }),
  })
  .meta({ id: 'Summary' });

type SummaryBody = z.input<typeof SUMMARY>;
type Counts = Record<string, number>;

function zeroes(keys: readonly string[]): Counts {
  return Object.fromEntries(keys.map((key) => [key, 0]));
}

/** Folds the posture rows and the trend into the summary document. */
export function presentSummary(posture: PostureCounts, trend: readonly ScanTrendPoint[]): SummaryBody {
  const byClass: Counts = {};
  const byKind = zeroes(RESOURCE_KIND_VALUES);
  const bySeverity = zeroes(SEVERITY_VALUES);
  const byRule = zeroes(FINDING_RULE_VALUES);
  const scopes = new Map<
    string,
    { accountAlias: string; region: string; classes: Counts; severities: Counts }
  >();
  const scope = (accountAlias: string, region: string) => {
    const key = JSON.stringify([accountAlias, region]);
    let entry = scopes.get(key);
    if (entry === undefined) {
      entry = { accountAlias, region, classes: {}, severities: zeroes(SEVERITY_VALUES) };
      scopes.set(key, entry);
    }
    return entry;
  };
  for (const row of posture.resources) {
    byClass[row.encryptionClass] = (byClass[row.encryptionClass] ?? 0) + row.count;
    byKind[row.kind] = (byKind[row.kind] ?? 0) + row.count;
    const entry = scope(row.accountAlias, row.region);
    entry.classes[row.encryptionClass] = (entry.classes[row.encryptionClass] ?? 0) + row.count;
  }
  for (const row of posture.openFindings) {
    bySeverity[row.severity] = (bySeverity[row.severity] ?? 0) + row.count;
    byRule[row.rule] = (byRule[row.rule] ?? 0) + row.count;
    const entry = scope(row.accountAlias, row.region);
    entry.severities[row.severity] = (entry.severities[row.severity] ?? 0) + row.count;
  }
  const sum = (counts: Counts) => Object.values(counts).reduce((total, count) => total + count, 0);
  return {
    stale: {
      resources: posture.stale.resources,
      openFindings: posture.stale.openFindings,
      since: isoOrNull(posture.stale.since),
    },
    resources: {
      total: sum(byClass),
      byClass: classCounts(byClass),
      byKind: byKind as SummaryBody['resources']['byKind'],
    },
    suppressedFindings: posture.suppressedFindings,
    openFindings: {
      total: sum(bySeverity),
      bySeverity: bySeverity as SummaryBody['openFindings']['bySeverity'],
      byRule: byRule as SummaryBody['openFindings']['byRule'],
    },
    byAccountRegion: [...scopes.values()]
      .sort((a, b) => a.accountAlias.localeCompare(b.accountAlias) || a.region.localeCompare(b.region))
      .map((entry) => ({
        accountAlias: entry.accountAlias,
        region: entry.region,
        resources: sum(entry.classes),
        resourcesByClass: classCounts(entry.classes),
        openFindings: sum(entry.severities),
        openFindingsBySeverity: entry.severities as SummaryBody['openFindings']['bySeverity'],
      })),
    trend: trend.map((point) => ({
      scanId: point.scanId,
      trigger: point.trigger,
      status: point.status,
      startedAt: iso(point.startedAt),
      finishedAt: isoOrNull(point.finishedAt),
      ...coverageTotals(point.coverage),
      resourcesByClass: classCounts(point.summary?.resourcesByClass ?? {}),
      findingsOpened: point.summary?.findingsOpened ?? 0,
      findingsResolved: point.summary?.findingsResolved ?? 0,
      driftEvents: point.summary?.driftEvents ?? 0,
      openFindings: point.openFindings,
      suppressedFindings: point.suppressedFindings,
    })),
  };
}

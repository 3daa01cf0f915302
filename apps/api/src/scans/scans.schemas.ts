import type { ScanCoverage, ScanRecord } from '@app/persistence';
import { z } from 'zod';

import { ENCRYPTION_CLASS_VALUES, PAGE_PARAMETERS, RESOURCE_KIND_VALUES } from '../http/parameters';
import { iso, isoOrNull, pageOf, TIMESTAMP } from '../http/response-schemas';

/** Query of `GET /v1/scans`. */
export const SCANS_QUERY = z.strictObject({ ...PAGE_PARAMETERS });

const COUNT = z.number().int();

/** A count per encryption class, every class present (zero when none). */
export const CLASS_COUNTS = z
  .object(
    Object.fromEntries(ENCRYPTION_CLASS_VALUES.map((value) => [value, COUNT])) as Record<
      (typeof ENCRYPTION_CLASS_VALUES)[number],
      typeof COUNT
    >,
  )
  .meta({ id: 'ClassCounts' });

export const SCAN = z
  .object({
    id: z.number().int(),
    trigger: z.enum(['schedule', 'api', 'cli']),
    status: z.enum(['running', 'succeeded', 'partial', 'failed']),
    scheduleSlot: TIMESTAMP.nullable(),
    startedAt: TIMESTAMP,
    finishedAt: TIMESTAMP.nullable(),
    durationSeconds: z.number().nullable(),
    failureReason: z.string().nullable(),
    totals: z
      .object({ listed: COUNT, observed: COUNT, errors: COUNT })
      .meta({ description: 'Sums of the coverage rows' }),
    coverage: z.array(
      z.object({
        accountAlias: z.string(),
        region: z.string(),
        kind: z.enum(RESOURCE_KIND_VALUES),
        listed: COUNT,
        observed: COUNT,
        errorsByCode: z.record(z.string(), COUNT),
        enumerationComplete: z.boolean().meta({
          description: 'False when listing stopped early: nothing missing from this scope counts as deleted',
        }),
      }),
    ),
    summary: z
      .object({
        resourcesByClass: CLASS_COUNTS,
        findingsOpened: COUNT,
        findingsResolved: COUNT,
        driftEvents: COUNT,
        alertsQueued: COUNT,
        resourcesDisappeared: COUNT,
      })
      .nullable()
      .meta({ description: 'Totals of a finished scan; null while it runs' }),
  })
  .meta({ id: 'Scan' });

export const SCANS_PAGE = pageOf(SCAN, 'Scans, newest first');

type ClassCountsBody = z.input<typeof CLASS_COUNTS>;

/** Every class with its count, zero for the ones `counts` leaves out. */
export function classCounts(counts: Readonly<Partial<Record<string, number>>>): ClassCountsBody {
  return Object.fromEntries(
    ENCRYPTION_CLASS_VALUES.map((value) => [value, counts[value] ?? 0]),
  ) as ClassCountsBody;
}

/** Listed, observed and errors summed over a scan's coverage rows. */
export function coverageTotals(coverage: readonly ScanCoverage[]): {
  listed: number;
  observed: number;
  errors: number;
} {
  let listed = 0;
  let observed = 0;
  let errors = 0;
  for (const scope of coverage) {
    listed += scope.listed;
    observed += scope.observed;
    for (const count of Object.values(scope.errorsByCode)) errors += count;
  }
  return { listed, observed, errors };
}

export function presentScan(scan: ScanRecord): z.input<typeof SCAN> {
  return {
    id: scan.id,
    trigger: scan.trigger,
    status: scan.status,
    scheduleSlot: isoOrNull(scan.scheduleSlot),
    startedAt: iso(scan.startedAt),
    finishedAt: isoOrNull(scan.finishedAt),
    durationSeconds:
      scan.finishedAt === null ? null : (scan.finishedAt.getTime() - scan.startedAt.getTime()) / 1000,
    failureReason: scan.failureReason,
    totals: coverageTotals(scan.coverage),
    coverage: scan.coverage.map((scope) => ({
      accountAlias: scope.accountAlias,
      region: scope.region,
      kind: scope.kind,
      listed: scope.listed,
      observed: scope.observed,
      errorsByCode: { ...scope.errorsByCode },
      enumerationComplete: scope.enumerationComplete,
    })),
    summary:
      scan.summary === null
        ? null
        : {
            resourcesByClass: classCounts(scan.summary.resourcesByClass),
            findingsOpened: scan.summary.findingsOpened,
            findingsResolved: scan.summary.findingsResolved,
            driftEvents: scan.summary.driftEvents,
            alertsQueued: scan.summary.alertsQueued,
            resourcesDisappeared: scan.summary.resourcesDisappeared,
          },
  };
}

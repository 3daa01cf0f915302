import { EXPORT_FORMATS, type ExportFormat } from '@app/evidence';
import { z } from 'zod';

import { FINDING_FILTER_PARAMETERS } from '../findings/findings.schemas';
import { enumParameter, instantParameter } from '../http/parameters';

/** Query of `GET /v1/exports/findings`: a format, and the filters (with `at`) of `GET /v1/findings`. */
export const FINDINGS_EXPORT_QUERY = z.strictObject({
  format: enumParameter(
    EXPORT_FORMATS as readonly [ExportFormat, ...ExportFormat[]],
    'ocsf: OCSF 1.8.0 Compliance Finding (class_uid 2003) JSON Lines; csv: RFC 4180 with a header row',
  ),
  ...FINDING_FILTER_PARAMETERS,
});

const ACCOUNT_ALIAS = /^[a-z0-9-]{1,63}$/;

/** Query of `GET /v1/evidence`. */
export const EVIDENCE_QUERY = z
  .strictObject({
    from: instantParameter('Scans started at or after this instant'),
    to: instantParameter('Scans started before this instant (a date: its midnight UTC)'),
    accounts: z
      .string({ error: 'must be one comma-separated list of account aliases' })
      .transform((text) => text.split(','))
      .pipe(
        z
          .array(
            z
              .string()
              .regex(ACCOUNT_ALIAS, { error: 'must be account aliases (a-z, 0-9, -) separated by commas' }),
          )
          .min(1)
          .max(100, { error: 'must name at most 100 accounts' }),
      )
      .optional()
      .meta({
        type: 'string',
        description: 'Only these accounts (comma-separated aliases); default every account',
      }),
  })
  .refine((query) => query.from < query.to, { path: ['to'], error: 'must be after from' });

/** A file name for the pack of a period (no characters a shell or browser would trip on). */
export function evidenceFileName(from: Date, to: Date): string {
  const day = (instant: Date) =>
    instant
      .toISOString()
      .replace(/[:.]/g, '')
      .replace(/T000000000Z$/, '');
  return `seed-evidence-${day(from)}-${day(to)}.zip`;
}

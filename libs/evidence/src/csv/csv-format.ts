import { stringify } from 'csv-stringify/sync';

import type { ComplianceResult } from '../compliance-result';

/**
 * A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, and the tab and carriage return
 * that some of them skip first) gets a leading apostrophe: shown as text, never run (OWASP "CSV
 * Injection"). Every other value is kept as is.
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One RFC 4180 record (CRLF-terminated, quoted where needed), every cell formula-safe. */
export function csvRecord(cells: readonly (string | number | boolean | null)[]): string {
  return stringify([cells.map((cell) => neutraliseFormula(cell === null ? '' : String(cell)))], {
    record_delimiter: '\r\n',
    // A bare LF or CR inside a cell is a line break too (RFC 4180 2.6): quoted like CRLF.
    quoted_match: /[\r\n]/,
  });
}

/** The columns of the compliance results CSV, in order. */
export const RESULT_CSV_COLUMNS = [
  'uid',
  'lineage_key',
  'check_kind',
  'check_id',
  'check_title',
  'standards',
  'status',
  'suppressed_status',
  'lifecycle',
  'closed_reason',
  'closed_at',
  'severity',
  'account',
  'region',
  'resource_kind',
  'resource_name',
  'resource_key',
  'message',
  'first_seen_at',
  'last_seen_at',
  'evidence',
  'remediation',
] as const;

/** The cells of one result, in `RESULT_CSV_COLUMNS` order. */
export function resultCsvCells(result: ComplianceResult): (string | null)[] {
  const closed = result.lifecycle.state === 'closed' ? result.lifecycle : null;
  return [
    result.uid,
    result.lineageKey,
    result.check.kind,
    result.check.id,
    result.check.title,
    result.check.standards.join(' '),
    result.status,
    result.suppressedStatus,
    result.lifecycle.state,
    closed?.reason ?? null,
    closed?.at.toISOString() ?? null,
    result.severity,
    result.resource.accountAlias,
    result.resource.region,
    result.resource.kind,
    result.resource.name,
    result.resource.key,
    result.message,
    result.firstSeenAt.toISOString(),
    result.lastSeenAt.toISOString(),
    JSON.stringify(result.evidence),
    result.remediation === null ? null : result.remediation.summary,
  ];
}

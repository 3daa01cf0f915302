import type { Finding } from '../api/types';

/** A cell a spreadsheet would run as a formula: `=`, `+`, `-`, `@`, tab or carriage return first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled; a
 * text that a spreadsheet would take for a formula gets a leading `'` (OWASP's CSV-injection advice),
 * since resource names and messages come from the audited accounts.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows to CSV text: CRLF line ends, a header row first. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null)[])[],
): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The columns of a findings export, each with how to read it from a finding. */
export const FINDING_COLUMNS: readonly (readonly [string, (finding: Finding) => string | number | null])[] = [
  ['id', (finding) => finding.id],
  ['status', (finding) => finding.status],
  ['severity', (finding) => finding.severity],
  ['rule', (finding) => finding.rule],
  ['title', (finding) => finding.title],
  ['account', (finding) => finding.resource.accountAlias],
  ['region', (finding) => finding.resource.region],
  ['kind', (finding) => finding.resource.kind],
  ['resource_name', (finding) => finding.resource.name],
  ['resource_key', (finding) => finding.resource.resourceKey],
  ['resource_id', (finding) => finding.resource.id],
  ['encryption_class', (finding) => finding.encryption.class],
  ['algorithm', (finding) => finding.encryption.algorithm],
  ['kms_key_id', (finding) => finding.encryption.kmsKeyId],
  ['first_seen_at', (finding) => finding.firstSeenAt],
  ['last_seen_at', (finding) => finding.lastSeenAt],
  ['resolved_at', (finding) => finding.resolvedAt],
  ['resolution', (finding) => finding.resolution],
  ['opened_scan_id', (finding) => finding.openedScanId],
  ['last_seen_scan_id', (finding) => finding.lastSeenScanId],
  ['evidence_change_id', (finding) => finding.evidence.changeId],
  ['message', (finding) => finding.message],
];

/** Findings as CSV, one row each, in the order given. */
export function findingsCsv(findings: readonly Finding[]): string {
  return toCsv(
    FINDING_COLUMNS.map(([name]) => name),
    findings.map((finding) => FINDING_COLUMNS.map(([, read]) => read(finding))),
  );
}

/** `seed-findings-open-high-20260305.csv`: what was exported, and when. */
export function csvFileName(subject: string, filters: Readonly<Record<string, string>>, now: Date): string {
  const parts = Object.entries(filters)
    .filter(([key]) => key !== 'limit')
    .map(([, value]) => value.replace(/[^A-Za-z0-9_-]+/g, '_'))
    .filter((part) => part !== '');
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `seed-${[subject, ...parts, day].join('-')}.csv`;
}

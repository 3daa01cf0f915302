/**
 * One machine-readable file of an evidence pack and its part of the report: the rows stream into
 * the file one line at a time, and past the report part, which keeps only what it prints (counts,
 * capped lists). Control results, exceptions and their change record join a pack as one more
 * section each.
 */
export interface EvidenceSection<Row = unknown> {
  /** File name inside the pack, e.g. `observations.jsonl`. */
  readonly file: string;
  /** Heading of its part of report.html. */
  readonly title: string;
  /** What the file holds, one sentence (in the report and the manifest). */
  readonly description: string;
  rows(): AsyncIterable<Row>;
  /** The file's text for one row, newline included. */
  line(row: Row): string;
  /** A fresh fold over the rows, rendering this section's part of the report. */
  report(): ReportPart<Row>;
}

/** A section's part of report.html, built while its rows stream past. */
export interface ReportPart<Row> {
  add(row: Row): void;
  /** HTML (escaped) placed under the section's heading. */
  html(): string;
}

/** A JSON Lines line. */
export function jsonLine(row: unknown): string {
  return `${JSON.stringify(row)}\n`;
}

/** Text for HTML, every markup character escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

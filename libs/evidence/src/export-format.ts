import type { ComplianceResult } from './compliance-result';
import { csvRecord, RESULT_CSV_COLUMNS, resultCsvCells } from './csv/csv-format';
import { toOcsfComplianceFinding, type OcsfProduct } from './ocsf/ocsf-compliance-finding';

/** `ocsf`: OCSF 1.8.0 Compliance Finding JSON Lines; `csv`: RFC 4180 with a header row. */
export type ExportFormat = 'ocsf' | 'csv';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['ocsf', 'csv'];

/** Media type and file extension of each format. */
export const EXPORT_MEDIA: Readonly<Record<ExportFormat, { contentType: string; extension: string }>> = {
  ocsf: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'ocsf.jsonl' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
};

/**
 * The text of an export, one line (record) at a time as the results stream in: nothing is held
 * but the result being written.
 */
export async function* exportLines(
  results: AsyncIterable<ComplianceResult>,
  format: ExportFormat,
  product: OcsfProduct,
): AsyncGenerator<string> {
  if (format === 'csv') {
    yield csvRecord(RESULT_CSV_COLUMNS);
    for await (const result of results) yield csvRecord(resultCsvCells(result));
    return;
  }
  for await (const result of results) yield `${JSON.stringify(toOcsfComplianceFinding(result, product))}\n`;
}

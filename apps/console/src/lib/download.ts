/** What a findings export can be: the API's `format` and the file's extension. */
export const EXPORT_FILES = {
  csv: { extension: 'csv', label: 'CSV' },
  ocsf: { extension: 'jsonl', label: 'OCSF' },
} as const;

export type ExportFormat = keyof typeof EXPORT_FILES;

/** `seed-findings-open-high_critical-20260305.csv`: what was exported, and when. */
export function exportFileName(
  subject: string,
  filters: Readonly<Record<string, string>>,
  now: Date,
  format: ExportFormat,
): string {
  const parts = Object.values(filters)
    .map((value) => value.replace(/[^A-Za-z0-9_-]+/g, '_'))
    .filter((part) => part !== '');
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `seed-${[subject, ...parts, day].join('-')}.${EXPORT_FILES[format].extension}`;
}

/** Hands a file the page holds to the browser as a download. */
export function saveFile(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the URL only has to outlive the click.
  window.setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

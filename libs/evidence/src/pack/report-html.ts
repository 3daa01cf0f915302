import { escapeHtml } from './evidence-section';

export const REPORT_FILE = 'report.html';

/** What the report says before its sections. */
export interface ReportHeader {
  readonly from: Date;
  readonly to: Date;
  /** The accounts the pack is limited to; null: every account. */
  readonly accounts: readonly string[] | null;
  readonly product: { readonly name: string; readonly version: string };
  readonly generatedAt: Date;
}

/**
 * A self-contained, printable HTML page (no script, no remote resource): the header, then each
 * section's part under its heading, in pack order.
 */
export function reportHtml(header: ReportHeader, parts: readonly { title: string; html: string }[]): string {
  const accounts = header.accounts === null ? 'all accounts' : header.accounts.join(', ');
  const period = `${header.from.toISOString()} to ${header.to.toISOString()}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`Encryption evidence, ${period}`)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #999; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
h2 { border-bottom: 2px solid #333; margin-top: 2em; }
.note { color: #555; }
@media print { h2 { break-before: page; } table { break-inside: auto; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>Encryption compliance evidence</h1>
<table>
<tr><th>Period (scans started)</th><td>${escapeHtml(period)}</td></tr>
<tr><th>Accounts</th><td>${escapeHtml(accounts)}</td></tr>
<tr><th>Generated</th><td>${escapeHtml(header.generatedAt.toISOString())} by ${escapeHtml(
    `${header.product.name} ${header.product.version}`,
  )}</td></tr>
</table>
<p class="note">Every file of this pack is listed with its SHA-256 in manifest.json, signed with Ed25519
(manifest.sig, public-key.pem). Check it with <code>npm run evidence -- verify pack.zip</code>.
A resource whose encryption could not be read is reported as unknown, never as compliant.</p>
${parts.map((part) => `<h2>${escapeHtml(part.title)}</h2>\n${part.html}`).join('\n')}
</body>
</html>
`;
}

/** An HTML table of text cells, every cell escaped. */
export function htmlTable(
  headings: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const head = `<tr>${headings.map((heading) => `<th>${escapeHtml(heading)}</th>`).join('')}</tr>`;
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(String(cell))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

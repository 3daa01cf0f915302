import type { Finding } from '../api/types';
import { csvField, csvFileName, findingsCsv, FINDING_COLUMNS, toCsv } from './csv';

const FINDING: Finding = {
  id: '6b0f6c9e-1d2f-4f43-9d55-0f3b8c0f9a11',
  findingKey: 'oss:logs-prod:unencrypted',
  status: 'open',
  rule: 'unencrypted',
  severity: 'high',
  title: 'Bucket is not encrypted',
  message: 'No default encryption, "anyone" may write, then read',
  resource: {
    id: 42,
    kind: 'bucket',
    resourceKey: 'oss:logs-prod',
    accountAlias: 'prod',
    region: 'cn-hangzhou',
    name: 'logs-prod',
  },
  encryption: { class: 'none', algorithm: null, kmsKeyId: null },
  firstSeenAt: '2026-03-05T02:00:00.000Z',
  lastSeenAt: '2026-03-06T02:00:00.000Z',
  openedScanId: 1,
  lastSeenScanId: 2,
  resolvedAt: null,
  resolvedScanId: null,
  resolution: null,
  suppressed: false,
  exceptionId: null,
  stale: false,
  evidence: { scanId: 2, changeId: 7 },
};

describe('CSV export', () => {
  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
  });

  it('keeps spreadsheets from running a text as a formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-1)).toBe('-1');
  });

  it('ends every line, the header included, with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, null]])).toBe('a,b\r\n1,\r\n');
  });

  it('writes one row per finding under a header of every column', () => {
    const [header, row, end] = findingsCsv([FINDING]).split('\r\n');
    expect(header).toBe(FINDING_COLUMNS.map(([name]) => name).join(','));
    expect(row).toBe(
      '6b0f6c9e-1d2f-4f43-9d55-0f3b8c0f9a11,open,high,unencrypted,Bucket is not encrypted,prod,cn-hangzhou,bucket,logs-prod,oss:logs-prod,42,none,,,2026-03-05T02:00:00.000Z,2026-03-06T02:00:00.000Z,,,1,2,7,"No default encryption, ""anyone"" may write, then read"',
    );
    expect(end).toBe('');
  });

  it('names the file after the filters and the day, in characters every system accepts', () => {
    expect(
      csvFileName(
        'findings',
        { status: 'open', severity: 'high', namePrefix: 'logs/prod' },
        new Date('2026-03-05T10:00:00Z'),
      ),
    ).toBe('seed-findings-open-high-logs_prod-20260305.csv');
  });
});

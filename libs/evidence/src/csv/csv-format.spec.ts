import { Readable } from 'node:stream';

import { parse } from 'csv-parse/sync';

import { findingResult } from '../compliance-result';
import { exportLines } from '../export-format';
import { findingView } from '../testing/findings';
import { csvRecord, neutraliseFormula, RESULT_CSV_COLUMNS } from './csv-format';

const PRODUCT = { name: 'Seed', vendorName: 'Seed', version: '0.1.0' };

function asStream<T>(items: readonly T[]): AsyncIterable<T> {
  return Readable.from(items) as AsyncIterable<T>;
}

async function text(lines: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const line of lines) all += line;
  return all;
}

describe('CSV export', () => {
  it.each(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])(
    'neutralises the formula cell %j with a leading apostrophe',
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    },
  );

  it('keeps ordinary cells as they are', () => {
    expect(neutraliseFormula('audit-logs')).toBe('audit-logs');
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });

  it('writes RFC 4180 records: CRLF endings, quotes doubled, commas and line breaks quoted', () => {
    expect(csvRecord(['a,b', 'say "hi"', 'two\nlines', null, 3])).toBe(
      '"a,b","say ""hi""","two\nlines",,3\r\n',
    );
  });

  it('round-trips through an independent RFC 4180 parser: header, then every result cell by cell', async () => {
    const awkward = findingResult(
      findingView({ message: 'Bucket "=cmd|x", with commas,\nand a line break', title: '-Title' }),
    );
    const plain = findingResult(
      findingView({ id: 'second', rule: 'unverifiable', encryptionClass: 'unknown' }),
    );
    const csv = await text(exportLines(asStream([awkward, plain]), 'csv', PRODUCT));
    const rows = parse<Record<string, string>>(csv, { columns: true });

    expect(Object.keys(rows[0] ?? {})).toEqual([...RESULT_CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      uid: awkward.uid,
      message: awkward.message,
      check_title: "'-Title",
      status: 'fail',
      resource_key: 'oss:audit-logs',
      first_seen_at: '2026-11-01T02:00:00.000Z',
    });
    expect(JSON.parse(rows[0]?.evidence ?? '')).toEqual(awkward.evidence);
    expect(rows[1]).toMatchObject({ uid: 'second', status: 'warning', check_id: 'unverifiable' });
  });

  it('writes OCSF as one JSON object per line', async () => {
    const jsonl = await text(exportLines(asStream([findingResult(findingView())]), 'ocsf', PRODUCT));
    const lines = jsonl.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ class_uid: 2003 });
  });
});

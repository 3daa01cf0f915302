import type { ScanCoverage } from '../api/types';
import { coverageMatrix } from './coverage';

function scope(
  accountAlias: string,
  region: string,
  kind: ScanCoverage['kind'],
  listed: number,
): ScanCoverage {
  return {
    accountAlias,
    region,
    kind,
    listed,
    observed: listed,
    errorsByCode: {},
    enumerationComplete: true,
  };
}

describe('coverage matrix', () => {
  it('makes one row per account and region, sorted, with a cell per kind', () => {
    const rows = coverageMatrix({
      coverage: [
        scope('prod', 'cn-shanghai', 'bucket', 3),
        scope('dev', 'cn-hangzhou', 'table_bucket', 1),
        scope('prod', 'cn-hangzhou', 'bucket', 5),
        scope('dev', 'cn-hangzhou', 'bucket', 2),
      ],
    });
    expect(rows.map((row) => [row.account, row.region, Object.keys(row.byKind).sort()])).toEqual([
      ['dev', 'cn-hangzhou', ['bucket', 'table_bucket']],
      ['prod', 'cn-hangzhou', ['bucket']],
      ['prod', 'cn-shanghai', ['bucket']],
    ]);
  });

  it('keeps a scope that listed nothing, apart from one never scanned', () => {
    const [row] = coverageMatrix({ coverage: [scope('prod', 'cn-beijing', 'table_bucket', 0)] });
    expect(row?.byKind.table_bucket?.listed).toBe(0);
    expect(row?.byKind.bucket).toBeUndefined();
  });
});

import type { Scan, ScanCoverage } from '../api/types';

/** One row of a scan's coverage matrix: an account and region, with its scope of each kind. */
export interface CoverageRow {
  readonly account: string;
  readonly region: string;
  readonly byKind: Readonly<Partial<Record<ScanCoverage['kind'], ScanCoverage>>>;
}

/**
 * A scan's coverage rows as account x region rows with a cell per kind, sorted by account then
 * region. Every scope the scan recorded is kept, those that listed nothing too: an empty scope is
 * a fact (nothing there), a missing one is a gap (never scanned), and the matrix tells them apart.
 */
export function coverageMatrix(scan: Pick<Scan, 'coverage'>): CoverageRow[] {
  const rows = new Map<
    string,
    { account: string; region: string; byKind: Partial<Record<ScanCoverage['kind'], ScanCoverage>> }
  >();
  for (const scope of scan.coverage) {
    const key = JSON.stringify([scope.accountAlias, scope.region]);
    let row = rows.get(key);
    if (row === undefined) {
      row = { account: scope.accountAlias, region: scope.region, byKind: {} };
      rows.set(key, row);
    }
    row.byKind[scope.kind] = scope;
  }
  return [...rows.values()].sort(
    (a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region),
  );
}

import type { Scan } from '../api/types';
import { formatCount, formatDuration, formatTime } from '../lib/format';
import { ScanStatusBadge } from './badges';

/** OSS error counts of a scan, summed over its scopes, most frequent first. */
export function errorsByCode(scan: Scan): [string, number][] {
  const totals = new Map<string, number>();
  for (const scope of scan.coverage) {
    for (const [code, count] of Object.entries(scope.errorsByCode))
      totals.set(code, (totals.get(code) ?? 0) + count);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** A scan's status, timing and totals as a definition list. */
export function ScanFacts({ scan }: { scan: Scan }) {
  const incomplete = scan.coverage.filter((scope) => !scope.enumerationComplete).length;
  return (
    <dl class="facts">
      <div>
        <dt>Status</dt>
        <dd>
          <ScanStatusBadge status={scan.status} />
        </dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>
          <time dateTime={scan.startedAt}>{formatTime(scan.startedAt)}</time> ({scan.trigger})
        </dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{scan.finishedAt === null ? 'still running' : formatDuration(scan.durationSeconds)}</dd>
      </div>
      <div>
        <dt>Observed / listed</dt>
        <dd>
          {formatCount(scan.totals.observed)} / {formatCount(scan.totals.listed)}
        </dd>
      </div>
      <div>
        <dt>Errors</dt>
        <dd>{formatCount(scan.totals.errors)}</dd>
      </div>
      <div>
        <dt>Scopes listed in full</dt>
        <dd>
          {formatCount(scan.coverage.length - incomplete)} of {formatCount(scan.coverage.length)}
        </dd>
      </div>
      {scan.failureReason === null ? null : (
        <div class="facts-wide">
          <dt>Failure</dt>
          <dd>{scan.failureReason}</dd>
        </div>
      )}
    </dl>
  );
}

/** The OSS error codes a scan met, with counts; says so when there were none. */
export function ScanErrors({ scan }: { scan: Scan }) {
  const errors = errorsByCode(scan);
  if (errors.length === 0) return <p class="muted">No OSS errors in this scan.</p>;
  return (
    <table class="compact">
      <caption class="visually-hidden">OSS errors of scan {scan.id}</caption>
      <thead>
        <tr>
          <th scope="col">Error code</th>
          <th scope="col" class="numeric">
            Requests
          </th>
        </tr>
      </thead>
      <tbody>
        {errors.map(([code, count]) => (
          <tr key={code}>
            <th scope="row">
              <code>{code}</code>
            </th>
            <td class="numeric">{formatCount(count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import type { AccountRegionPosture, Severity, TrendPoint } from '../api/types';
import { heatLevel, niceTicks } from '../lib/chart';
import { formatCount, formatShare, formatTime, plural } from '../lib/format';
import {
  CLASS_INFO,
  ENCRYPTION_CLASSES,
  SCAN_STATUS_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
} from '../lib/vocabulary';
import { routeHref } from '../router';

const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { top: 16, right: 20, bottom: 40, left: 48 };

/**
 * Open findings at the end of each recent scan, as a line (plain SVG: a dozen points need no
 * charting library). Described in words for screen readers, with the numbers as a table below.
 */
export function TrendChart({ points }: { points: readonly TrendPoint[] }) {
  const values = points.map((point) => point.openFindings);
  const ticks = niceTicks(Math.max(...values, 0));
  const top = ticks[ticks.length - 1] ?? 1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (index: number) =>
    MARGIN.left + (points.length === 1 ? plotWidth / 2 : (index / (points.length - 1)) * plotWidth);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const line = points
    .map(
      (point, index) =>
        `${index === 0 ? 'M' : 'L'}${x(index).toFixed(1)},${y(point.openFindings).toFixed(1)}`,
    )
    .join(' ');
  const area = `${line} L${x(points.length - 1).toFixed(1)},${y(0).toFixed(1)} L${x(0).toFixed(1)},${y(0).toFixed(1)} Z`;
  const first = points[0];
  const last = points[points.length - 1];
  const summary =
    first === undefined || last === undefined
      ? 'No scans yet'
      : `Open findings went from ${formatCount(first.openFindings)} after scan ${first.scanId.toString()} to ${formatCount(last.openFindings)} after scan ${last.scanId.toString()}, over ${plural(points.length, 'scan')}.`;
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH.toString()} ${HEIGHT.toString()}`}
        role="img"
        aria-label={`Open findings per scan. ${summary}`}
      >
        {ticks.map((tick) => (
          <g key={tick} class="chart-grid">
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} />
            <text x={MARGIN.left - 8} y={y(tick) + 4} text-anchor="end">
              {formatCount(tick)}
            </text>
          </g>
        ))}
        <path class="chart-area" d={area} />
        <path class="chart-line" d={line} />
        {points.map((point, index) => (
          <g key={point.scanId}>
            <circle
              class={`chart-point scan-point-${point.status}`}
              cx={x(index)}
              cy={y(point.openFindings)}
              r={4.5}
            >
              <title>{`Scan ${point.scanId.toString()} (${SCAN_STATUS_LABELS[point.status]}, ${formatTime(point.startedAt)}): ${plural(point.openFindings, 'open finding')}`}</title>
            </circle>
            {index % labelEvery === 0 || index === points.length - 1 ? (
              <text class="chart-axis" x={x(index)} y={HEIGHT - MARGIN.bottom + 18} text-anchor="middle">
                {`#${point.scanId.toString()}`}
              </text>
            ) : null}
          </g>
        ))}
        <text class="chart-axis" x={MARGIN.left + plotWidth / 2} y={HEIGHT - 6} text-anchor="middle">
          Scan
        </text>
      </svg>
      <figcaption class="muted">{summary}</figcaption>
      <details class="chart-numbers">
        <summary>The numbers</summary>
        <div class="table-scroll">
          <table class="compact">
            <caption class="visually-hidden">Recent scans and the findings open after each</caption>
            <thead>
              <tr>
                <th scope="col">Scan</th>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col" class="numeric">
                  Opened
                </th>
                <th scope="col" class="numeric">
                  Resolved
                </th>
                <th scope="col" class="numeric">
                  Drift
                </th>
                <th scope="col" class="numeric">
                  Open after
                </th>
              </tr>
            </thead>
            <tbody>
              {[...points].reverse().map((point) => (
                <tr key={point.scanId}>
                  <th scope="row">
                    <a href={routeHref(`/scans/${point.scanId.toString()}`)}>#{point.scanId}</a>
                  </th>
                  <td>
                    <time dateTime={point.startedAt}>{formatTime(point.startedAt)}</time>
                  </td>
                  <td>{SCAN_STATUS_LABELS[point.status]}</td>
                  <td class="numeric">{formatCount(point.findingsOpened)}</td>
                  <td class="numeric">{formatCount(point.findingsResolved)}</td>
                  <td class="numeric">{formatCount(point.driftEvents)}</td>
                  <td class="numeric">{formatCount(point.openFindings)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Open findings per severity as bars, each a link to those findings. */
export function SeverityBars({ counts }: { counts: Readonly<Record<Severity, number>> }) {
  const max = Math.max(...SEVERITIES.map((severity) => counts[severity]), 1);
  return (
    <ul class="bars" aria-label="Open findings by severity">
      {SEVERITIES.map((severity) => (
        <li key={severity} class="bar-row">
          <a class="bar-label" href={routeHref('/findings', { severity })}>
            {SEVERITY_LABELS[severity]}
          </a>
          <svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect
              class={`bar-fill severity-fill-${severity}`}
              x="0"
              y="0"
              height="10"
              width={(counts[severity] / max) * 100}
            />
          </svg>
          <span class="bar-value">{formatCount(counts[severity])}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Posture per account, region and encryption class: a table whose cells are shaded by their share
 * of the row (one hue per class), each count a link to those resources.
 */
export function PostureHeatMap({ rows }: { rows: readonly AccountRegionPosture[] }) {
  const accountRows = new Map<string, number>();
  for (const row of rows) accountRows.set(row.accountAlias, (accountRows.get(row.accountAlias) ?? 0) + 1);
  const seen = new Set<string>();
  return (
    <div class="table-scroll">
      <table class="heatmap">
        <caption class="visually-hidden">
          Present resources per account and region by encryption class, with open findings. Shading is the
          class’s share of the row.
        </caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Region</th>
            {ENCRYPTION_CLASSES.map((value) => (
              <th key={value} scope="col" class="numeric" title={CLASS_INFO[value].description}>
                {CLASS_INFO[value].label}
              </th>
            ))}
            <th scope="col" class="numeric">
              Total
            </th>
            <th scope="col" class="numeric">
              Open findings
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const firstOfAccount = !seen.has(row.accountAlias);
            seen.add(row.accountAlias);
            const scope = { account: row.accountAlias, region: row.region };
            return (
              <tr key={`${row.accountAlias}/${row.region}`}>
                {firstOfAccount ? (
                  <th scope="rowgroup" rowSpan={accountRows.get(row.accountAlias)} class="heatmap-account">
                    {row.accountAlias}
                  </th>
                ) : null}
                <th scope="row" class="heatmap-region">
                  {row.region}
                </th>
                {ENCRYPTION_CLASSES.map((value) => {
                  const count = row.resourcesByClass[value];
                  const level = heatLevel(count, row.resources);
                  return (
                    <td key={value} class={`numeric heat heat-${value} heat-level-${level.toString()}`}>
                      {count === 0 ? (
                        <span class="heat-zero">0</span>
                      ) : (
                        <a
                          href={routeHref('/resources', { ...scope, class: value })}
                          aria-label={`${formatCount(count)} ${CLASS_INFO[value].label} in ${row.accountAlias} ${row.region} (${formatShare(count, row.resources)})`}
                        >
                          {formatCount(count)}
                        </a>
                      )}
                    </td>
                  );
                })}
                <td class="numeric">
                  <a href={routeHref('/resources', scope)}>{formatCount(row.resources)}</a>
                </td>
                <td class="numeric">
                  {row.openFindings === 0 ? (
                    '0'
                  ) : (
                    <a href={routeHref('/findings', scope)}>{formatCount(row.openFindings)}</a>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import { useEffect } from 'preact/hooks';

import { api, must } from '../api/client';
import type { Scan, ScanCoverage } from '../api/types';
import { ClassBadge } from '../components/badges';
import { PageHeader, Section } from '../components/page-header';
import { ScanErrors, ScanFacts } from '../components/scan-facts';
import { ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { coverageMatrix } from '../lib/coverage';
import { formatCount } from '../lib/format';
import { ENCRYPTION_CLASSES, KIND_LABELS, KINDS } from '../lib/vocabulary';
import { routeHref } from '../router';

const POLL_MS = 2_000;

function CoverageCell({ scope }: { scope: ScanCoverage | undefined }) {
  if (scope === undefined) return <td class="coverage-cell muted">not scanned</td>;
  const errors = Object.entries(scope.errorsByCode);
  const complete = scope.observed === scope.listed && errors.length === 0 && scope.enumerationComplete;
  return (
    <td class={`coverage-cell ${complete ? 'coverage-complete' : 'coverage-gap'}`}>
      <span class="coverage-count">
        {formatCount(scope.observed)} / {formatCount(scope.listed)}
      </span>
      {scope.listed === 0 ? <span class="cell-detail">no resources</span> : null}
      {scope.enumerationComplete ? null : <span class="cell-detail">listing stopped early</span>}
      {errors.map(([code, count]) => (
        <span key={code} class="cell-detail">
          <code>{code}</code> × {formatCount(count)}
        </span>
      ))}
    </td>
  );
}

/** One scan: status, totals, coverage of every (account, region, kind) scope, errors, outcome. */
export function ScanPage({ id }: { id: number }) {
  const { state, reload } = useApi(`scan/${id.toString()}`, (signal) =>
    must(api.GET('/v1/scans/{id}', { params: { path: { id } }, signal })),
  );
  const running = state.status === 'ready' && state.data.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => {
      window.clearInterval(timer);
    };
  }, [running, reload]);

  return (
    <>
      <PageHeader
        title={`Scan #${id.toString()}`}
        description={<a href={routeHref('/scans')}>All scans</a>}
      />
      {state.status === 'loading' ? <Loading label="Loading the scan" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load this scan" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? <ScanContent scan={state.data} /> : null}
    </>
  );
}

function ScanContent({ scan }: { scan: Scan }) {
  const matrix = coverageMatrix(scan);
  return (
    <>
      <Section title="Summary" id="summary" wide>
        <ScanFacts scan={scan} />
      </Section>
      <Section title="Coverage by scope" id="coverage" wide>
        <p class="muted">
          Observed / listed resources per account, region and kind. Every planned scope is shown, empty ones
          too.
        </p>
        <div class="table-scroll">
          <table class="coverage" data-testid="coverage-table">
            <caption class="visually-hidden">Coverage of scan {scan.id}</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Region</th>
                {KINDS.map((kind) => (
                  <th key={kind} scope="col">
                    {KIND_LABELS[kind]}s
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.map((row) => (
                <tr key={`${row.account}/${row.region}`}>
                  <th scope="row">{row.account}</th>
                  <th scope="row" class="heatmap-region">
                    {row.region}
                  </th>
                  {KINDS.map((kind) => (
                    <CoverageCell key={kind} scope={row.byKind[kind]} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <div class="grid-2">
        <Section title="Errors by code" id="errors">
          <ScanErrors scan={scan} />
        </Section>
        <Section title="Outcome" id="outcome">
          {scan.summary === null ? (
            <p class="muted">Counted when the scan ends.</p>
          ) : (
            <>
              <dl class="facts">
                <div>
                  <dt>Findings opened</dt>
                  <dd>{formatCount(scan.summary.findingsOpened)}</dd>
                </div>
                <div>
                  <dt>Findings resolved</dt>
                  <dd>{formatCount(scan.summary.findingsResolved)}</dd>
                </div>
                <div>
                  <dt>Drift events</dt>
                  <dd>
                    <a href={routeHref('/drift', { window: 'range', since: scan.startedAt.slice(0, 10) })}>
                      {formatCount(scan.summary.driftEvents)}
                    </a>
                  </dd>
                </div>
                <div>
                  <dt>Disappeared</dt>
                  <dd>{formatCount(scan.summary.resourcesDisappeared)}</dd>
                </div>
                <div>
                  <dt>Alerts queued</dt>
                  <dd>{formatCount(scan.summary.alertsQueued)}</dd>
                </div>
              </dl>
              <h3>Observed by class</h3>
              <ul class="class-counts">
                {ENCRYPTION_CLASSES.map((value) => (
                  <li key={value}>
                    <ClassBadge value={value} /> {formatCount(scan.summary?.resourcesByClass[value] ?? 0)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Section>
      </div>
    </>
  );
}

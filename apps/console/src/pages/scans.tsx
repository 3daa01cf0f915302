import { useEffect, useState } from 'preact/hooks';

import { api, describeFailure, failureOf, must } from '../api/client';
import { ScanStatusBadge } from '../components/badges';
import { PageHeader } from '../components/page-header';
import { pageSizeOf, Pager, useCursorPages } from '../components/pager';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { navigate } from '../hooks/use-route';
import { formatCount, formatDuration, formatTime } from '../lib/format';
import { type Query, routeHref, withQuery } from '../router';

/** How often the list is read again while a scan on it runs. */
const POLL_MS = 2_000;

type StartOutcome =
  | { readonly kind: 'started' | 'running'; readonly scanId: number }
  | { readonly kind: 'failed'; readonly message: string };

/** Scans, newest first, with their coverage in numbers; admins can start one. */
export function ScansPage({ query, canStart }: { query: Query; canStart: boolean }) {
  const limit = pageSizeOf(query, 25);
  const pages = useCursorPages(limit.toString());
  const { state, reload } = useApi(`scans/${limit.toString()}|${pages.cursor ?? ''}`, (signal) =>
    must(api.GET('/v1/scans', { params: { query: { limit, cursor: pages.cursor } }, signal })),
  );
  const [starting, setStarting] = useState(false);
  const [outcome, setOutcome] = useState<StartOutcome | null>(null);
  const running = state.status === 'ready' && state.data.items.some((scan) => scan.status === 'running');

  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => {
      window.clearInterval(timer);
    };
  }, [running, reload]);

  const start = async () => {
    setStarting(true);
    try {
      const { data, error, response } = await api.POST('/v1/scans');
      if (data === undefined) throw failureOf(response.status, error);
      setOutcome({ kind: response.status === 201 ? 'started' : 'running', scanId: data.id });
      pages.first();
      reload();
    } catch (error) {
      setOutcome({ kind: 'failed', message: describeFailure(error) });
    } finally {
      setStarting(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Scans"
        description="Every scan with its status and coverage. A partial scan could not read everything: its errors say why."
      >
        {canStart ? (
          <button
            type="button"
            class="button button-primary"
            onClick={() => void start()}
            disabled={starting}
          >
            {starting ? 'Starting…' : 'Start a scan'}
          </button>
        ) : null}
      </PageHeader>
      <div role="status" aria-live="polite">
        {outcome === null ? null : outcome.kind === 'failed' ? (
          <p class="state state-error">Could not start a scan: {outcome.message}</p>
        ) : (
          <p class="state state-ok">
            {outcome.kind === 'started' ? 'Started scan ' : 'A scan was already running: '}
            <a href={routeHref(`/scans/${outcome.scanId.toString()}`)}>#{outcome.scanId}</a>.
          </p>
        )}
      </div>
      {state.status === 'loading' ? <Loading label="Loading scans" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load scans" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? (
        state.data.items.length === 0 && pages.pageNumber === 1 ? (
          <Empty title="No scan has run yet.">
            {canStart
              ? 'Start one with the button above.'
              : 'An admin can start one; otherwise the schedule will.'}
          </Empty>
        ) : (
          <>
            <div class="table-scroll">
              <table class="list" data-testid="scans-table">
                <caption class="visually-hidden">Scans</caption>
                <thead>
                  <tr>
                    <th scope="col">Scan</th>
                    <th scope="col">Status</th>
                    <th scope="col">Trigger</th>
                    <th scope="col">Started</th>
                    <th scope="col">Duration</th>
                    <th scope="col" class="numeric">
                      Listed
                    </th>
                    <th scope="col" class="numeric">
                      Observed
                    </th>
                    <th scope="col" class="numeric">
                      Errors
                    </th>
                    <th scope="col" class="numeric">
                      Findings opened
                    </th>
                    <th scope="col" class="numeric">
                      Resolved
                    </th>
                    <th scope="col" class="numeric">
                      Drift
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.items.map((scan) => (
                    <tr key={scan.id} data-scan-id={scan.id}>
                      <th scope="row">
                        <a href={routeHref(`/scans/${scan.id.toString()}`)}>#{scan.id}</a>
                      </th>
                      <td>
                        <ScanStatusBadge status={scan.status} />
                      </td>
                      <td>{scan.trigger}</td>
                      <td>
                        <time dateTime={scan.startedAt}>{formatTime(scan.startedAt)}</time>
                      </td>
                      <td>{scan.finishedAt === null ? 'running' : formatDuration(scan.durationSeconds)}</td>
                      <td class="numeric">{formatCount(scan.totals.listed)}</td>
                      <td class="numeric">{formatCount(scan.totals.observed)}</td>
                      <td class="numeric">{formatCount(scan.totals.errors)}</td>
                      <td class="numeric">
                        {scan.summary === null ? '' : formatCount(scan.summary.findingsOpened)}
                      </td>
                      <td class="numeric">
                        {scan.summary === null ? '' : formatCount(scan.summary.findingsResolved)}
                      </td>
                      <td class="numeric">
                        {scan.summary === null ? '' : formatCount(scan.summary.driftEvents)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              label="Scans"
              pageNumber={pages.pageNumber}
              shown={state.data.items.length}
              nextCursor={state.data.nextCursor}
              limit={limit}
              onNext={pages.next}
              onPrevious={pages.previous}
              onFirst={pages.first}
              onLimit={(size) => {
                navigate('/scans', withQuery(query, { limit: size === 25 ? undefined : size.toString() }));
              }}
            />
          </>
        )
      ) : null}
    </>
  );
}

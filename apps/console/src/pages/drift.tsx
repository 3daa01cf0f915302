import { api, must } from '../api/client';
import type { DriftQuery } from '../api/types';
import { DirectionBadge } from '../components/badges';
import { DateFilter, FilterBar, SelectFilter, TextFilter } from '../components/filters';
import { PageHeader } from '../components/page-header';
import { pageSizeOf, Pager, useCursorPages } from '../components/pager';
import { ResourceLink } from '../components/resource-link';
import { SnapshotCell } from '../components/snapshot';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { useCatalog } from '../hooks/use-catalog';
import { navigate } from '../hooks/use-route';
import { formatTime } from '../lib/format';
import {
  DIRECTION_LABELS,
  DIRECTIONS,
  DRIFT_TYPE_LABELS,
  DRIFT_TYPES,
  KIND_LABELS,
  KINDS,
} from '../lib/vocabulary';
import { pickQuery, type Query, routeHref, withQuery } from '../router';

/** The filters `GET /v1/drift` takes besides its time window. */
const FILTERS = ['type', 'direction', 'kind', 'account', 'region', 'namePrefix'] as const;

type DriftFilters = Omit<DriftQuery, 'limit' | 'cursor'>;

/** Which scan "last scan" means: the newest finished one (a running scan has evaluated nothing yet). */
async function lastScan(signal: AbortSignal) {
  const page = await must(api.GET('/v1/scans', { params: { query: { limit: 10 } }, signal }));
  return page.items.find((scan) => scan.finishedAt !== null) ?? page.items[0] ?? null;
}

/**
 * Drift events: by default those of the last scan, or of a date range; filtered as the API allows.
 * The window is `since`/`until` (days, UTC midnight) in the URL; `window=range` selects it.
 */
export function DriftPage({ query }: { query: Query }) {
  const catalog = useCatalog();
  const range = query.window === 'range';
  const filters = pickQuery(query, FILTERS) as DriftFilters;
  const limit = pageSizeOf(query);
  const filterKey = JSON.stringify([filters, range, query.since, query.until]) + limit.toString();
  const pages = useCursorPages(filterKey);
  const { state, reload } = useApi(`${filterKey}|${pages.cursor ?? ''}`, async (signal) => {
    const scan = range ? null : await lastScan(signal);
    const window = range
      ? pickQuery(query, ['since', 'until'])
      : scan === null
        ? {}
        : { since: scan.startedAt };
    const page = await must(
      api.GET('/v1/drift', {
        params: { query: { ...filters, ...window, limit, cursor: pages.cursor } },
        signal,
      }),
    );
    return { page, scan };
  });
  const set = (changes: Record<string, string | undefined>) => {
    navigate('/drift', withQuery(query, changes));
  };

  return (
    <>
      <PageHeader
        title="Drift"
        description="Changes of encryption between scans, and resources that appeared or disappeared. Newest first."
      />
      <FilterBar
        label="Filter drift"
        active={[...FILTERS, 'window', 'since', 'until'].some((key) => query[key] !== undefined)}
        onClear={() => {
          navigate('/drift', pickQuery(query, ['limit']));
        }}
      >
        <SelectFilter
          id="d-window"
          label="When"
          value={query.window}
          anyLabel="Last scan"
          options={[{ value: 'range', label: 'Date range' }]}
          onChange={(value) => {
            set({ window: value, since: undefined, until: undefined });
          }}
        />
        {range ? (
          <>
            <DateFilter
              id="d-since"
              label="From (UTC day)"
              value={query.since}
              onChange={(value) => {
                set({ since: value });
              }}
            />
            <DateFilter
              id="d-until"
              label="Before (UTC day)"
              value={query.until}
              onChange={(value) => {
                set({ until: value });
              }}
            />
          </>
        ) : null}
        <SelectFilter
          id="d-type"
          label="What happened"
          value={query.type}
          options={DRIFT_TYPES.map((value) => ({ value, label: DRIFT_TYPE_LABELS[value] }))}
          onChange={(value) => {
            set({ type: value });
          }}
        />
        <SelectFilter
          id="d-direction"
          label="Direction"
          value={query.direction}
          options={DIRECTIONS.map((value) => ({ value, label: DIRECTION_LABELS[value] }))}
          onChange={(value) => {
            set({ direction: value });
          }}
        />
        <SelectFilter
          id="d-kind"
          label="Kind"
          value={query.kind}
          options={KINDS.map((value) => ({ value, label: KIND_LABELS[value] }))}
          onChange={(value) => {
            set({ kind: value });
          }}
        />
        <SelectFilter
          id="d-account"
          label="Account"
          value={query.account}
          options={catalog.accounts}
          onChange={(value) => {
            set({ account: value });
          }}
        />
        <SelectFilter
          id="d-region"
          label="Region"
          value={query.region}
          options={catalog.regions}
          onChange={(value) => {
            set({ region: value });
          }}
        />
        <TextFilter
          id="d-name"
          label="Name starts with"
          value={query.namePrefix}
          onCommit={(value) => {
            set({ namePrefix: value });
          }}
        />
      </FilterBar>
      {state.status === 'loading' ? <Loading label="Loading drift" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load drift" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? (
        <>
          {range || state.data.scan === null ? null : (
            <p class="muted">
              Detected by the last scan,{' '}
              <a href={routeHref(`/scans/${state.data.scan.id.toString()}`)}>#{state.data.scan.id}</a>{' '}
              (started{' '}
              <time dateTime={state.data.scan.startedAt}>{formatTime(state.data.scan.startedAt)}</time>).
            </p>
          )}
          {state.data.page.items.length === 0 && pages.pageNumber === 1 ? (
            <Empty title={range ? 'No drift in this window.' : 'The last scan found no drift.'}>
              Nothing changed here; pick a date range to look further back.
            </Empty>
          ) : (
            <>
              <div class="table-scroll">
                <table class="list" data-testid="drift-table">
                  <caption class="visually-hidden">Drift events</caption>
                  <thead>
                    <tr>
                      <th scope="col">Detected</th>
                      <th scope="col">What happened</th>
                      <th scope="col">Resource</th>
                      <th scope="col">Account</th>
                      <th scope="col">Region</th>
                      <th scope="col">Before</th>
                      <th scope="col">After</th>
                      <th scope="col">Scan</th>
                    </tr>
                  </thead>
                  <tbody>
                    {state.data.page.items.map((event) => (
                      <tr key={event.id}>
                        <td>
                          <time dateTime={event.detectedAt}>{formatTime(event.detectedAt)}</time>
                        </td>
                        <td>
                          <span class="cell-title">{DRIFT_TYPE_LABELS[event.type]}</span>
                          {event.direction === null ? null : <DirectionBadge direction={event.direction} />}
                        </td>
                        <td>
                          <ResourceLink resource={event.resource} />
                        </td>
                        <td>{event.resource.accountAlias}</td>
                        <td>{event.resource.region}</td>
                        <td>
                          <SnapshotCell snapshot={event.before} />
                        </td>
                        <td>
                          <SnapshotCell snapshot={event.after} />
                        </td>
                        <td>
                          <a href={routeHref(`/scans/${event.scanId.toString()}`)}>#{event.scanId}</a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager
                label="Drift"
                pageNumber={pages.pageNumber}
                shown={state.data.page.items.length}
                nextCursor={state.data.page.nextCursor}
                limit={limit}
                onNext={pages.next}
                onPrevious={pages.previous}
                onFirst={pages.first}
                onLimit={(size) => {
                  set({ limit: size === 50 ? undefined : size.toString() });
                }}
              />
            </>
          )}
        </>
      ) : null}
    </>
  );
}

import { Fragment } from 'preact';
import { useState } from 'preact/hooks';

import { api, must } from '../api/client';
import type { AlertDelivery } from '../api/types';
import { SeverityBadge, TagBadge } from '../components/badges';
import { FilterBar, SelectFilter, TextFilter } from '../components/filters';
import { PageHeader } from '../components/page-header';
import { pageSizeOf, Pager, useCursorPages } from '../components/pager';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { navigate } from '../hooks/use-route';
import { formatCount, formatTime } from '../lib/format';
import { SEVERITY_LABELS } from '../lib/vocabulary';
import { pickQuery, type Query, routeHref, withQuery } from '../router';

const FILTERS = ['status', 'channel'] as const;

const STATUS_TONES = { delivered: 'good', pending: 'warn', failed: 'bad' } as const;
const STATUS_LABELS = { delivered: 'Delivered', pending: 'Pending', failed: 'Failed' } as const;

/**
 * One alert of a delivery. The API documents these items only as objects, so each field is read
 * defensively: a missing one shows as nothing, never as a crash.
 */
interface AlertItemView {
  readonly id: number | null;
  readonly type: string;
  readonly severity: NonNullable<AlertDelivery['maxSeverity']> | null;
  readonly title: string;
  readonly resourceId: number | null;
  readonly resourceName: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function severityOf(value: unknown): AlertItemView['severity'] {
  return typeof value === 'string' && value in SEVERITY_LABELS ? (value as AlertItemView['severity']) : null;
}

function readAlertItem(item: unknown): AlertItemView {
  const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
  const resource =
    typeof record.resource === 'object' && record.resource !== null
      ? (record.resource as Record<string, unknown>)
      : {};
  const type = text(record.type);
  return {
    id: typeof record.id === 'number' ? record.id : null,
    type,
    severity: severityOf(record.severity),
    title:
      text(record.title) || (type === 'encryption_weakened' ? 'Encryption weakened' : exceptionTitle(record)),
    resourceId: typeof record.resourceId === 'number' ? record.resourceId : null,
    resourceName: text(resource.name) || text(resource.resourceKey),
  };
}

/** `Exception exc-1 (owner alice@example.com) expires on 2026-03-10`, or the item's type. */
function exceptionTitle(record: Record<string, unknown>): string {
  const type = text(record.type);
  const exception =
    typeof record.exception === 'object' && record.exception !== null
      ? (record.exception as Record<string, unknown>)
      : null;
  if (exception === null) return type;
  const owner = text(exception.owner);
  const subject = `Exception ${text(exception.id)}${owner === '' ? '' : ` (owner ${owner})`}`;
  if (type === 'exception_expiring') return `${subject} expires on ${text(exception.expiresAt).slice(0, 10)}`;
  if (type === 'exception_stale') {
    const scan =
      typeof record.staleScanId === 'number' ? ` since scan #${record.staleScanId.toString()}` : '';
    return `${subject} matches no resource${scan}`;
  }
  return type;
}

function DeliveryItems({ delivery }: { delivery: AlertDelivery }) {
  const { state, reload } = useApi(`alert-items/${delivery.id.toString()}`, (signal) =>
    must(
      api.GET('/v1/alerts/{id}/items', {
        params: { path: { id: delivery.id }, query: { limit: 100 } },
        signal,
      }),
    ),
  );
  if (state.status === 'loading') return <Loading label="Loading the alerts of this message" />;
  if (state.status === 'error')
    return <ErrorNotice title="Could not load the alerts" error={state.error} onRetry={reload} />;
  const items = state.data.items.map(readAlertItem);
  return (
    <ul class="alert-items">
      {items.map((item, index) => (
        <li key={item.id ?? index}>
          {item.severity === null ? null : <SeverityBadge severity={item.severity} />} {item.title}
          {item.resourceId === null ? null : (
            <>
              {' '}
              —{' '}
              <a href={routeHref(`/resources/${item.resourceId.toString()}`)}>
                {item.resourceName || `resource ${item.resourceId.toString()}`}
              </a>
            </>
          )}
        </li>
      ))}
      {state.data.nextCursor === null ? null : <li class="muted">… and more (the first 100 are shown)</li>}
    </ul>
  );
}

/** Alert deliveries: one digest message of one scan to one channel, with attempts and errors. */
export function AlertsPage({ query }: { query: Query }) {
  const filters = pickQuery(query, FILTERS) as { status?: AlertDelivery['status']; channel?: string };
  const limit = pageSizeOf(query);
  const filterKey = JSON.stringify(filters) + limit.toString();
  const pages = useCursorPages(filterKey);
  const { state, reload } = useApi(`${filterKey}|${pages.cursor ?? ''}`, (signal) =>
    must(api.GET('/v1/alerts', { params: { query: { ...filters, limit, cursor: pages.cursor } }, signal })),
  );
  const [open, setOpen] = useState<number | null>(null);
  const set = (changes: Record<string, string | undefined>) => {
    navigate('/alerts', withQuery(query, changes));
  };
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Messages sent to the alert channels: one digest per scan and channel, retried until delivered."
      />
      <FilterBar
        label="Filter alerts"
        active={FILTERS.some((key) => query[key] !== undefined)}
        onClear={() => {
          navigate('/alerts', pickQuery(query, ['limit']));
        }}
      >
        <SelectFilter
          id="a-status"
          label="Status"
          value={query.status}
          options={(['pending', 'delivered', 'failed'] as const).map((value) => ({
            value,
            label: STATUS_LABELS[value],
          }))}
          onChange={(value) => {
            set({ status: value });
          }}
        />
        <TextFilter
          id="a-channel"
          label="Channel"
          value={query.channel}
          onCommit={(value) => {
            set({ channel: value });
          }}
        />
      </FilterBar>
      {state.status === 'loading' ? <Loading label="Loading alert deliveries" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load alert deliveries" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? (
        state.data.items.length === 0 && pages.pageNumber === 1 ? (
          <Empty title="No alert deliveries.">
            Alerts are sent when a scan opens findings or weakens encryption and channels are configured (
            <code>alerts.channels</code>).
          </Empty>
        ) : (
          <>
            <div class="table-scroll">
              <table class="list" data-testid="alerts-table">
                <caption class="visually-hidden">Alert deliveries</caption>
                <thead>
                  <tr>
                    <th scope="col">Created</th>
                    <th scope="col">Channel</th>
                    <th scope="col">Scan</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="numeric">
                      Alerts
                    </th>
                    <th scope="col">Highest</th>
                    <th scope="col" class="numeric">
                      Attempts
                    </th>
                    <th scope="col">Last error</th>
                    <th scope="col">
                      <span class="visually-hidden">Details</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.items.map((delivery) => (
                    <Fragment key={delivery.id}>
                      <tr>
                        <td>
                          <time dateTime={delivery.createdAt}>{formatTime(delivery.createdAt)}</time>
                        </td>
                        <td>
                          <span class="cell-title">{delivery.channel}</span>
                          <span class="cell-detail">{delivery.channelType}</span>
                        </td>
                        <td>
                          <a href={routeHref(`/scans/${delivery.scanId.toString()}`)}>#{delivery.scanId}</a>
                        </td>
                        <td>
                          <TagBadge tone={STATUS_TONES[delivery.status]}>
                            {STATUS_LABELS[delivery.status]}
                          </TagBadge>
                          {delivery.deliveredAt === null ? null : (
                            <span class="cell-detail">{formatTime(delivery.deliveredAt)}</span>
                          )}
                        </td>
                        <td class="numeric">{formatCount(delivery.alertCount)}</td>
                        <td>
                          <SeverityBadge severity={delivery.maxSeverity} />
                        </td>
                        <td class="numeric">{formatCount(delivery.attempts)}</td>
                        <td class="wrap">{delivery.lastError ?? ''}</td>
                        <td>
                          <button
                            type="button"
                            class="button button-quiet button-small"
                            aria-expanded={open === delivery.id}
                            aria-controls={`alert-items-${delivery.id.toString()}`}
                            onClick={() => {
                              setOpen(open === delivery.id ? null : delivery.id);
                            }}
                          >
                            {open === delivery.id ? 'Hide alerts' : 'Show alerts'}
                          </button>
                        </td>
                      </tr>
                      {open === delivery.id ? (
                        <tr id={`alert-items-${delivery.id.toString()}`}>
                          <td colSpan={9}>
                            <DeliveryItems delivery={delivery} />
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              label="Alert deliveries"
              pageNumber={pages.pageNumber}
              shown={state.data.items.length}
              nextCursor={state.data.nextCursor}
              limit={limit}
              onNext={pages.next}
              onPrevious={pages.previous}
              onFirst={pages.first}
              onLimit={(size) => {
                set({ limit: size === 50 ? undefined : size.toString() });
              }}
            />
          </>
        )
      ) : null}
    </>
  );
}

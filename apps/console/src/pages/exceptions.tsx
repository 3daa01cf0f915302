import { api, must } from '../api/client';
import type { Exception } from '../api/types';
import { ExceptionStateBadge, TagBadge } from '../components/badges';
import { ExceptionForm, requestedDraft } from '../components/exception-form';
import { type FilterOption, SelectFilter } from '../components/filters';
import { PageHeader } from '../components/page-header';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { navigate } from '../hooks/use-route';
import { describeScope } from '../lib/exceptions';
import { formatTime } from '../lib/format';
import { RULE_LABELS } from '../lib/vocabulary';
import { namedPath, type Query, routeHref, withQuery } from '../router';

/** What the list shows: every exception, one state now, the ones ending soon, or the stale ones. */
const SHOW_OPTIONS: readonly FilterOption[] = [
  { value: 'pending_approval', label: 'Pending approval' },
  { value: 'active', label: 'Active' },
  { value: 'expiring', label: 'Expiring soon' },
  { value: 'expired', label: 'Expired' },
  { value: 'revoked', label: 'Revoked' },
  { value: 'stale', label: 'Stale (covers nothing)' },
  { value: 'removed', label: 'Removed from the file' },
];

type StateFilter = 'pending_approval' | 'active' | 'expired' | 'revoked' | 'removed';
const STATES = new Set<string>(['pending_approval', 'active', 'expired', 'revoked', 'removed']);

interface ExceptionsData {
  readonly items: readonly Exception[];
  /** Ids of the active exceptions the API says end soon (its expiry digest). */
  readonly expiring: ReadonlySet<string>;
}

async function loadExceptions(show: string | undefined, signal: AbortSignal): Promise<ExceptionsData> {
  const state = show !== undefined && STATES.has(show) ? (show as StateFilter) : undefined;
  const [list, expiring] = await Promise.all([
    must(api.GET('/v1/exceptions', { params: { query: { state } }, signal })),
    must(api.GET('/v1/exceptions/expiring', { signal })),
  ]);
  const expiringIds = new Set(expiring.items.map((exception) => exception.id));
  const items =
    show === 'expiring'
      ? expiring.items
      : show === 'stale'
        ? list.items.filter((exception) => exception.stale)
        : list.items;
  return { items, expiring: expiringIds };
}

/** Accountable exceptions: who asked, who approved, until when, over what; admins create them here. */
export function ExceptionsPage({ query, canChange }: { query: Query; canChange: boolean }) {
  const show = query.show;
  const { state, reload } = useApi(`exceptions/${show ?? ''}`, (signal) => loadExceptions(show, signal));
  const creating = canChange && query.new === '1';
  return (
    <>
      <PageHeader
        title="Exceptions"
        description="Accepted risks: each names its scope, what it covers, an owner, an approver other than its creator, a ticket and an expiry. Only an active exception suppresses, from the next scan on."
      >
        {canChange && !creating ? (
          <a class="button button-primary" href={routeHref('/exceptions', withQuery(query, { new: '1' }))}>
            New exception
          </a>
        ) : null}
      </PageHeader>
      {creating ? (
        <ExceptionForm
          initial={requestedDraft(query)}
          onCancel={() => {
            navigate(
              '/exceptions',
              withQuery(query, { new: undefined, resourceKey: undefined, rule: undefined }),
            );
          }}
          onCreated={(created) => {
            navigate(namedPath('exceptions', created.id));
          }}
        />
      ) : null}
      <div class="filters" role="group" aria-label="Filters">
        <SelectFilter
          id="f-show"
          label="Show"
          value={show}
          options={SHOW_OPTIONS}
          anyLabel="All exceptions"
          onChange={(value) => {
            navigate('/exceptions', withQuery(query, { show: value }));
          }}
        />
      </div>
      {state.status === 'loading' ? <Loading label="Loading exceptions" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load exceptions" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? (
        state.data.items.length === 0 ? (
          <Empty title={show === undefined ? 'No exceptions yet.' : 'No exceptions match.'}>
            {show === undefined
              ? canChange
                ? 'Create one with “New exception”, or from an open finding on its resource’s page.'
                : 'An admin creates them; every finding counts until one is approved.'
              : 'Choose “All exceptions” to see the others.'}
          </Empty>
        ) : (
          <ExceptionsTable items={state.data.items} expiring={state.data.expiring} />
        )
      ) : null}
    </>
  );
}

/** The exceptions as a table, each linking to its page and change record. */
export function ExceptionsTable({
  items,
  expiring,
  caption = 'Exceptions',
}: {
  items: readonly Exception[];
  expiring: ReadonlySet<string>;
  caption?: string;
}) {
  return (
    <div class="table-scroll">
      <table class="list" data-testid="exceptions-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Exception</th>
            <th scope="col">Status and expiry</th>
            <th scope="col">Scope and what it covers</th>
            <th scope="col">Owner and approver</th>
            <th scope="col">Ticket</th>
          </tr>
        </thead>
        <tbody>
          {items.map((exception) => (
            <tr key={exception.id} data-exception-id={exception.id}>
              <td class="wrap">
                <a class="cell-title" href={routeHref(namedPath('exceptions', exception.id))}>
                  {exception.reason}
                </a>
                <span class="cell-detail">
                  <code class="break">{exception.id}</code>
                </span>
              </td>
              <td>
                <span class="badges">
                  <ExceptionStateBadge state={exception.state} />
                  {expiring.has(exception.id) ? <TagBadge tone="warn">Expiring soon</TagBadge> : null}
                  {exception.stale ? <TagBadge tone="neutral">Stale</TagBadge> : null}
                </span>
                <span class="cell-detail">
                  expires <time dateTime={exception.expiresAt}>{formatTime(exception.expiresAt)}</time>
                </span>
              </td>
              <td class="wrap">
                <code class="break">{describeScope(exception.scope)}</code>
                <Covers exception={exception} />
              </td>
              <td>
                {exception.owner}
                <span class="cell-detail">approver {exception.approver}</span>
                <span class="cell-detail">
                  {exception.approvedAt === null ? (
                    'not yet approved'
                  ) : (
                    <>
                      approved <time dateTime={exception.approvedAt}>{formatTime(exception.approvedAt)}</time>
                    </>
                  )}
                </span>
              </td>
              <td>
                <TicketLink url={exception.ticketUrl} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The controls (each linking to its results) and finding rules an exception covers. */
export function Covers({ exception }: { exception: Exception }) {
  return (
    <ul class="plain-list covers">
      {exception.controlIds.map((id) => (
        <li key={id}>
          <a href={routeHref(namedPath('controls', id))}>{id}</a>
        </li>
      ))}
      {exception.findingRules.map((rule) => (
        <li key={rule}>
          {rule in RULE_LABELS ? RULE_LABELS[rule as keyof typeof RULE_LABELS] : rule}{' '}
          <span class="muted">(finding rule)</span>
        </li>
      ))}
    </ul>
  );
}

/** The ticket, opened apart from the console; only http(s) links are links. */
export function TicketLink({ url }: { url: string }) {
  if (!/^https?:\/\//i.test(url)) return <span>{url}</span>;
  const label = url.replace(/^https?:\/\//i, '');
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" class="ticket">
      {label}
    </a>
  );
}

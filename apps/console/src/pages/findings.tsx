import { useState } from 'preact/hooks';

import { allPages, api, describeFailure, must } from '../api/client';
import type { Finding, FindingsQuery } from '../api/types';
import { ClassBadge, SeverityBadge, TagBadge } from '../components/badges';
import { DateFilter, FilterBar, SelectFilter, TextFilter } from '../components/filters';
import { PageHeader } from '../components/page-header';
import { pageSizeOf, Pager, useCursorPages } from '../components/pager';
import { ResourceLink } from '../components/resource-link';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { useCatalog } from '../hooks/use-catalog';
import { navigate } from '../hooks/use-route';
import { csvFileName, findingsCsv } from '../lib/csv';
import { formatCount, formatTime } from '../lib/format';
import { KIND_LABELS, KINDS, RULE_LABELS, RULES, SEVERITIES, SEVERITY_LABELS } from '../lib/vocabulary';
import { pickQuery, type Query, withQuery } from '../router';

/** The filters `GET /v1/findings` takes, by their names there (and in this page's URL). */
const FILTERS = [
  'status',
  'severity',
  'rule',
  'kind',
  'account',
  'region',
  'namePrefix',
  'openedSince',
  'resolvedSince',
] as const;

/** Largest page the API serves: the export walks the list in as few calls as it can. */
const EXPORT_PAGE = 500;

type FindingFilters = Omit<FindingsQuery, 'limit' | 'cursor'>;

function filtersOf(query: Query): FindingFilters {
  return pickQuery(query, FILTERS) as FindingFilters;
}

/** Hands a text to the browser as a file download. */
function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

/** Findings with every filter the API takes, keyset pages, and a CSV of exactly what is filtered. */
export function FindingsPage({ query }: { query: Query }) {
  const catalog = useCatalog();
  const filters = filtersOf(query);
  const limit = pageSizeOf(query);
  const filterKey = JSON.stringify(filters) + limit.toString();
  const pages = useCursorPages(filterKey);
  const { state, reload } = useApi(`${filterKey}|${pages.cursor ?? ''}`, (signal) =>
    must(api.GET('/v1/findings', { params: { query: { ...filters, limit, cursor: pages.cursor } }, signal })),
  );
  const [exporting, setExporting] = useState<string | null>(null);

  const set = (changes: Record<string, string | undefined>) => {
    navigate('/findings', withQuery(query, changes));
  };

  const exportCsv = async () => {
    setExporting('Fetching findings…');
    try {
      const { items } = await allPages(
        (cursor) =>
          must(api.GET('/v1/findings', { params: { query: { ...filters, limit: EXPORT_PAGE, cursor } } })),
        {
          onProgress: (count) => {
            setExporting(`Fetched ${formatCount(count)} findings…`);
          },
        },
      );
      download(
        findingsCsv(items),
        csvFileName('findings', { status: filters.status ?? 'open', ...filters }, new Date()),
      );
      setExporting(`Downloaded ${formatCount(items.length)} findings.`);
    } catch (error) {
      setExporting(`The export failed: ${describeFailure(error)}`);
    }
  };

  const status = filters.status ?? 'open';
  return (
    <>
      <PageHeader
        title="Findings"
        description="Newest opened first (the API’s order). Filters apply on the server; the CSV holds every finding they match."
      >
        <button
          type="button"
          class="button"
          onClick={() => void exportCsv()}
          disabled={exporting?.endsWith('…') ?? false}
        >
          Download CSV
        </button>
      </PageHeader>
      <p class="export-status" role="status" aria-live="polite">
        {exporting ?? ''}
      </p>
      <FilterBar
        label="Filter findings"
        active={FILTERS.some((key) => query[key] !== undefined)}
        onClear={() => {
          navigate('/findings', pickQuery(query, ['limit']));
        }}
      >
        <SelectFilter
          id="f-status"
          label="Status"
          value={query.status}
          anyLabel="Open"
          options={[
            { value: 'resolved', label: 'Resolved' },
            { value: 'all', label: 'Open and resolved' },
          ]}
          onChange={(value) => {
            set({ status: value });
          }}
        />
        <SelectFilter
          id="f-severity"
          label="Severity"
          value={query.severity}
          options={SEVERITIES.map((value) => ({ value, label: SEVERITY_LABELS[value] }))}
          onChange={(value) => {
            set({ severity: value });
          }}
        />
        <SelectFilter
          id="f-rule"
          label="Rule"
          value={query.rule}
          options={RULES.map((value) => ({ value, label: RULE_LABELS[value] }))}
          onChange={(value) => {
            set({ rule: value });
          }}
        />
        <SelectFilter
          id="f-kind"
          label="Kind"
          value={query.kind}
          options={KINDS.map((value) => ({ value, label: KIND_LABELS[value] }))}
          onChange={(value) => {
            set({ kind: value });
          }}
        />
        <SelectFilter
          id="f-account"
          label="Account"
          value={query.account}
          options={catalog.accounts}
          onChange={(value) => {
            set({ account: value });
          }}
        />
        <SelectFilter
          id="f-region"
          label="Region"
          value={query.region}
          options={catalog.regions}
          onChange={(value) => {
            set({ region: value });
          }}
        />
        <TextFilter
          id="f-name"
          label="Name starts with"
          value={query.namePrefix}
          onCommit={(value) => {
            set({ namePrefix: value });
          }}
        />
        <DateFilter
          id="f-opened"
          label="Opened since"
          value={query.openedSince}
          onChange={(value) => {
            set({ openedSince: value });
          }}
        />
        {status === 'open' ? null : (
          <DateFilter
            id="f-resolved"
            label="Resolved since"
            value={query.resolvedSince}
            onChange={(value) => {
              set({ resolvedSince: value });
            }}
          />
        )}
      </FilterBar>

      {state.status === 'loading' ? <Loading label="Loading findings" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load findings" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? (
        state.data.items.length === 0 && pages.pageNumber === 1 ? (
          <Empty title="No findings match these filters.">
            {status === 'open'
              ? 'Nothing open here: try "Open and resolved", or clear the filters.'
              : 'Try clearing the filters.'}
          </Empty>
        ) : (
          <>
            <FindingsTable findings={state.data.items} />
            <Pager
              label="Findings"
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

/** Findings as rows: severity, what, where, since when. */
export function FindingsTable({
  findings,
  caption = 'Findings',
}: {
  findings: readonly Finding[];
  caption?: string;
}) {
  return (
    <div class="table-scroll">
      <table class="list" data-testid="findings-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Finding</th>
            <th scope="col">Resource</th>
            <th scope="col">Account</th>
            <th scope="col">Region</th>
            <th scope="col">Encryption</th>
            <th scope="col">Seen</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((finding) => (
            <tr key={finding.id} data-finding-id={finding.id}>
              <td>
                <SeverityBadge severity={finding.severity} />
              </td>
              <td class="wrap">
                <span class="cell-title">{finding.title}</span>
                <span class="cell-detail">{RULE_LABELS[finding.rule]}</span>
              </td>
              <td>
                <ResourceLink resource={finding.resource} />
                <span class="cell-detail">{KIND_LABELS[finding.resource.kind]}</span>
              </td>
              <td>{finding.resource.accountAlias}</td>
              <td>{finding.resource.region}</td>
              <td>
                <ClassBadge value={finding.encryption.class} />
              </td>
              <td>
                <time dateTime={finding.firstSeenAt} title="First seen">
                  {formatTime(finding.firstSeenAt)}
                </time>
                <span class="cell-detail">
                  last <time dateTime={finding.lastSeenAt}>{formatTime(finding.lastSeenAt)}</time>
                </span>
              </td>
              <td>
                {finding.status === 'open' ? (
                  <TagBadge tone="bad">Open</TagBadge>
                ) : (
                  <span title={`Resolved ${formatTime(finding.resolvedAt)}`}>
                    <TagBadge tone="good">
                      {finding.resolution === 'resource_deleted' ? 'Gone' : 'Fixed'}
                    </TagBadge>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

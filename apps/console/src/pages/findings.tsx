import { useState } from 'preact/hooks';

import { api, describeFailure, must } from '../api/client';
import type { Finding, FindingsQuery } from '../api/types';
import { ClassBadge, SeverityBadge, TagBadge } from '../components/badges';
import {
  CheckListFilter,
  DateFilter,
  FilterBar,
  listOf,
  SelectFilter,
  TextFilter,
} from '../components/filters';
import { PageHeader } from '../components/page-header';
import { pageSizeOf, Pager, useCursorPages } from '../components/pager';
import { ResourceLink } from '../components/resource-link';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { useCatalog } from '../hooks/use-catalog';
import { navigate } from '../hooks/use-route';
import { EXPORT_FILES, type ExportFormat, exportFileName, saveFile } from '../lib/download';
import { formatTime } from '../lib/format';
import { KIND_LABELS, KINDS, RULE_LABELS, RULES, SEVERITIES, SEVERITY_LABELS } from '../lib/vocabulary';
import { pickQuery, type Query, withQuery } from '../router';

/**
 * The filters `GET /v1/findings` and `GET /v1/exports/findings` take, by their names there (and in
 * this page's URL). The list ones hold comma lists (`severity=high,critical`), as the API reads them.
 */
const FILTERS = [
  'status',
  'severity',
  'minSeverity',
  'rule',
  'kind',
  'account',
  'region',
  'control',
  'namePrefix',
  'openedSince',
  'resolvedSince',
] as const;

type FindingFilters = Omit<FindingsQuery, 'limit' | 'cursor' | 'sort'>;

function filtersOf(query: Query): FindingFilters {
  return pickQuery(query, FILTERS) as FindingFilters;
}

const SORT_OPTIONS = [
  { value: 'opened', label: 'Newest opened' },
  { value: 'name', label: 'Resource name' },
];

const SORT_DESCRIPTIONS: Readonly<Record<string, string>> = {
  severity: 'Most severe first',
  opened: 'Newest opened first',
  name: 'By resource name',
};

function sortOf(query: Query): NonNullable<FindingsQuery['sort']> {
  const sort = query.sort;
  return sort === 'opened' || sort === 'name' ? sort : 'severity';
}

/** The controls of the catalogue, for the control filter: loaded once per page visit. */
function useControlOptions() {
  const { state } = useApi('controls', async (signal) => {
    const report = await must(api.GET('/v1/controls', { signal }));
    return report.controls.map((control) => ({ value: control.id, label: control.title }));
  });
  return state.status === 'ready' ? state.data : [];
}

/**
 * Findings with every filter the API takes (lists as checkable lists), a sort, keyset pages, and
 * downloads (CSV, OCSF) of exactly what is filtered: the export endpoint with the same query.
 */
export function FindingsPage({ query }: { query: Query }) {
  const catalog = useCatalog();
  const controls = useControlOptions();
  const filters = filtersOf(query);
  const sort = sortOf(query);
  const limit = pageSizeOf(query);
  const filterKey = JSON.stringify(filters) + sort + limit.toString();
  const pages = useCursorPages(filterKey);
  const { state, reload } = useApi(`${filterKey}|${pages.cursor ?? ''}`, (signal) =>
    must(
      api.GET('/v1/findings', {
        params: { query: { ...filters, sort, limit, cursor: pages.cursor } },
        signal,
      }),
    ),
  );
  const [exporting, setExporting] = useState<{ format: ExportFormat; message: string } | null>(null);
  const busy = exporting?.message.endsWith('…') ?? false;

  const set = (changes: Record<string, string | undefined>) => {
    navigate('/findings', withQuery(query, changes));
  };
  const setList = (key: string) => (values: string[]) => {
    set({ [key]: values.length === 0 ? undefined : values.join(',') });
  };

  const download = async (format: ExportFormat) => {
    const { label } = EXPORT_FILES[format];
    setExporting({ format, message: `Preparing the ${label} file…` });
    try {
      // The typed client sends the key in the Authorization header, as for every call.
      const file = await must(
        api.GET('/v1/exports/findings', { params: { query: { format, ...filters } }, parseAs: 'blob' }),
      );
      const name = exportFileName(
        'findings',
        { status: filters.status ?? 'open', ...filters },
        new Date(),
        format,
      );
      saveFile(file, name);
      setExporting({ format, message: `Downloaded ${name}.` });
    } catch (error) {
      setExporting({ format, message: `The ${label} export failed: ${describeFailure(error)}` });
    }
  };

  const status = filters.status ?? 'open';
  return (
    <>
      <PageHeader
        title="Findings"
        description={`${SORT_DESCRIPTIONS[sort] ?? ''}. Filters apply on the server; each download holds every finding they match.`}
      >
        {(Object.keys(EXPORT_FILES) as ExportFormat[]).map((format) => (
          <button
            key={format}
            type="button"
            class="button"
            onClick={() => void download(format)}
            disabled={busy}
            title={format === 'ocsf' ? 'OCSF 1.8.0 Compliance Findings, one JSON object per line' : undefined}
          >
            Download {EXPORT_FILES[format].label}
          </button>
        ))}
      </PageHeader>
      <p class="export-status" role="status" aria-live="polite">
        {exporting?.message ?? ''}
      </p>
      <FilterBar
        label="Filter findings"
        active={FILTERS.some((key) => query[key] !== undefined)}
        onClear={() => {
          navigate('/findings', pickQuery(query, ['limit', 'sort']));
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
        <CheckListFilter
          id="f-severity"
          label="Severity"
          values={listOf(query.severity)}
          options={SEVERITIES.map((value) => ({ value, label: SEVERITY_LABELS[value] }))}
          onChange={setList('severity')}
        />
        <SelectFilter
          id="f-min-severity"
          label="At least"
          value={query.minSeverity}
          options={SEVERITIES.filter((value) => value !== 'info').map((value) => ({
            value,
            label: value === 'critical' ? SEVERITY_LABELS[value] : `${SEVERITY_LABELS[value]} and above`,
          }))}
          onChange={(value) => {
            set({ minSeverity: value });
          }}
        />
        <CheckListFilter
          id="f-rule"
          label="Rule"
          values={listOf(query.rule)}
          options={RULES.map((value) => ({ value, label: RULE_LABELS[value] }))}
          onChange={setList('rule')}
        />
        <CheckListFilter
          id="f-kind"
          label="Kind"
          values={listOf(query.kind)}
          options={KINDS.map((value) => ({ value, label: KIND_LABELS[value] }))}
          onChange={setList('kind')}
        />
        <CheckListFilter
          id="f-account"
          label="Account"
          values={listOf(query.account)}
          options={catalog.accounts}
          onChange={setList('account')}
        />
        <CheckListFilter
          id="f-region"
          label="Region"
          values={listOf(query.region)}
          options={catalog.regions}
          onChange={setList('region')}
        />
        <SelectFilter
          id="f-control"
          label="Control"
          value={query.control}
          options={controls}
          onChange={(value) => {
            set({ control: value });
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
        <SelectFilter
          id="f-sort"
          label="Sort by"
          value={query.sort}
          anyLabel="Severity"
          options={SORT_OPTIONS}
          onChange={(value) => {
            set({ sort: value });
          }}
        />
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
                <FindingStatus finding={finding} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Open, suppressed (an active exception accepts the risk: never shown as open or as passing), or
 * resolved as fixed or gone.
 */
function FindingStatus({ finding }: { finding: Finding }) {
  if (finding.suppressed && finding.exceptionId !== null) {
    return (
      <span class="finding-suppressed" data-exception-id={finding.exceptionId}>
        <TagBadge tone="neutral">Suppressed</TagBadge>
        <span class="cell-detail">
          by exception <code>{finding.exceptionId}</code>
        </span>
      </span>
    );
  }
  return finding.status === 'open' ? (
    <TagBadge tone="bad">Open</TagBadge>
  ) : (
    <span title={`Resolved ${formatTime(finding.resolvedAt)}`}>
      <TagBadge tone="good">{finding.resolution === 'resource_deleted' ? 'Gone' : 'Fixed'}</TagBadge>
    </span>
  );
}

import { api, must } from '../api/client';
import type { ResourcesQuery } from '../api/types';
import { ClassBadge, TagBadge } from '../components/badges';
import { FilterBar, SelectFilter, TextFilter } from '../components/filters';
import { PageHeader } from '../components/page-header';
import { pageSizeOf, Pager, useCursorPages } from '../components/pager';
import { ResourceLink } from '../components/resource-link';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { useCatalog } from '../hooks/use-catalog';
import { navigate } from '../hooks/use-route';
import { formatTime } from '../lib/format';
import { CLASS_INFO, ENCRYPTION_CLASSES, KIND_LABELS, KINDS } from '../lib/vocabulary';
import { pickQuery, type Query, withQuery } from '../router';

/** The filters `GET /v1/resources` takes. */
const FILTERS = ['state', 'kind', 'account', 'region', 'class', 'namePrefix'] as const;

/** Every audited resource with its current encryption, filtered as the API allows, in id order. */
export function ResourcesPage({ query }: { query: Query }) {
  const catalog = useCatalog();
  const filters = pickQuery(query, FILTERS) as Omit<ResourcesQuery, 'limit' | 'cursor'>;
  const limit = pageSizeOf(query);
  const filterKey = JSON.stringify(filters) + limit.toString();
  const pages = useCursorPages(filterKey);
  const { state, reload } = useApi(`${filterKey}|${pages.cursor ?? ''}`, (signal) =>
    must(
      api.GET('/v1/resources', { params: { query: { ...filters, limit, cursor: pages.cursor } }, signal }),
    ),
  );
  const set = (changes: Record<string, string | undefined>) => {
    navigate('/resources', withQuery(query, changes));
  };
  return (
    <>
      <PageHeader
        title="Resources"
        description="Buckets and table buckets with their current encryption, in the order the audit first saw them."
      />
      <FilterBar
        label="Filter resources"
        active={FILTERS.some((key) => query[key] !== undefined)}
        onClear={() => {
          navigate('/resources', pickQuery(query, ['limit']));
        }}
      >
        <SelectFilter
          id="r-state"
          label="State"
          value={query.state}
          anyLabel="Present"
          options={[
            { value: 'deleted', label: 'Deleted' },
            { value: 'all', label: 'Present and deleted' },
          ]}
          onChange={(value) => {
            set({ state: value });
          }}
        />
        <SelectFilter
          id="r-class"
          label="Encryption"
          value={query.class}
          options={ENCRYPTION_CLASSES.map((value) => ({ value, label: CLASS_INFO[value].label }))}
          onChange={(value) => {
            set({ class: value });
          }}
        />
        <SelectFilter
          id="r-kind"
          label="Kind"
          value={query.kind}
          options={KINDS.map((value) => ({ value, label: KIND_LABELS[value] }))}
          onChange={(value) => {
            set({ kind: value });
          }}
        />
        <SelectFilter
          id="r-account"
          label="Account"
          value={query.account}
          options={catalog.accounts}
          onChange={(value) => {
            set({ account: value });
          }}
        />
        <SelectFilter
          id="r-region"
          label="Region"
          value={query.region}
          options={catalog.regions}
          onChange={(value) => {
            set({ region: value });
          }}
        />
        <TextFilter
          id="r-name"
          label="Name starts with"
          value={query.namePrefix}
          onCommit={(value) => {
            set({ namePrefix: value });
          }}
        />
      </FilterBar>
      {state.status === 'loading' ? <Loading label="Loading resources" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load resources" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? (
        state.data.items.length === 0 && pages.pageNumber === 1 ? (
          <Empty title="No resources match these filters." />
        ) : (
          <>
            <div class="table-scroll">
              <table class="list">
                <caption class="visually-hidden">Resources</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Account</th>
                    <th scope="col">Region</th>
                    <th scope="col">Encryption</th>
                    <th scope="col">Since</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.items.map((resource) => (
                    <tr key={resource.id}>
                      <td>
                        <ResourceLink resource={resource} />
                      </td>
                      <td>{KIND_LABELS[resource.kind]}</td>
                      <td>{resource.accountAlias}</td>
                      <td>{resource.region}</td>
                      <td>
                        {resource.current === null ? (
                          <span class="muted">not observed</span>
                        ) : (
                          <ClassBadge value={resource.current.class} />
                        )}
                      </td>
                      <td>
                        {resource.current === null ? null : (
                          <time dateTime={resource.current.since}>{formatTime(resource.current.since)}</time>
                        )}
                      </td>
                      <td>
                        <time dateTime={resource.lastSeen.at}>{formatTime(resource.lastSeen.at)}</time>
                      </td>
                      <td>
                        {resource.state === 'present' ? (
                          <TagBadge tone="neutral">Present</TagBadge>
                        ) : (
                          <TagBadge tone="warn">Deleted</TagBadge>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              label="Resources"
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

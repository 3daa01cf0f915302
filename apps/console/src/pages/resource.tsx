import { useState } from 'preact/hooks';

import { allPages, api, must } from '../api/client';
import type { DriftEvent, Finding, ObservationChange, ResourceDetail, ResourceStateAt } from '../api/types';
import { ClassBadge, DirectionBadge, TagBadge } from '../components/badges';
import { PageHeader, Section } from '../components/page-header';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { navigate } from '../hooks/use-route';
import { formatTime } from '../lib/format';
import { buildTimeline, type FieldChange, type TimelineEntry } from '../lib/timeline';
import { CLASS_INFO, DRIFT_TYPE_LABELS, KIND_LABELS } from '../lib/vocabulary';
import { type Query, routeHref, withQuery } from '../router';
import { FindingsTable } from './findings';
import { OpenFindings, ResourceExceptions } from './resource-findings';

/** Observations per history page; "Show older" loads the next. */
const HISTORY_PAGE = 100;
/** Past findings and drift events looked at per resource (they are found by name, then matched by id). */
const RELATED_LIMIT = 500;

interface ResourceData {
  readonly resource: ResourceDetail;
  readonly history: readonly ObservationChange[];
  readonly historyCursor: string | null;
  readonly drift: readonly DriftEvent[];
  readonly pastFindings: readonly Finding[];
}

/**
 * The API has no "by resource id" filter for drift and findings: they are asked by the resource's
 * own account, region, kind and name, then kept only when they are about this very resource.
 */
function sameScope(resource: ResourceDetail) {
  return {
    account: resource.accountAlias,
    region: resource.region,
    kind: resource.kind,
    namePrefix: resource.name,
  };
}

async function loadResource(id: number, signal: AbortSignal): Promise<ResourceData> {
  const resource = await must(api.GET('/v1/resources/{id}', { params: { path: { id } }, signal }));
  const scope = sameScope(resource);
  const [history, drift, resolved] = await Promise.all([
    must(
      api.GET('/v1/resources/{id}/history', {
        params: { path: { id }, query: { limit: HISTORY_PAGE } },
        signal,
      }),
    ),
    allPages(
      (cursor) => must(api.GET('/v1/drift', { params: { query: { ...scope, limit: 500, cursor } }, signal })),
      {
        maxItems: RELATED_LIMIT,
      },
    ),
    allPages(
      (cursor) =>
        must(
          api.GET('/v1/findings', {
            params: { query: { ...scope, status: 'resolved', limit: 500, cursor } },
            signal,
          }),
        ),
      { maxItems: RELATED_LIMIT },
    ),
  ]);
  if (!('items' in history)) throw new Error('The history answered a state instead of a page');
  return {
    resource,
    history: history.items,
    historyCursor: history.nextCursor,
    drift: drift.items.filter((event) => event.resource.id === id),
    pastFindings: resolved.items.filter((finding) => finding.resource.id === id),
  };
}

/** One resource: where it is, its encryption now, every observation with its proof, its findings. */
export function ResourcePage({ id, query, canChange }: { id: number; query: Query; canChange: boolean }) {
  const { state, reload } = useApi(`resource/${id.toString()}`, (signal) => loadResource(id, signal));
  return (
    <>
      {state.status === 'loading' ? (
        <>
          <PageHeader title={`Resource ${id.toString()}`} />
          <Loading label="Loading the resource and its history" />
        </>
      ) : null}
      {state.status === 'error' ? (
        <>
          <PageHeader title={`Resource ${id.toString()}`} />
          <ErrorNotice title="Could not load this resource" error={state.error} onRetry={reload} />
        </>
      ) : null}
      {state.status === 'ready' ? (
        <ResourceContent data={state.data} query={query} canChange={canChange} />
      ) : null}
    </>
  );
}

function ResourceContent({
  data,
  query,
  canChange,
}: {
  data: ResourceData;
  query: Query;
  canChange: boolean;
}) {
  const { resource } = data;
  const [older, setOlder] = useState<{ items: readonly ObservationChange[]; cursor: string | null }>({
    items: [],
    cursor: data.historyCursor,
  });
  const [loadingOlder, setLoadingOlder] = useState(false);
  const history = [...data.history, ...older.items];
  const timeline = buildTimeline(history, data.drift);
  const current = resource.current;

  const showOlder = async () => {
    if (older.cursor === null) return;
    setLoadingOlder(true);
    try {
      const page = await must(
        api.GET('/v1/resources/{id}/history', {
          params: { path: { id: resource.id }, query: { limit: HISTORY_PAGE, cursor: older.cursor } },
        }),
      );
      if ('items' in page) setOlder({ items: [...older.items, ...page.items], cursor: page.nextCursor });
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <>
      <PageHeader
        title={resource.name}
        description={
          <>
            {KIND_LABELS[resource.kind]} in{' '}
            <a href={routeHref('/resources', { account: resource.accountAlias })}>{resource.accountAlias}</a>,{' '}
            {resource.region} · <code class="break">{resource.resourceKey}</code>
          </>
        }
      >
        {resource.state === 'deleted' ? (
          <TagBadge tone="warn">Deleted</TagBadge>
        ) : (
          <TagBadge tone="neutral">Present</TagBadge>
        )}
      </PageHeader>

      <div class="grid-2">
        <Section title="Encryption now" id="current">
          {current === null ? (
            <Empty title="Never observed." />
          ) : (
            <dl class="facts">
              <div>
                <dt>Class</dt>
                <dd>
                  <ClassBadge value={current.class} />
                </dd>
              </div>
              <div>
                <dt>Algorithm</dt>
                <dd>{current.algorithm ?? '—'}</dd>
              </div>
              <div class="facts-wide">
                <dt>KMS key</dt>
                <dd>{current.kmsKeyId === null ? '—' : <code class="break">{current.kmsKeyId}</code>}</dd>
              </div>
              <div>
                <dt>KMS data encryption</dt>
                <dd>{current.kmsDataEncryption ?? '—'}</dd>
              </div>
              <div>
                <dt>Since</dt>
                <dd>
                  <time dateTime={current.since}>{formatTime(current.since)}</time>
                </dd>
              </div>
              {current.errorCode === null ? null : (
                <div>
                  <dt>Why unknown</dt>
                  <dd>
                    <code>{current.errorCode}</code>
                  </dd>
                </div>
              )}
              <div>
                <dt>Proof</dt>
                <dd>observation #{current.changeId}</dd>
              </div>
            </dl>
          )}
        </Section>
        <Section title="Presence" id="presence">
          <dl class="facts">
            <div>
              <dt>First seen</dt>
              <dd>
                <time dateTime={resource.firstSeen.at}>{formatTime(resource.firstSeen.at)}</time> by{' '}
                <a href={routeHref(`/scans/${resource.firstSeen.scanId.toString()}`)}>
                  scan #{resource.firstSeen.scanId}
                </a>
              </dd>
            </div>
            <div>
              <dt>Last seen</dt>
              <dd>
                <time dateTime={resource.lastSeen.at}>{formatTime(resource.lastSeen.at)}</time> by{' '}
                <a href={routeHref(`/scans/${resource.lastSeen.scanId.toString()}`)}>
                  scan #{resource.lastSeen.scanId}
                </a>
              </dd>
            </div>
            {resource.deleted === null ? null : (
              <div>
                <dt>Gone since</dt>
                <dd>
                  <time dateTime={resource.deleted.at}>{formatTime(resource.deleted.at)}</time> (scan #
                  {resource.deleted.scanId})
                </dd>
              </div>
            )}
          </dl>
          <StateAt resourceId={resource.id} at={query.at} />
        </Section>
      </div>

      <Section title="Timeline" id="timeline" wide>
        <p class="muted">
          Every distinct observation, newest first, with what changed and the OSS request id that proves it.
        </p>
        <ol class="timeline" aria-label={`Timeline of ${resource.name}`}>
          {timeline.map((entry) => (
            <TimelineItem
              key={
                entry.kind === 'observation'
                  ? `o${entry.change.changeId.toString()}`
                  : `d${entry.drift.id.toString()}`
              }
              entry={entry}
            />
          ))}
        </ol>
        {older.cursor === null ? null : (
          <button type="button" class="button" disabled={loadingOlder} onClick={() => void showOlder()}>
            {loadingOlder ? 'Loading…' : 'Show older observations'}
          </button>
        )}
      </Section>

      <OpenFindings resource={resource} canChange={canChange} />
      <ResourceExceptions resource={resource} />
      <Section title={`Past findings (${data.pastFindings.length.toString()})`} id="past-findings" wide>
        {data.pastFindings.length === 0 ? (
          <Empty title="No resolved findings." />
        ) : (
          <FindingsTable findings={data.pastFindings} caption="Resolved findings" />
        )}
      </Section>
    </>
  );
}

function Change({ change }: { change: FieldChange }) {
  const show = (value: string | null) =>
    value === null ? (
      <span class="muted">none</span>
    ) : change.field === 'class' && value in CLASS_INFO ? (
      CLASS_INFO[value as keyof typeof CLASS_INFO].label
    ) : (
      <code class="break">{value}</code>
    );
  return (
    <li>
      <span class="change-field">{change.field}</span> {show(change.before)}{' '}
      <span aria-label="became">→</span> {show(change.after)}
    </li>
  );
}

function TimelineItem({ entry }: { entry: TimelineEntry }) {
  if (entry.kind === 'drift') {
    return (
      <li class="timeline-item timeline-drift">
        <p class="timeline-head">
          <time dateTime={entry.at}>{formatTime(entry.at)}</time>{' '}
          <strong>{DRIFT_TYPE_LABELS[entry.drift.type]}</strong> (scan{' '}
          <a href={routeHref(`/scans/${entry.drift.scanId.toString()}`)}>#{entry.drift.scanId}</a>)
        </p>
      </li>
    );
  }
  const { change, drift, differences, previous } = entry;
  return (
    <li class="timeline-item" data-change-id={change.changeId}>
      <p class="timeline-head">
        <time dateTime={change.observedAt}>{formatTime(change.observedAt)}</time>{' '}
        <ClassBadge value={change.encryption.class} />
        {drift?.direction === null || drift?.direction === undefined ? null : (
          <DirectionBadge direction={drift.direction} />
        )}
        {drift === null ? null : <span class="muted">{DRIFT_TYPE_LABELS[drift.type]} ·</span>}
        <span class="muted">
          first seen by <a href={routeHref(`/scans/${change.scanId.toString()}`)}>scan #{change.scanId}</a>
        </span>
      </p>
      {previous === null ? (
        <p class="timeline-detail">First observation.</p>
      ) : differences.length === 0 ? (
        <p class="timeline-detail">Same encryption as before (observed again after a gap or a read error).</p>
      ) : (
        <ul class="changes" aria-label="Changes from the observation before">
          {differences.map((difference) => (
            <Change key={difference.field} change={difference} />
          ))}
        </ul>
      )}
      <p class="timeline-proof">
        Proof: observation #{change.changeId}
        {change.requestId === null ? null : (
          <>
            , OSS request id <code class="request-id">{change.requestId}</code>
          </>
        )}
        {change.errorCode === null ? null : (
          <>
            {' '}
            · error <code>{change.errorCode}</code>
            {change.errorMessage === null ? null : `: ${change.errorMessage}`}
          </>
        )}
      </p>
    </li>
  );
}

/** "What was true at…": the API's point-in-time answer for this resource. */
function StateAt({ resourceId, at }: { resourceId: number; at: string | undefined }) {
  const [draft, setDraft] = useState(at ?? '');
  const { state } = useApi(
    `state-at/${resourceId.toString()}/${at ?? ''}`,
    async (signal): Promise<ResourceStateAt | null> => {
      if (at === undefined) return null;
      const answer = await must(
        api.GET('/v1/resources/{id}/history', {
          params: { path: { id: resourceId }, query: { at: new Date(at).toISOString() } },
          signal,
        }),
      );
      if ('items' in answer) throw new Error('The history answered a page instead of a state');
      return answer;
    },
  );
  return (
    <div class="state-at">
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(
            `/resources/${resourceId.toString()}`,
            withQuery({}, { at: draft === '' ? undefined : draft }),
          );
        }}
      >
        <div class="field">
          <label for="state-at">What was true at</label>
          <input
            id="state-at"
            type="datetime-local"
            value={draft}
            onInput={(event) => {
              setDraft(event.currentTarget.value);
            }}
          />
        </div>
        <button type="submit" class="button">
          Look up
        </button>
      </form>
      {state.status === 'ready' && state.data !== null ? <StateAtAnswer answer={state.data} /> : null}
      {state.status === 'error' ? <ErrorNotice title="Could not look that up" error={state.error} /> : null}
    </div>
  );
}

function StateAtAnswer({ answer }: { answer: ResourceStateAt }) {
  return (
    <p class="state-at-answer" role="status">
      At <time dateTime={answer.at}>{formatTime(answer.at)}</time>:{' '}
      {answer.observation === null ? (
        'not observed yet.'
      ) : (
        <>
          <ClassBadge value={answer.observation.encryption.class} /> (observation #
          {answer.observation.changeId}
          {answer.observation.requestId === null ? '' : `, request ${answer.observation.requestId}`})
          {answer.deleted === null ? '' : ` — gone since scan #${answer.deleted.scanId.toString()}`}.
        </>
      )}
      {answer.lastObservedBy === null ? null : <> Last observed by scan #{answer.lastObservedBy.scanId}.</>}
    </p>
  );
}

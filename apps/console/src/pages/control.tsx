import { api, must } from '../api/client';
import type { ControlStatus } from '../api/types';
import { ControlStatusBadge } from '../components/badges';
import { formatScore, ScoreBar } from '../components/control-scores';
import { SelectFilter } from '../components/filters';
import { PageHeader, Section } from '../components/page-header';
import { ResourceLink } from '../components/resource-link';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { navigate } from '../hooks/use-route';
import { formatCount, formatTime } from '../lib/format';
import { CONTROL_STATUS_LABELS, CONTROL_STATUSES } from '../lib/vocabulary';
import { namedPath, type Query, routeHref, withQuery } from '../router';

/** One control: what it checks, who defines it, its score, and its result for every resource. */
export function ControlPage({ id, query }: { id: string; query: Query }) {
  const status = CONTROL_STATUSES.find((candidate) => candidate === query.status);
  const { state, reload } = useApi(`control/${id}/${status ?? ''}`, (signal) =>
    must(api.GET('/v1/controls/{id}', { params: { path: { id }, query: { status } }, signal })),
  );
  const filters = (
    <div class="filters" role="group" aria-label="Filters">
      <SelectFilter
        id="f-status"
        label="Result"
        value={status}
        options={CONTROL_STATUSES.map((value) => ({ value, label: CONTROL_STATUS_LABELS[value] }))}
        onChange={(value) => {
          navigate(namedPath('controls', id), withQuery(query, { status: value }));
        }}
      />
    </div>
  );
  if (state.status !== 'ready') {
    return (
      <>
        <PageHeader title={`Control ${id}`} />
        {filters}
        {state.status === 'loading' ? <Loading label="Loading the control and its results" /> : null}
        {state.status === 'error' ? (
          <ErrorNotice title="Could not load this control" error={state.error} onRetry={reload} />
        ) : null}
      </>
    );
  }
  const control = state.data;
  const { counts } = control.score;
  return (
    <>
      <PageHeader
        title={control.title}
        description={
          <>
            <a href={routeHref('/')}>Overview</a> · <code>{control.id}</code> · {control.source.authority},{' '}
            {control.source.document} {control.source.reference}
          </>
        }
      />
      <div class="grid-2">
        <Section title="What it checks" id="control-facts">
          <p>{control.description}</p>
          <dl class="facts">
            <div>
              <dt>Severity</dt>
              <dd>{control.severity}</dd>
            </div>
            <div>
              <dt>Resources</dt>
              <dd>{control.resourceKinds.join(', ')}</dd>
            </div>
            <div class="facts-wide">
              <dt>Frameworks</dt>
              <dd>
                {control.frameworks
                  .map((framework) => `${framework.frameworkId} ${framework.requirementId}`)
                  .join(', ')}
              </dd>
            </div>
          </dl>
        </Section>
        <Section title="Score" id="control-score">
          <ScoreBar score={control.score.score} />
          <dl class="facts">
            {(['pass', 'fail', 'warning', 'suppressed'] as const).map((key) => (
              <div key={key}>
                <dt>{CONTROL_STATUS_LABELS[key]}</dt>
                <dd data-count={key}>{formatCount(counts[key])}</dd>
              </div>
            ))}
            <div class="facts-wide">
              <dt>Without exceptions</dt>
              <dd>{formatScore(control.score.strictScore)}</dd>
            </div>
          </dl>
          <p class="hint">
            {control.scan === null ? (
              'No scan had finished by then.'
            ) : (
              <>
                As of <a href={routeHref(`/scans/${control.scan.id.toString()}`)}>scan #{control.scan.id}</a>,{' '}
                <time dateTime={control.scan.finishedAt}>{formatTime(control.scan.finishedAt)}</time>.
              </>
            )}
          </p>
        </Section>
      </div>
      {filters}
      <Section title="Results per resource" id="results" wide>
        {control.results.length === 0 ? (
          <Empty
            title={
              status === undefined
                ? 'No results: no resource of its kinds was evaluated.'
                : 'No results match.'
            }
          />
        ) : (
          <div class="table-scroll">
            <table class="list" data-testid="control-results">
              <caption class="visually-hidden">Results per resource</caption>
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Account</th>
                  <th scope="col">Region</th>
                  <th scope="col">Result</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {control.results.map((result) => (
                  <tr key={result.resource.id} data-resource-id={result.resource.id}>
                    <td>
                      <ResourceLink resource={result.resource} />
                    </td>
                    <td>{result.resource.accountAlias}</td>
                    <td>{result.resource.region}</td>
                    <td>
                      <ResultStatus
                        status={result.status}
                        suppressed={result.suppressedStatus}
                        exceptionIds={result.exceptionIds}
                      />
                    </td>
                    <td class="wrap">{result.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}

/** A result's status; a suppressed one says what it would be and which exception suppresses it. */
function ResultStatus({
  status,
  suppressed,
  exceptionIds,
}: {
  status: ControlStatus;
  suppressed: 'fail' | 'warning' | null;
  exceptionIds: readonly string[];
}) {
  return (
    <span class="badges">
      <ControlStatusBadge status={status} />
      {suppressed === null ? null : (
        <span class="cell-detail">would be {CONTROL_STATUS_LABELS[suppressed].toLowerCase()}</span>
      )}
      {exceptionIds.map((exceptionId) => (
        <a key={exceptionId} href={routeHref(namedPath('exceptions', exceptionId))} class="cell-detail">
          by {exceptionId}
        </a>
      ))}
    </span>
  );
}

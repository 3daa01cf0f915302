import { api, must } from '../api/client';
import type { ControlScore, FrameworkScore, ResultCounts } from '../api/types';
import { useApi } from '../hooks/use-api';
import { formatCount } from '../lib/format';
import { namedPath, routeHref } from '../router';
import { Section } from './page-header';
import { Empty, ErrorNotice, Loading } from './states';

/** `83%`, or `–` when nothing was evaluated (the API's null score). */
export function formatScore(score: number | null): string {
  return score === null ? '–' : `${Math.round(score * 100).toString()}%`;
}

/** A score as a bar and its number; the number is what is read, the bar only repeats it. */
export function ScoreBar({ score }: { score: number | null }) {
  return (
    <span class="score">
      <svg class="score-track" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
        <rect class="score-fill" x="0" y="0" height="8" width={score === null ? 0 : score * 100} />
      </svg>
      <span class="score-value">{formatScore(score)}</span>
    </span>
  );
}

const COUNT_COLUMNS = [
  ['pass', 'Pass'],
  ['fail', 'Fail'],
  ['warning', 'Warning'],
  ['suppressed', 'Suppressed'],
] as const;

function CountHeaders() {
  return (
    <>
      {COUNT_COLUMNS.map(([key, label]) => (
        <th key={key} scope="col" class="numeric">
          {label}
        </th>
      ))}
    </>
  );
}

/** The result counts; each links to those results of the control, when there is one to link to. */
function CountCells({ counts, controlId }: { counts: ResultCounts; controlId?: string }) {
  return (
    <>
      {COUNT_COLUMNS.map(([key]) => (
        <td key={key} class="numeric" data-count={key}>
          {controlId === undefined || counts[key] === 0 ? (
            formatCount(counts[key])
          ) : (
            <a href={routeHref(namedPath('controls', controlId), { status: key })}>
              {formatCount(counts[key])}
            </a>
          )}
        </td>
      ))}
    </>
  );
}

/**
 * A framework's requirement, linking to the control that checks it; one checked by several
 * controls links to each by its id.
 */
function RequirementLinks({ requirement }: { requirement: FrameworkScore['requirements'][number] }) {
  const [only, ...others] = requirement.controlIds;
  if (only !== undefined && others.length === 0) {
    return (
      <a href={routeHref(namedPath('controls', only))} title={requirement.title}>
        {requirement.id}
      </a>
    );
  }
  return (
    <>
      {requirement.id} (
      {requirement.controlIds.map((controlId, index) => (
        <span key={controlId}>
          {index === 0 ? '' : ', '}
          <a href={routeHref(namedPath('controls', controlId))}>{controlId}</a>
        </span>
      ))}
      )
    </>
  );
}

/** Controls grouped by who defines them (CIS, Alibaba Cloud Config, Seed), in the API's order. */
function byAuthority(controls: readonly ControlScore[]): [string, ControlScore[]][] {
  const groups = new Map<string, ControlScore[]>();
  for (const control of controls) {
    const authority = control.source.split(',')[0] ?? control.source;
    groups.set(authority, [...(groups.get(authority) ?? []), control]);
  }
  return [...groups];
}

/**
 * Control scores from /v1/controls: per framework (CIS, MLPS, PCI DSS, ISO 27001, Seed's baseline)
 * and per control, grouped by who defines it (CIS, the Cloud Config rules, Seed), each control
 * linking to its results per resource. Loaded apart so the rest of the overview never waits on it.
 */
export function ControlScores() {
  const { state, reload } = useApi('overview/controls', (signal) =>
    must(api.GET('/v1/controls', { signal })),
  );
  if (state.status === 'loading') {
    return (
      <Section title="Control scores by framework" id="controls" wide>
        <Loading label="Loading control scores" />
      </Section>
    );
  }
  if (state.status === 'error') {
    return (
      <Section title="Control scores by framework" id="controls" wide>
        <ErrorNotice title="Could not load control scores" error={state.error} onRetry={reload} />
      </Section>
    );
  }
  const report = state.data;
  if (report.scan === null) {
    return (
      <Section title="Control scores by framework" id="controls" wide>
        <Empty title="No scan has finished yet: no control has results." />
      </Section>
    );
  }
  return (
    <>
      <Section title="Control scores by framework" id="controls" wide>
        <p class="muted">
          Score: passes over pass + fail + warning, as of scan #{report.scan.id}. Suppressed results (an
          active exception) are counted apart and left out of the score.
        </p>
        <div class="table-scroll">
          <table class="list" data-testid="framework-scores">
            <caption class="visually-hidden">Control scores by framework</caption>
            <thead>
              <tr>
                <th scope="col">Framework</th>
                <th scope="col">Score</th>
                <CountHeaders />
              </tr>
            </thead>
            <tbody>
              {report.frameworks.map((framework) => (
                <tr key={framework.id} data-framework-id={framework.id}>
                  <th scope="row" class="wrap">
                    {framework.title}
                    <span class="cell-detail">
                      {framework.requirements.map((requirement, index) => (
                        <span key={requirement.id}>
                          {index === 0 ? '' : ', '}
                          <RequirementLinks requirement={requirement} />
                        </span>
                      ))}
                    </span>
                  </th>
                  <td>
                    <ScoreBar score={framework.score} />
                  </td>
                  <CountCells counts={framework.counts} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title="Control scores" id="control-scores" wide>
        <div class="table-scroll">
          <table class="list" data-testid="control-scores">
            <caption class="visually-hidden">Control scores</caption>
            <thead>
              <tr>
                <th scope="col">Control</th>
                <th scope="col">Score</th>
                <CountHeaders />
              </tr>
            </thead>
            {byAuthority(report.controls).map(([authority, controls]) => (
              <tbody key={authority}>
                <tr class="group-row">
                  <th scope="colgroup" colSpan={6}>
                    {authority === 'Alibaba Cloud Config' ? 'Alibaba Cloud Config rules' : authority}
                  </th>
                </tr>
                {controls.map((control) => (
                  <tr key={control.id} data-control-id={control.id}>
                    <th scope="row" class="wrap">
                      <a href={routeHref(namedPath('controls', control.id))}>{control.title}</a>
                      <span class="cell-detail">{control.source}</span>
                    </th>
                    <td>
                      <ScoreBar score={control.score} />
                    </td>
                    <CountCells counts={control.counts} controlId={control.id} />
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      </Section>
    </>
  );
}

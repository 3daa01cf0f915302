import { api, must } from '../api/client';
import type { Finding, FindingDetail, Remediation, ResourceDetail } from '../api/types';
import { ClassBadge, SeverityBadge, TagBadge } from '../components/badges';
import { CodeBlock } from '../components/code-block';
import { Section } from '../components/page-header';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { scopeCovers } from '../lib/exceptions';
import { formatTime, plural } from '../lib/format';
import { REMEDIATION_TOOL_LABELS, RULE_LABELS } from '../lib/vocabulary';
import { namedPath, routeHref } from '../router';
import { ExceptionsTable } from './exceptions';

/** An open finding's status: suppressed (by its exception) is never shown as open. */
export function FindingStatus({ finding }: { finding: Finding }) {
  if (finding.suppressed && finding.exceptionId !== null) {
    return (
      <span class="badges">
        <TagBadge tone="neutral">Suppressed</TagBadge>
        <a href={routeHref(namedPath('exceptions', finding.exceptionId))}>
          by exception {finding.exceptionId}
        </a>
      </span>
    );
  }
  return <TagBadge tone="bad">Open</TagBadge>;
}

/**
 * The resource's open findings, each with its status and how to fix it (the API's remediation:
 * request body, CLI commands, Terraform; for tables what cannot change in place). Admins can ask
 * for an exception from a finding.
 */
export function OpenFindings({ resource, canChange }: { resource: ResourceDetail; canChange: boolean }) {
  const findings = resource.openFindings;
  const suppressed = findings.filter((finding) => finding.suppressed).length;
  const { state, reload } = useApi(
    `resource/${resource.id.toString()}/remediation/${findings.map((finding) => finding.id).join(',')}`,
    (signal) =>
      Promise.all(
        findings.map((finding) =>
          must(api.GET('/v1/findings/{id}', { params: { path: { id: finding.id } }, signal })),
        ),
      ).then((details) => new Map<string, FindingDetail>(details.map((detail) => [detail.id, detail]))),
  );
  const title =
    suppressed === 0
      ? `Open findings (${findings.length.toString()})`
      : `Open findings (${(findings.length - suppressed).toString()} open, ${suppressed.toString()} suppressed)`;
  return (
    <Section title={title} id="open-findings" wide>
      {findings.length === 0 ? <Empty title="No open findings." /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load how to fix these findings" error={state.error} onRetry={reload} />
      ) : null}
      <ul class="finding-cards">
        {findings.map((finding) => (
          <li key={finding.id} class="finding-card" data-finding-id={finding.id}>
            <div class="finding-card-head">
              <SeverityBadge severity={finding.severity} />
              <h3>{finding.title}</h3>
              <FindingStatus finding={finding} />
            </div>
            <p class="finding-card-facts">
              {RULE_LABELS[finding.rule]} · <ClassBadge value={finding.encryption.class} /> · open since{' '}
              <time dateTime={finding.firstSeenAt}>{formatTime(finding.firstSeenAt)}</time>, last seen{' '}
              <time dateTime={finding.lastSeenAt}>{formatTime(finding.lastSeenAt)}</time>
            </p>
            <p>{finding.message}</p>
            {canChange && !finding.suppressed ? (
              <p>
                <a
                  class="button button-small"
                  href={routeHref('/exceptions', {
                    new: '1',
                    resourceKey: finding.resource.resourceKey,
                    rule: finding.rule,
                  })}
                >
                  Request an exception
                </a>
              </p>
            ) : null}
            {state.status === 'loading' ? <Loading label="Loading how to fix it" /> : null}
            {state.status === 'ready' ? (
              <RemediationGuide remediation={state.data.get(finding.id)?.remediation ?? []} />
            ) : null}
          </li>
        ))}
      </ul>
    </Section>
  );
}

function RemediationGuide({ remediation }: { remediation: readonly Remediation[] }) {
  if (remediation.length === 0) {
    return <p class="muted">The API has no remediation for this finding.</p>;
  }
  return (
    <div class="remediation">
      {remediation.map((remedy) => (
        <details key={remedy.intent} class="remedy" open>
          <summary>
            <strong>How to fix:</strong> {remedy.summary}
          </summary>
          {remedy.steps.map((step) => (
            <div key={`${step.tool}/${step.title}`} class="remedy-step" data-tool={step.tool}>
              <CodeBlock label={`${REMEDIATION_TOOL_LABELS[step.tool]}: ${step.title}`} text={step.text} />
              <p class="hint">Syntax from {step.source}. Review before running: Seed never applies it.</p>
            </div>
          ))}
          {remedy.notes.length === 0 ? null : (
            <ul class="remedy-notes" aria-label="Caveats">
              {remedy.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </details>
      ))}
    </div>
  );
}

/**
 * The exceptions whose scope names this resource (any state), and those its findings cite. Whether
 * one suppresses depends on its state and the rules it covers.
 */
export function ResourceExceptions({ resource }: { resource: ResourceDetail }) {
  const cited = new Set(
    resource.openFindings.flatMap((finding) => (finding.exceptionId === null ? [] : [finding.exceptionId])),
  );
  const { state, reload } = useApi(`resource/${resource.id.toString()}/exceptions`, (signal) =>
    must(api.GET('/v1/exceptions', { signal })).then((list) =>
      list.items.filter((exception) => cited.has(exception.id) || scopeCovers(exception.scope, resource)),
    ),
  );
  return (
    <Section title="Exceptions" id="resource-exceptions" wide>
      {state.status === 'loading' ? <Loading label="Loading the exceptions that name it" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load exceptions" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? (
        state.data.length === 0 ? (
          <Empty title="No exception names this resource." />
        ) : (
          <>
            <p class="muted">
              {plural(state.data.length, 'exception')} whose scope names this resource, in any state.
            </p>
            <ExceptionsTable
              items={state.data}
              expiring={new Set()}
              caption="Exceptions that name this resource"
            />
          </>
        )
      ) : null}
    </Section>
  );
}

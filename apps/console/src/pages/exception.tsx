import { useState } from 'preact/hooks';

import { api, ApiFailure, describeFailure, failureOf, must } from '../api/client';
import type { Exception, ExceptionChange } from '../api/types';
import { ExceptionStateBadge, TagBadge } from '../components/badges';
import { PageHeader, Section } from '../components/page-header';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { describeScope } from '../lib/exceptions';
import { formatTime } from '../lib/format';
import { routeHref } from '../router';
import { Covers, TicketLink } from './exceptions';

/** What an approval or revocation came to: done, or the server's refusal. */
interface Outcome {
  readonly ok: boolean;
  readonly text: string;
}

interface ExceptionData {
  readonly exception: Exception;
  readonly changes: readonly ExceptionChange[];
}

async function loadException(id: string, signal: AbortSignal): Promise<ExceptionData> {
  const [exception, changes] = await Promise.all([
    must(api.GET('/v1/exceptions/{id}', { params: { path: { id } }, signal })),
    must(api.GET('/v1/exceptions/{id}/changes', { params: { path: { id } }, signal })),
  ]);
  return { exception, changes: changes.items };
}

const ACTION_LABELS: Readonly<Record<ExceptionChange['action'], string>> = {
  created: 'Created',
  approved: 'Approved',
  revoked: 'Revoked',
  file_added: 'Added to the exceptions file',
  file_changed: 'Changed in the exceptions file',
  file_removed: 'Removed from the exceptions file',
};

/** Actions whose record holds the whole exception: every field "changed", so none is listed. */
const WHOLE_RECORD = new Set<ExceptionChange['action']>(['created', 'file_added']);

/** What an admin's action was refused with: the server's own words (who may approve, and why not). */
function refusal(error: unknown): string {
  return error instanceof ApiFailure && error.status !== 0 && error.status !== 429
    ? error.message
    : describeFailure(error);
}

/** One exception: its terms, its state now, its append-only change record; admins approve or revoke. */
export function ExceptionPage({ id, canChange }: { id: string; canChange: boolean }) {
  const { state, reload } = useApi(`exception/${id}`, (signal) => loadException(id, signal));
  return (
    <>
      {state.status === 'loading' ? (
        <>
          <PageHeader title={`Exception ${id}`} />
          <Loading label="Loading the exception and its change record" />
        </>
      ) : null}
      {state.status === 'error' ? (
        <>
          <PageHeader title={`Exception ${id}`} />
          <ErrorNotice title="Could not load this exception" error={state.error} onRetry={reload} />
        </>
      ) : null}
      {state.status === 'ready' ? (
        <ExceptionContent data={state.data} canChange={canChange} onChanged={reload} />
      ) : null}
    </>
  );
}

function ExceptionContent({
  data,
  canChange,
  onChanged,
}: {
  data: ExceptionData;
  canChange: boolean;
  onChanged: () => void;
}) {
  const { exception, changes } = data;
  const open = exception.state === 'pending_approval' || exception.state === 'active';
  const throughApi = exception.source === 'api';
  // Kept here, not in the actions: a revocation removes them, and its outcome must stay in view.
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  return (
    <>
      <PageHeader
        title={`Exception ${exception.id}`}
        description={
          <>
            <a href={routeHref('/exceptions')}>Exceptions</a> · {exception.reason}
          </>
        }
      >
        <span class="badges">
          <ExceptionStateBadge state={exception.state} />
          {exception.stale ? <TagBadge tone="neutral">Stale</TagBadge> : null}
        </span>
      </PageHeader>

      {canChange && open && throughApi ? (
        <ExceptionActions
          exception={exception}
          onOutcome={(next) => {
            setOutcome(next);
            if (next.ok) onChanged();
          }}
        />
      ) : null}
      <div role="status" aria-live="polite">
        {outcome === null ? null : (
          <p
            class={outcome.ok ? 'state state-ok' : 'state state-error'}
            data-outcome={outcome.ok ? 'ok' : 'refused'}
          >
            {outcome.text}
          </p>
        )}
      </div>
      {canChange && open && !throughApi ? (
        <p class="state">
          This exception comes from the exceptions file: change or remove it there (reviewed in git).
        </p>
      ) : null}

      <div class="grid-2">
        <Section title="Terms" id="terms">
          <dl class="facts">
            <div class="facts-wide">
              <dt>Scope</dt>
              <dd>
                <code class="break">{describeScope(exception.scope)}</code>
              </dd>
            </div>
            <div class="facts-wide">
              <dt>Covers</dt>
              <dd>
                <Covers exception={exception} />
              </dd>
            </div>
            <div class="facts-wide">
              <dt>Reason</dt>
              <dd>{exception.reason}</dd>
            </div>
            <div>
              <dt>Owner</dt>
              <dd>{exception.owner}</dd>
            </div>
            <div>
              <dt>Approver</dt>
              <dd>{exception.approver}</dd>
            </div>
            <div class="facts-wide">
              <dt>Ticket</dt>
              <dd>
                <TicketLink url={exception.ticketUrl} />
              </dd>
            </div>
            <div>
              <dt>Expires</dt>
              <dd>
                <time dateTime={exception.expiresAt}>{formatTime(exception.expiresAt)}</time>
              </dd>
            </div>
            <div>
              <dt>Source</dt>
              <dd>{exception.source === 'api' ? 'API' : 'Exceptions file'}</dd>
            </div>
          </dl>
        </Section>
        <Section title="Who and when" id="lifecycle">
          <dl class="facts">
            <div>
              <dt>Created</dt>
              <dd>
                <time dateTime={exception.createdAt}>{formatTime(exception.createdAt)}</time> by{' '}
                {exception.createdBy}
              </dd>
            </div>
            <div>
              <dt>Approved</dt>
              <dd>
                {exception.approvedAt === null ? (
                  <span class="muted">not yet</span>
                ) : (
                  <>
                    <time dateTime={exception.approvedAt}>{formatTime(exception.approvedAt)}</time> by{' '}
                    {exception.approvedBy}
                  </>
                )}
              </dd>
            </div>
            {exception.revokedAt === null ? null : (
              <div class="facts-wide">
                <dt>Revoked</dt>
                <dd>
                  <time dateTime={exception.revokedAt}>{formatTime(exception.revokedAt)}</time> by{' '}
                  {exception.revokedBy}: {exception.revocationReason}
                </dd>
              </div>
            )}
            {exception.staleSince === null ? null : (
              <div class="facts-wide">
                <dt>Covers nothing since</dt>
                <dd>
                  <time dateTime={exception.staleSince}>{formatTime(exception.staleSince)}</time>
                </dd>
              </div>
            )}
          </dl>
          <p class="hint">
            Findings and control results follow an approval or a revocation at the next scan.
          </p>
        </Section>
      </div>

      <Section title="Change record" id="changes" wide>
        {changes.length === 0 ? (
          <Empty title="No changes recorded." />
        ) : (
          <ol class="timeline" aria-label="Change record, oldest first">
            {changes.map((change) => (
              <li key={change.id} class="timeline-item" data-change-action={change.action}>
                <p class="timeline-head">
                  <time dateTime={change.at}>{formatTime(change.at)}</time>{' '}
                  <strong>{ACTION_LABELS[change.action]}</strong> by {change.actor}
                </p>
                {change.note === null ? null : <p class="timeline-detail">“{change.note}”</p>}
                {change.changedFields.length === 0 || WHOLE_RECORD.has(change.action) ? null : (
                  <p class="timeline-proof">Changed: {change.changedFields.join(', ')}</p>
                )}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </>
  );
}

/** Approve (only the named approver, never the creator: the server decides) and revoke with a reason. */
function ExceptionActions({
  exception,
  onOutcome,
}: {
  exception: Exception;
  onOutcome: (outcome: Outcome) => void;
}) {
  const [busy, setBusy] = useState<'approve' | 'revoke' | null>(null);
  const [reason, setReason] = useState('');
  const path = { params: { path: { id: exception.id } } };

  const act = async (action: 'approve' | 'revoke') => {
    setBusy(action);
    try {
      const { data, error, response } =
        action === 'approve'
          ? await api.POST('/v1/exceptions/{id}/approve', path)
          : await api.POST('/v1/exceptions/{id}/revoke', { ...path, body: { reason } });
      if (data === undefined) throw failureOf(response.status, error);
      setReason('');
      onOutcome({ ok: true, text: action === 'approve' ? 'Approved: the exception is active.' : 'Revoked.' });
    } catch (error) {
      onOutcome({
        ok: false,
        text: `${action === 'approve' ? 'Not approved' : 'Not revoked'}: ${refusal(error)}`,
      });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Section title="Decide" id="decide" wide>
      <div class="decide">
        {exception.state === 'pending_approval' ? (
          <div>
            <p class="hint">Only {exception.approver} may approve it; its creator never may.</p>
            <button
              type="button"
              class="button button-primary"
              disabled={busy !== null}
              onClick={() => void act('approve')}
            >
              {busy === 'approve' ? 'Approving…' : 'Approve'}
            </button>
          </div>
        ) : null}
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void act('revoke');
          }}
        >
          <div class="field field-grow">
            <label for="revocation-reason">Reason to revoke</label>
            <input
              id="revocation-reason"
              type="text"
              value={reason}
              required
              maxLength={2000}
              onInput={(event) => {
                setReason(event.currentTarget.value);
              }}
            />
          </div>
          <button type="submit" class="button" disabled={busy !== null || reason.trim() === ''}>
            {busy === 'revoke' ? 'Revoking…' : 'Revoke'}
          </button>
        </form>
      </div>
    </Section>
  );
}

import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';

import { api, ApiFailure, describeFailure, failureOf, must } from '../api/client';
import type { Exception, ExceptionRequest, FindingRule } from '../api/types';
import { useApi } from '../hooks/use-api';
import { useCatalog } from '../hooks/use-catalog';
import { problemsByField } from '../lib/exceptions';
import { KIND_LABELS, KINDS, RULE_LABELS, RULES } from '../lib/vocabulary';
import type { Query } from '../router';
import { Section } from './page-header';
import { Loading } from './states';

/** A new exception runs 30 days unless the person says otherwise. */
const DEFAULT_DAYS = 30;

/** What the form holds, as typed. */
export interface ExceptionDraft {
  readonly scopeType: 'resource' | 'names';
  readonly resourceKey: string;
  readonly accountAlias: string;
  readonly namePatterns: string;
  readonly region: string;
  readonly resourceKind: string;
  readonly controlIds: readonly string[];
  readonly findingRules: readonly FindingRule[];
  readonly reason: string;
  readonly owner: string;
  readonly approver: string;
  readonly ticketUrl: string;
  /** `datetime-local` text, in the browser's time zone. */
  readonly expiresAt: string;
}

const pad = (value: number) => value.toString().padStart(2, '0');

function localInputValue(date: Date): string {
  return `${date.getFullYear().toString()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * A draft from the route: `resourceKey` and `rule` come from the finding the exception is asked
 * for (its resource page links here with them).
 */
export function requestedDraft(query: Query): ExceptionDraft {
  const rule = RULES.find((candidate) => candidate === query.rule);
  return {
    scopeType: 'resource',
    resourceKey: query.resourceKey ?? '',
    accountAlias: '',
    namePatterns: '',
    region: '',
    resourceKind: '',
    controlIds: [],
    findingRules: rule === undefined ? [] : [rule],
    reason: '',
    owner: '',
    approver: '',
    ticketUrl: '',
    expiresAt: localInputValue(new Date(Date.now() + DEFAULT_DAYS * 86_400_000)),
  };
}

/** The request the API takes; what it refuses, it names (the form shows it next to the field). */
function requestOf(draft: ExceptionDraft): ExceptionRequest {
  const expires = new Date(draft.expiresAt);
  return {
    scope:
      draft.scopeType === 'resource'
        ? { type: 'resource', resourceKey: draft.resourceKey.trim() }
        : {
            type: 'names',
            accountAlias: draft.accountAlias.trim(),
            namePatterns: draft.namePatterns.split(/[\s,]+/).filter((pattern) => pattern !== ''),
            region: draft.region.trim() === '' ? null : draft.region.trim(),
            resourceKind: KINDS.find((kind) => kind === draft.resourceKind) ?? null,
          },
    controlIds: [...draft.controlIds],
    findingRules: [...draft.findingRules],
    reason: draft.reason,
    owner: draft.owner,
    approver: draft.approver,
    ticketUrl: draft.ticketUrl,
    // An unreadable date goes as typed: the API's message about it lands next to the field.
    expiresAt: Number.isNaN(expires.getTime()) ? draft.expiresAt : expires.toISOString(),
  };
}

type Problems = Readonly<Record<string, readonly string[]>>;

/** The fields in the form's order: the first one with a problem gets the focus. */
const FIELD_ORDER = [
  'scope',
  'scope.type',
  'scope.resourceKey',
  'scope.accountAlias',
  'scope.namePatterns',
  'scope.region',
  'scope.resourceKind',
  'controlIds',
  'findingRules',
  'reason',
  'owner',
  'approver',
  'ticketUrl',
  'expiresAt',
];

const inputId = (field: string) => `exception-${field.replace('.', '-')}`;
const problemId = (field: string) => `${inputId(field)}-problem`;

/** The API's problems with one field, where a person looks: right under it. */
function FieldProblems({ field, problems }: { field: string; problems: Problems }) {
  const list = problems[field];
  if (list === undefined) return null;
  return (
    <p id={problemId(field)} class="field-error">
      {list.join('; ')}
    </p>
  );
}

function invalid(field: string, problems: Problems) {
  return problems[field] === undefined
    ? {}
    : { 'aria-invalid': true as const, 'aria-describedby': problemId(field) };
}

function TextField({
  field,
  label,
  hint,
  problems,
  value,
  onInput,
  type = 'text',
  list,
}: {
  field: string;
  label: string;
  hint?: ComponentChildren;
  problems: Problems;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'url' | 'datetime-local';
  list?: string;
}) {
  const hintId = `${inputId(field)}-hint`;
  const described = [
    hint === undefined ? null : hintId,
    problems[field] === undefined ? null : problemId(field),
  ]
    .filter((id) => id !== null)
    .join(' ');
  return (
    <div class="field">
      <label for={inputId(field)}>{label}</label>
      <input
        id={inputId(field)}
        type={type}
        value={value}
        list={list}
        aria-invalid={problems[field] === undefined ? undefined : true}
        aria-describedby={described === '' ? undefined : described}
        onInput={(event) => {
          onInput(event.currentTarget.value);
        }}
      />
      {hint === undefined ? null : (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      <FieldProblems field={field} problems={problems} />
    </div>
  );
}

/**
 * The form an admin asks for an exception with. The server checks every field (and the policy's
 * longest expiry); its refusal is shown field by field, the first problem focused.
 */
export function ExceptionForm({
  initial,
  onCreated,
  onCancel,
}: {
  initial: ExceptionDraft;
  onCreated: (exception: Exception) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [problems, setProblems] = useState<Problems>({});
  const [sending, setSending] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const catalog = useCatalog();
  const controls = useApi('exception-form/controls', (signal) =>
    must(api.GET('/v1/controls', { signal })).then((report) =>
      report.controls.map((control) => ({ id: control.id, title: control.title })),
    ),
  );
  const change = (changes: Partial<ExceptionDraft>) => {
    setDraft((previous) => ({ ...previous, ...changes }));
  };
  const toggle = <Item extends string>(items: readonly Item[], item: Item, on: boolean): Item[] =>
    on ? [...items.filter((value) => value !== item), item] : items.filter((value) => value !== item);

  const submit = async () => {
    setSending(true);
    try {
      const { data, error, response } = await api.POST('/v1/exceptions', { body: requestOf(draft) });
      if (data === undefined) throw failureOf(response.status, error);
      setProblems({});
      onCreated(data);
    } catch (error) {
      const found =
        error instanceof ApiFailure && error.status === 400
          ? problemsByField(error.message, error.parameter)
          : { '': [error instanceof ApiFailure ? error.message : describeFailure(error)] };
      setProblems(found);
      const first = FIELD_ORDER.find((field) => found[field] !== undefined);
      const target =
        first === undefined
          ? form.current?.querySelector<HTMLElement>('.form-problems')
          : form.current?.querySelector<HTMLElement>(`#${inputId(first)}, [data-field="${first}"] input`);
      target?.focus();
    } finally {
      setSending(false);
    }
  };

  const general = problems[''];
  return (
    <Section title="New exception" id="new-exception" wide>
      <form
        ref={form}
        class="exception-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {general === undefined ? null : (
          <div class="state state-error form-problems" role="alert" tabIndex={-1}>
            <p class="state-title">The API refused this exception</p>
            {general.map((problem) => (
              <p key={problem}>{problem}</p>
            ))}
          </div>
        )}
        {Object.keys(problems).some((field) => field !== '') ? (
          <p class="visually-hidden" role="alert">
            The API refused this exception: the fields marked say why.
          </p>
        ) : null}

        <fieldset class="form-group" data-field="scope">
          <legend>Scope</legend>
          <div class="choice-row">
            {(
              [
                ['resource', 'One resource'],
                ['names', 'Names in an account'],
              ] as const
            ).map(([value, label]) => (
              <label key={value} class="choice">
                <input
                  type="radio"
                  name="scope-type"
                  value={value}
                  checked={draft.scopeType === value}
                  onChange={() => {
                    change({ scopeType: value });
                  }}
                />
                {label}
              </label>
            ))}
          </div>
          <FieldProblems field="scope" problems={problems} />
          <FieldProblems field="scope.type" problems={problems} />
          {draft.scopeType === 'resource' ? (
            <TextField
              field="scope.resourceKey"
              label="Resource key"
              hint={
                <>
                  As on the resource’s page: <code>oss:bucket-name</code>, a table bucket or KMS key ARN.
                </>
              }
              problems={problems}
              value={draft.resourceKey}
              onInput={(value) => {
                change({ resourceKey: value });
              }}
            />
          ) : (
            <div class="form-grid">
              <TextField
                field="scope.accountAlias"
                label="Account"
                list="exception-accounts"
                problems={problems}
                value={draft.accountAlias}
                onInput={(value) => {
                  change({ accountAlias: value });
                }}
              />
              <TextField
                field="scope.namePatterns"
                label="Name patterns"
                hint={
                  <>
                    Globs, separated by spaces or commas: <code>*</code> any run, <code>?</code> one
                    character.
                  </>
                }
                problems={problems}
                value={draft.namePatterns}
                onInput={(value) => {
                  change({ namePatterns: value });
                }}
              />
              <TextField
                field="scope.region"
                label="Region (optional)"
                list="exception-regions"
                problems={problems}
                value={draft.region}
                onInput={(value) => {
                  change({ region: value });
                }}
              />
              <div class="field">
                <label for={inputId('scope.resourceKind')}>Kind (optional)</label>
                <select
                  id={inputId('scope.resourceKind')}
                  value={draft.resourceKind}
                  {...invalid('scope.resourceKind', problems)}
                  onChange={(event) => {
                    change({ resourceKind: event.currentTarget.value });
                  }}
                >
                  <option value="">Any kind</option>
                  {KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {KIND_LABELS[kind]}
                    </option>
                  ))}
                </select>
                <FieldProblems field="scope.resourceKind" problems={problems} />
              </div>
              <datalist id="exception-accounts">
                {catalog.accounts.map((option) => (
                  <option key={option.value} value={option.value} />
                ))}
              </datalist>
              <datalist id="exception-regions">
                {catalog.regions.map((option) => (
                  <option key={option.value} value={option.value} />
                ))}
              </datalist>
            </div>
          )}
        </fieldset>

        <div class="form-grid">
          <fieldset class="form-group" data-field="findingRules">
            <legend>Finding rules it covers</legend>
            <div class="choice-list">
              {RULES.map((rule) => (
                <label key={rule} class="choice">
                  <input
                    type="checkbox"
                    value={rule}
                    checked={draft.findingRules.includes(rule)}
                    onChange={(event) => {
                      change({ findingRules: toggle(draft.findingRules, rule, event.currentTarget.checked) });
                    }}
                  />
                  {RULE_LABELS[rule]}
                </label>
              ))}
            </div>
            <FieldProblems field="findingRules" problems={problems} />
          </fieldset>
          <fieldset class="form-group" data-field="controlIds">
            <legend>Controls it covers</legend>
            {controls.state.status === 'ready' ? (
              <div class="choice-list">
                {controls.state.data.map((control) => (
                  <label key={control.id} class="choice">
                    <input
                      type="checkbox"
                      value={control.id}
                      checked={draft.controlIds.includes(control.id)}
                      onChange={(event) => {
                        change({
                          controlIds: toggle(draft.controlIds, control.id, event.currentTarget.checked),
                        });
                      }}
                    />
                    <span>
                      {control.title} <span class="muted">{control.id}</span>
                    </span>
                  </label>
                ))}
              </div>
            ) : controls.state.status === 'error' ? (
              <p class="field-error">Could not load the controls: {describeFailure(controls.state.error)}</p>
            ) : (
              <Loading label="Loading the controls" />
            )}
            <FieldProblems field="controlIds" problems={problems} />
          </fieldset>
        </div>

        <div class="field">
          <label for={inputId('reason')}>Reason</label>
          <textarea
            id={inputId('reason')}
            rows={3}
            value={draft.reason}
            aria-describedby={[
              `${inputId('reason')}-hint`,
              problems.reason === undefined ? null : problemId('reason'),
            ]
              .filter((id) => id !== null)
              .join(' ')}
            aria-invalid={problems.reason === undefined ? undefined : true}
            onInput={(event) => {
              change({ reason: event.currentTarget.value });
            }}
          />
          <p id={`${inputId('reason')}-hint`} class="hint">
            Why the risk is accepted, 10 to 2000 characters.
          </p>
          <FieldProblems field="reason" problems={problems} />
        </div>

        <div class="form-grid">
          <TextField
            field="owner"
            label="Owner"
            hint="Who is accountable for the risk."
            problems={problems}
            value={draft.owner}
            onInput={(value) => {
              change({ owner: value });
            }}
          />
          <TextField
            field="approver"
            label="Approver"
            hint="The name of another admin’s API key: never your own."
            problems={problems}
            value={draft.approver}
            onInput={(value) => {
              change({ approver: value });
            }}
          />
          <TextField
            field="ticketUrl"
            label="Ticket"
            type="url"
            hint="An http(s) link to the ticket."
            problems={problems}
            value={draft.ticketUrl}
            onInput={(value) => {
              change({ ticketUrl: value });
            }}
          />
          <TextField
            field="expiresAt"
            label="Expires at"
            type="datetime-local"
            hint="Within the policy’s longest duration (the server names it if this is later)."
            problems={problems}
            value={draft.expiresAt}
            onInput={(value) => {
              change({ expiresAt: value });
            }}
          />
        </div>

        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={sending}>
            {sending ? 'Creating…' : 'Create exception'}
          </button>
          <button type="button" class="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Section>
  );
}

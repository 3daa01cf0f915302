import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/** One option of a filter: the API's value and what a person reads. */
export interface FilterOption {
  readonly value: string;
  readonly label: string;
}

/** A labelled choice among the API's values, `Any` meaning no filter. */
export function SelectFilter({
  id,
  label,
  value,
  options,
  onChange,
  anyLabel = 'Any',
}: {
  id: string;
  label: string;
  value: string | undefined;
  options: readonly FilterOption[];
  onChange: (value: string | undefined) => void;
  anyLabel?: string | null;
}) {
  // A value from the URL the list does not know still shows, so the filter never hides itself.
  const known = value === undefined || options.some((option) => option.value === value);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(event) => {
          const next = event.currentTarget.value;
          onChange(next === '' ? undefined : next);
        }}
      >
        {anyLabel === null ? null : <option value="">{anyLabel}</option>}
        {known ? null : <option value={value}>{value}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A comma list from the URL (`high,critical`) as its values; empty parts are dropped. */
export function listOf(text: string | undefined): string[] {
  return text === undefined ? [] : text.split(',').filter((value) => value !== '');
}

/**
 * Any number of the API's values, as a list of checkboxes that opens under a button showing what is
 * chosen ("Any" for none). The values travel as a comma list, in the options' order. Escape, or a
 * click elsewhere, closes it.
 */
export function CheckListFilter({
  id,
  label,
  values,
  options,
  onChange,
  anyLabel = 'Any',
}: {
  id: string;
  label: string;
  values: readonly string[];
  options: readonly FilterOption[];
  onChange: (values: string[]) => void;
  anyLabel?: string;
}) {
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const closeOutside = (event: Event) => {
      const element = details.current;
      if (element?.open === true && !element.contains(event.target as Node)) element.open = false;
    };
    document.addEventListener('click', closeOutside);
    return () => {
      document.removeEventListener('click', closeOutside);
    };
  }, []);
  // Values from the URL the list does not know still show, checked, so a filter never hides itself.
  const all = [
    ...options,
    ...values
      .filter((value) => !options.some((option) => option.value === value))
      .map((value) => ({ value, label: value })),
  ];
  const chosen = all.filter((option) => values.includes(option.value));
  const shown =
    chosen.length === 0
      ? anyLabel
      : chosen.length <= 2
        ? chosen.map((option) => option.label).join(', ')
        : `${chosen.length.toString()} selected`;
  const toggle = (value: string, checked: boolean) => {
    onChange(
      all
        .map((option) => option.value)
        .filter((candidate) => (candidate === value ? checked : values.includes(candidate))),
    );
  };
  return (
    <div class="field">
      <span class="field-label" aria-hidden="true">
        {label}
      </span>
      <details
        class="checklist"
        ref={details}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && details.current?.open === true) {
            details.current.open = false;
            details.current.querySelector('summary')?.focus();
          }
        }}
      >
        <summary id={id} class={chosen.length === 0 ? undefined : 'checklist-active'}>
          <span class="visually-hidden">{label}: </span>
          {shown}
        </summary>
        <fieldset class="checklist-options">
          <legend class="visually-hidden">{label}</legend>
          {all.map((option) => (
            <label key={option.value} class="checklist-option">
              <input
                type="checkbox"
                name={id}
                value={option.value}
                checked={values.includes(option.value)}
                onChange={(event) => {
                  toggle(option.value, event.currentTarget.checked);
                }}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
      </details>
    </div>
  );
}

/** Free text applied on Enter or when the field is left, not on every key press. */
export function TextFilter({
  id,
  label,
  value,
  placeholder,
  onCommit,
}: {
  id: string;
  label: string;
  value: string | undefined;
  placeholder?: string;
  onCommit: (value: string | undefined) => void;
}) {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => {
    setDraft(value ?? '');
  }, [value]);
  const commit = () => {
    const next = draft.trim();
    if (next !== (value ?? '')) onCommit(next === '' ? undefined : next);
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={draft}
        placeholder={placeholder}
        maxLength={255}
        autoComplete="off"
        spellcheck={false}
        onInput={(event) => {
          setDraft(event.currentTarget.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
        onBlur={commit}
      />
    </div>
  );
}

/** A day (YYYY-MM-DD), which the API reads as midnight UTC. */
export function DateFilter({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="date"
        value={value ?? ''}
        onChange={(event) => {
          const next = event.currentTarget.value;
          onChange(next === '' ? undefined : next);
        }}
      />
    </div>
  );
}

/** The row of filters above a list, with a way to clear them all. */
export function FilterBar({
  label,
  children,
  onClear,
  active,
}: {
  label: string;
  children: ComponentChildren;
  onClear: () => void;
  active: boolean;
}) {
  return (
    <form
      class="filters"
      aria-label={label}
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
      }}
    >
      {children}
      <div class="field field-action">
        <button type="button" class="button button-quiet" onClick={onClear} disabled={!active}>
          Clear filters
        </button>
      </div>
    </form>
  );
}

import type { ComponentChildren } from 'preact';

import { ApiFailure, describeFailure } from '../api/client';

/** A region that is loading: announced to screen readers, drawn as a quiet placeholder. */
export function Loading({ label }: { label: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}…
    </div>
  );
}

/** A failed load: what failed, why, and a way to try again. */
export function ErrorNotice({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: unknown;
  onRetry?: () => void;
}) {
  const code = error instanceof ApiFailure ? error.code : null;
  return (
    <div class="state state-error" role="alert">
      <p class="state-title">{title}</p>
      <p>
        {describeFailure(error)}
        {code === null ? null : <span class="muted"> ({code})</span>}
      </p>
      {onRetry === undefined ? null : (
        <button type="button" class="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Nothing to show: say so, and what to do about it. */
export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <p class="state-title">{title}</p>
      {children === undefined ? null : <p>{children}</p>}
    </div>
  );
}

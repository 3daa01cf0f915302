import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

import { ApiFailure } from '../api/client';

/** The state of data a page loads: loading, failed, or ready (and maybe refreshing). */
export type Loaded<Data> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'ready'; readonly data: Data; readonly refreshing: boolean };

export interface LoadedWithReload<Data> {
  readonly state: Loaded<Data>;
  /** Loads again; the data shown stays until the new data arrives. */
  readonly reload: () => void;
}

function aborted(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * Runs `load` when `key` changes (and on `reload`), cancelling the call in flight, so a page
 * always shows the answer to its latest filters.
 */
export function useApi<Data>(
  key: string,
  load: (signal: AbortSignal) => Promise<Data>,
): LoadedWithReload<Data> {
  const [stored, setStored] = useState<{ key: string; state: Loaded<Data> }>({
    key,
    state: { status: 'loading' },
  });
  const [version, setVersion] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    const controller = new AbortController();
    // Same key (a reload): keep showing the data while it refreshes. A new key: loading.
    setStored((previous) =>
      previous.key === key && previous.state.status === 'ready'
        ? { key, state: { ...previous.state, refreshing: true } }
        : { key, state: { status: 'loading' } },
    );
    loader
      .current(controller.signal)
      .then((data) => {
        if (!controller.signal.aborted)
          setStored({ key, state: { status: 'ready', data, refreshing: false } });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted || aborted(error)) return;
        setStored({ key, state: { status: 'error', error } });
      });
    return () => {
      controller.abort();
    };
  }, [key, version]);

  const reload = useCallback(() => {
    setVersion((value) => value + 1);
  }, []);
  // Data of other filters than the current ones is never shown, not even for the one render
  // before the new load starts.
  return { state: stored.key === key ? stored.state : { status: 'loading' }, reload };
}

/** True when the failure is the API refusing the key: the app is already asking for a new one. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiFailure && error.status === 401;
}

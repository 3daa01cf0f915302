import { useState } from 'preact/hooks';

import { formatCount } from '../lib/format';

/** Page sizes offered; the API allows 1 to 500. */
export const PAGE_SIZES = [10, 25, 50, 100, 250, 500] as const;

/**
 * Keyset paging as the API does it: the cursor of each page seen so far, so Previous goes back
 * without the API having to count. Starts over when the filters (`resetKey`) change.
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: resetKey,
    cursors: [undefined],
  });
  // Other filters than the stored cursors were taken with: back to the first page, in this render.
  const cursors = state.key === resetKey ? state.cursors : [undefined];
  return {
    cursor: cursors[cursors.length - 1],
    pageNumber: cursors.length,
    next: (cursor: string) => {
      setState({ key: resetKey, cursors: [...cursors, cursor] });
    },
    previous: () => {
      setState({ key: resetKey, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors });
    },
    first: () => {
      setState({ key: resetKey, cursors: [undefined] });
    },
  };
}

/** Previous / next page, the page number and the page size. */
export function Pager({
  label,
  pageNumber,
  shown,
  nextCursor,
  limit,
  onNext,
  onPrevious,
  onFirst,
  onLimit,
}: {
  label: string;
  pageNumber: number;
  shown: number;
  nextCursor: string | null;
  limit: number;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  onFirst: () => void;
  onLimit?: (limit: number) => void;
}) {
  const sizeId = `${label.replace(/\W+/g, '-').toLowerCase()}-page-size`;
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <p class="pager-position" aria-live="polite">
        Page {formatCount(pageNumber)} · {formatCount(shown)} shown{nextCursor === null ? '' : ', more after'}
      </p>
      <div class="pager-buttons">
        <button type="button" class="button button-quiet" onClick={onFirst} disabled={pageNumber === 1}>
          First
        </button>
        <button type="button" class="button button-quiet" onClick={onPrevious} disabled={pageNumber === 1}>
          Previous
        </button>
        <button
          type="button"
          class="button button-quiet"
          onClick={() => {
            if (nextCursor !== null) onNext(nextCursor);
          }}
          disabled={nextCursor === null}
        >
          Next
        </button>
        {onLimit === undefined ? null : (
          <span class="field field-inline">
            <label for={sizeId}>Per page</label>
            <select
              id={sizeId}
              value={limit.toString()}
              onChange={(event) => {
                onLimit(Number(event.currentTarget.value));
              }}
            >
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size.toString()}>
                  {size}
                </option>
              ))}
            </select>
          </span>
        )}
      </div>
    </nav>
  );
}

/** The page size of a route's query: one of `PAGE_SIZES`, else the default. */
export function pageSizeOf(query: Readonly<Record<string, string>>, fallback = 50): number {
  const value = Number(query.limit);
  return (PAGE_SIZES as readonly number[]).includes(value) ? value : fallback;
}

import type { Page } from '@app/persistence';

/** Rows per keyset page read for exports and packs. */
export const EXPORT_PAGE_SIZE = 500;

/**
 * Every row of a keyset-paginated list, fetched one page at a time as the consumer reads: at most
 * one page is in memory, and a slow consumer slows the reads.
 */
export async function* everyRow<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

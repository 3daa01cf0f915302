/**
 * Walks a paged listing one page ahead: the request for the next page goes out as soon as a page
 * is in (its cursor is known), before the page is handed over, so whatever the caller does with
 * a page's items (a scan stores a batch of them and queues its reads) overlaps the next round
 * trip. A page that fails fails where it stands in the walk, after every page before it; a walk
 * left early leaves no unhandled rejection behind.
 */
export async function* pagesAhead<Page>(
  fetchPage: (cursor: string | null) => Promise<Page>,
  cursorOf: (page: Page) => string | null,
): AsyncGenerator<Page> {
  let next: Promise<Page> | null = fetchPage(null);
  while (next !== null) {
    const page: Page = await next;
    const cursor = cursorOf(page);
    next = cursor === null ? null : handled(fetchPage(cursor));
    yield page;
  }
}

/** `promise`, marked handled: awaiting it still throws, dropping it unawaited reports nothing. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

import type { ApiTestApp } from './api-test-app';

interface PageBody {
  items: unknown[];
  nextCursor: string | null;
}

/** Follows `nextCursor` from the first page to the last; returns the items in order and the page count. */
export async function walkPages(
  api: ApiTestApp,
  token: string,
  path: string,
  limit: number,
): Promise<{ items: unknown[]; pages: number }> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = `${path}${separator}limit=${limit.toString()}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const response = await api.http.get(url).set('Authorization', `Bearer ${token}`).expect(200);
    const body = response.body as PageBody;
    items.push(...body.items);
    cursor = body.nextCursor;
    pages += 1;
  } while (cursor !== null);
  return { items, pages };
}

import { PersistenceError } from './persistence-error';

/**
 * Keyset-pagination cursors: the sort key of the last row of a page, opaque to API clients
 * (base64url of a JSON array) so their shape can change without breaking anyone's bookmark.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor whose key has the given element types; throws `INVALID_CURSOR` otherwise. */
export function decodeCursor<const T extends readonly ('string' | 'number')[]>(
  cursor: string,
  shape: T,
): { -readonly [K in keyof T]: T[K] extends 'string' ? string : number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new PersistenceError('INVALID_CURSOR', 'The cursor is not one this service issued', {
      cause: error,
    });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== shape.length ||
    !parsed.every((value, index) => typeof value === shape[index])
  ) {
    throw new PersistenceError('INVALID_CURSOR', 'The cursor is not one this service issued');
  }
  return parsed as { -readonly [K in keyof T]: T[K] extends 'string' ? string : number };
}

/** Page sizes of every list: the API's `limit` parameter and the repositories share them. */
export const PAGE_SIZE = { default: 50, max: 500 } as const;

/** Validates a page size: a positive integer no larger than `max`. */
export function pageSize(limit: number, max: number = PAGE_SIZE.max): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new PersistenceError(
      'INVALID_INPUT',
      `Page size must be an integer from 1 to ${max}, got ${limit}`,
    );
  }
  return limit;
}

/** One page of a keyset-paginated list; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/**
 * The page of a keyset query that fetched `limit + 1` rows: the extra row only says whether a next
 * page exists, and the cursor is the sort key of the page's last row.
 */
export function keysetPage<R, T>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => T,
  cursorOf: (lastRow: R, lastItem: T) => string,
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const items = pageRows.map(toItem);
  const lastRow = pageRows.at(-1);
  const lastItem = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && lastRow !== undefined && lastItem !== undefined
        ? cursorOf(lastRow, lastItem)
        : null,
  };
}

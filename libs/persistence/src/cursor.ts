import { PersistenceError } from './persistence-error';

/**
 * Keyset pagination: page sizes, pages, and the cursors that carry the sort key of a page's last
 * row. A cursor is client input: base64url of a JSON array, opaque to clients (its shape can change
 * without breaking anyone's bookmark), decoded and checked here down to each value against the
 * column it will be compared with, so that a forged value fails as `INVALID_CURSOR` and never
 * reaches Postgres (where an id beyond int4 or a month 13 is a server error).
 */

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

/**
 * The column types a cursor value can be compared with: `int4` and `int8` identity ids (positive;
 * int8 ids travel as JavaScript numbers, so within 2^53), `timestamptz` as `cursorTimestampSql`
 * renders it, `uuid` in its canonical lowercase text, `text` a name (no NUL, which Postgres refuses).
 */
export type CursorColumn = 'int4' | 'int8' | 'timestamptz' | 'uuid' | 'text';

type CursorValue<Column extends CursorColumn> = Column extends 'int4' | 'int8' ? number : string;

/** The decoded values of a cursor over `Columns`, in order. */
export type CursorValues<Columns extends readonly CursorColumn[]> = {
  -readonly [Index in keyof Columns]: CursorValue<Columns[Index]>;
};

/** Encodes and decodes the cursors of one list, whose sort key is `columns`. */
export interface KeysetCursor<Columns extends readonly CursorColumn[]> {
  encode(values: CursorValues<Columns>): string;
  /** The values of a cursor this list issued; throws `INVALID_CURSOR` for anything else. */
  decode(cursor: string): CursorValues<Columns>;
}

/**
 * Longest cursor accepted: the longest one issued holds a resource name (a table's
 * `{namespace}/{table}`, up to 511 characters of UTF-8), an id and a uuid.
 */
export const MAX_CURSOR_LENGTH = 4096;

/** Longest `text` value of a cursor: a resource name. */
const MAX_CURSOR_TEXT = 1024;

const INT4_MAX = 2_147_483_647;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** SQL rendering a timestamptz column as the cursor text `timestamptz` values are: UTC, microseconds. */
export function cursorTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The cursor codec of a list sorted by `columns` (e.g. `keysetCursor('timestamptz', 'uuid')`). */
export function keysetCursor<const Columns extends readonly [CursorColumn, ...CursorColumn[]]>(
  ...columns: Columns
): KeysetCursor<Columns> {
  return {
    encode: (values) => encode(values),
    decode: (cursor) => checked(columns, parse(cursor)),
  };
}

/**
 * The cursor codec of one of a list's sort orders: the cursor names its sort, so that a cursor
 * issued for another order is refused instead of being compared with the wrong columns.
 */
export function sortKeysetCursor<const Columns extends readonly [CursorColumn, ...CursorColumn[]]>(
  sort: string,
  ...columns: Columns
): KeysetCursor<Columns> {
  return {
    encode: (values) => encode([sort, ...values]),
    decode: (cursor) => {
      const [issuedFor, ...values] = parse(cursor);
      if (issuedFor !== sort) {
        throw new PersistenceError(
          'INVALID_CURSOR',
          typeof issuedFor === 'string'
            ? `The cursor was issued for another sort order than ${sort}`
            : 'The cursor is not one this service issued',
        );
      }
      return checked(columns, values);
    },
  };
}

function checked<const Columns extends readonly CursorColumn[]>(
  columns: Columns,
  values: readonly unknown[],
): CursorValues<Columns> {
  if (values.length !== columns.length) throw invalidCursor();
  columns.forEach((column, index) => {
    if (!VALID[column](values[index])) throw invalidCursor();
  });
  return values as CursorValues<Columns>;
}

function encode(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * The array a cursor holds. Only the exact text `encode` gives is accepted, so padding, stray
 * characters, other spellings of the same JSON (`1.0`, spaces, escapes) are refused too.
 */
function parse(cursor: string): unknown[] {
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw invalidCursor();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(error);
  }
  if (!Array.isArray(parsed) || encode(parsed) !== cursor) throw invalidCursor();
  return parsed;
}

const VALID: Readonly<Record<CursorColumn, (value: unknown) => boolean>> = {
  int4: (value) => isIdWithin(value, INT4_MAX),
  int8: (value) => isIdWithin(value, Number.MAX_SAFE_INTEGER),
  timestamptz: (value) => typeof value === 'string' && isTimestampText(value),
  uuid: (value) => typeof value === 'string' && UUID.test(value),
  text: (value) => typeof value === 'string' && value.length <= MAX_CURSOR_TEXT && !value.includes('\u0000'),
};

function isIdWithin(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= max;
}

/** A real instant of years 1 to 9999 (Postgres refuses year 0, a February 30, an hour 24). */
function isTimestampText(text: string): boolean {
  const parts = TIMESTAMP_TEXT.exec(text);
  if (parts === null) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

function invalidCursor(cause?: unknown): PersistenceError {
  return new PersistenceError(
    'INVALID_CURSOR',
    'The cursor is not one this service issued',
    cause === undefined ? undefined : { cause },
  );
}

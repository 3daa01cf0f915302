import { decodeCursor, encodeCursor } from './cursor';
import { PersistenceError } from './persistence-error';

/**
 * Cursors of the read-side lists, checked down to their values: a cursor is client input, and a
 * value Postgres cannot cast (a month 13, an id beyond bigint) must fail here as `INVALID_CURSOR`,
 * not in the database as a server error.
 */

/** A timestamp as the lists render it for cursors: UTC, to the microsecond Postgres keeps. */
const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** SQL rendering a timestamptz column as the text `TIMESTAMP_TEXT` accepts. */
export function cursorTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Encodes a (timestamp text, id) sort key. */
export function encodeTimestampIdCursor(timestamp: string, id: number | string): string {
  return encodeCursor([timestamp, id]);
}

/** Decodes a (timestamp, integer id) cursor. */
export function decodeTimestampIntCursor(cursor: string): [string, number] {
  const [timestamp, id] = decodeCursor(cursor, ['string', 'number']);
  return [validTimestamp(timestamp), validId(id)];
}

/** Decodes a (timestamp, uuid) cursor. */
export function decodeTimestampUuidCursor(cursor: string): [string, string] {
  const [timestamp, id] = decodeCursor(cursor, ['string', 'string']);
  if (!UUID.test(id)) {
    throw invalid();
  }
  return [validTimestamp(timestamp), id];
}

/** Decodes an integer id cursor. */
export function decodeIntCursor(cursor: string): number {
  const [id] = decodeCursor(cursor, ['number']);
  return validId(id);
}

function validTimestamp(text: string): string {
  const parts = TIMESTAMP_TEXT.exec(text);
  if (parts === null) {
    throw invalid();
  }
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  if (!roundTrips) {
    throw invalid();
  }
  return text;
}

function validId(id: number): number {
  if (!Number.isSafeInteger(id) || id < 0) {
    throw invalid();
  }
  return id;
}

function invalid(): PersistenceError {
  return new PersistenceError('INVALID_CURSOR', 'The cursor is not one this service issued');
}

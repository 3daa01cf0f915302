const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const ISO_EXTENDED_SECONDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const RFC_1123 =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let lastFormattedSecond = Number.NaN;
let lastIsoBasic = '';

/**
 * `YYYYMMDD'T'HHMMSS'Z'` in UTC, the V4 `x-oss-date`. Every request signed within one second
 * carries the same value, so the last one is kept (an invalid date still throws RangeError).
 */
export function formatIsoBasic(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastFormattedSecond) {
    lastIsoBasic = date
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    lastFormattedSecond = second;
  }
  return lastIsoBasic;
}

/** `YYYY-MM-DD'T'HH:mm:ss'Z'` in UTC (ISO 8601 extended, whole seconds): the ACS3 `x-acs-date`. */
export function formatIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 1123 GMT with a two-digit day, e.g. `Wed, 28 Dec 2022 10:27:41 GMT`. */
export function formatRfc1123(date: Date): string {
  return date.toUTCString();
}

function utcDate(
  year: number,
  month: number,
  day: number,
  hours: number,
  minutes: number,
  seconds: number,
): Date | undefined {
  const date = new Date(Date.UTC(year, month, day, hours, minutes, seconds));
  const valid =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hours &&
    date.getUTCMinutes() === minutes &&
    date.getUTCSeconds() === seconds;
  return valid ? date : undefined;
}

/** Parses a V4 `x-oss-date`; `undefined` unless it is a valid ISO 8601 basic UTC timestamp. */
export function parseIsoBasic(value: string): Date | undefined {
  const match = ISO_BASIC.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number);
  return utcDate(year ?? 0, (month ?? 0) - 1, day ?? 0, hours ?? 0, minutes ?? 0, seconds ?? 0);
}

/** Parses an ACS3 `x-acs-date`; `undefined` unless it is a valid `YYYY-MM-DDTHH:mm:ssZ` UTC time. */
export function parseIsoSeconds(value: string): Date | undefined {
  const match = ISO_EXTENDED_SECONDS.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number);
  return utcDate(year ?? 0, (month ?? 0) - 1, day ?? 0, hours ?? 0, minutes ?? 0, seconds ?? 0);
}

/** Parses an RFC 1123 GMT date (`Date` / V1 `x-oss-date`); `undefined` when it is not one. */
export function parseRfc1123(value: string): Date | undefined {
  const match = RFC_1123.exec(value);
  if (match === null) return undefined;
  const [, day, monthName, year, hours, minutes, seconds] = match;
  return utcDate(
    Number(year),
    MONTHS.indexOf(monthName ?? ''),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
}

/** Formatting shared by every page: times in the browser's zone, counts, durations. */

const pad = (value: number): string => value.toString().padStart(2, '0');

/** `2026-03-05 02:10` in the browser's time zone; empty for null. */
export function formatTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear().toString()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `1,234` */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** `42%` of `part` in `total`; `–` when there is no total. */
export function formatShare(part: number, total: number): string {
  if (total === 0) return '–';
  const share = (part / total) * 100;
  return `${share > 0 && share < 1 ? '<1' : Math.round(share).toString()}%`;
}

/** `850 ms`, `42 s`, `3 min 20 s`, `2 h 5 min`; empty for null. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 1) return `${Math.round(seconds * 1000).toString()} ms`;
  if (seconds < 60) return `${(Math.round(seconds * 10) / 10).toString()} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes.toString()} min ${Math.round(seconds % 60).toString()} s`;
  return `${Math.floor(minutes / 60).toString()} h ${(minutes % 60).toString()} min`;
}

/** `3 findings` / `1 finding` */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

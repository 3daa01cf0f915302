import { createHash } from 'node:crypto';

/** Sorted name lists: how the fleet answers listings in name order, page after page. */

export interface Page<T> {
  readonly items: readonly T[];
  readonly truncated: boolean;
}

/** Index of the first name not below `value`. */
export function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? '') < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the first name above `value`: where a listing resumes after `value`. */
export function upperBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? '') <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function insertSorted(sorted: string[], value: string): void {
  sorted.splice(lowerBound(sorted, value), 0, value);
}

export function removeSorted(sorted: string[], value: string): void {
  const index = lowerBound(sorted, value);
  if (sorted[index] === value) sorted.splice(index, 1);
}

/** Sorted names from `start`, those with `prefix`, at most `max`; truncated when more follow. */
export function pageOfNames(
  sorted: readonly string[],
  start: number,
  prefix: string,
  max: number,
): Page<string> {
  const items: string[] = [];
  let index = Math.max(start, prefix === '' ? 0 : lowerBound(sorted, prefix));
  for (; index < sorted.length; index++) {
    const name = sorted[index] ?? '';
    if (!name.startsWith(prefix)) break;
    if (items.length === max) return { items, truncated: true };
    items.push(name);
  }
  return { items, truncated: false };
}

/** A version-4-shaped UUID derived from `seed`: the same resource gets the same id on every run. */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

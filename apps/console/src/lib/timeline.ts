import type { DriftEvent, ObservationChange } from '../api/types';

/** What a person compares between two observations of one resource. */
const COMPARED: readonly (readonly [string, (change: ObservationChange) => string | null])[] = [
  ['class', (change) => change.encryption.class],
  ['algorithm', (change) => change.encryption.algorithm],
  ['KMS key', (change) => change.encryption.kmsKeyId],
  ['KMS data encryption', (change) => change.encryption.kmsDataEncryption],
  ['error', (change) => change.errorCode],
];

/** One field that differs between an observation and the one before it. */
export interface FieldChange {
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** One entry of a resource's timeline, newest first. */
export type TimelineEntry =
  | {
      readonly kind: 'observation';
      readonly at: string;
      readonly change: ObservationChange;
      /** The observation before it, when the history holds it (null for the first, or past the page). */
      readonly previous: ObservationChange | null;
      readonly differences: readonly FieldChange[];
      /** The drift event this observation is the `after` of (appeared, or encryption changed). */
      readonly drift: DriftEvent | null;
    }
  | { readonly kind: 'drift'; readonly at: string; readonly drift: DriftEvent };

/** Fields that differ from `previous` to `change`. */
export function differencesBetween(previous: ObservationChange, change: ObservationChange): FieldChange[] {
  return COMPARED.flatMap(([field, read]) => {
    const before = read(previous);
    const after = read(change);
    return before === after ? [] : [{ field, before, after }];
  });
}

/**
 * The timeline of one resource: its distinct observations (the change log, newest first) with what
 * changed since the one before and the drift event that recorded it, and the drift events that have
 * no observation of their own (a disappearance), all newest first.
 */
export function buildTimeline(
  history: readonly ObservationChange[],
  drift: readonly DriftEvent[],
): TimelineEntry[] {
  const byAfterChange = new Map<number, DriftEvent>();
  for (const event of drift) {
    if (event.after?.changeId !== null && event.after?.changeId !== undefined) {
      byAfterChange.set(event.after.changeId, event);
    }
  }
  const matched = new Set<number>();
  const entries: TimelineEntry[] = history.map((change, index) => {
    const previous = history[index + 1] ?? null;
    const event = byAfterChange.get(change.changeId) ?? null;
    if (event !== null) matched.add(event.id);
    return {
      kind: 'observation',
      at: change.observedAt,
      change,
      previous,
      differences: previous === null ? [] : differencesBetween(previous, change),
      drift: event,
    };
  });
  for (const event of drift) {
    if (!matched.has(event.id)) entries.push({ kind: 'drift', at: event.detectedAt, drift: event });
  }
  return entries.sort((a, b) => b.at.localeCompare(a.at));
}

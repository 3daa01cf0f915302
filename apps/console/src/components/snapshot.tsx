import type { DriftEvent } from '../api/types';
import { ClassBadge } from './badges';

type Snapshot = DriftEvent['before'];

/** One side of a drift event: the class, with algorithm and key when there are. */
export function SnapshotCell({ snapshot }: { snapshot: Snapshot }) {
  if (snapshot === null) return <span class="muted">—</span>;
  const details = [snapshot.algorithm, snapshot.kmsKeyId].filter((value): value is string => value !== null);
  return (
    <span class="snapshot">
      <ClassBadge value={snapshot.class} />
      {details.length === 0 ? null : <span class="cell-detail break">{details.join(' · ')}</span>}
    </span>
  );
}

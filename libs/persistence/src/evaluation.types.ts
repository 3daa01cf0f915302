import type { ResourceRef } from '@app/audit';

/** Rows an evaluation wrote (rows that already existed, on a re-run, are not counted). */
export interface EvaluationCounts {
  readonly evaluated: number;
  readonly opened: number;
  readonly kept: number;
  readonly resolved: number;
  readonly drift: number;
  readonly alerts: number;
}

/** A set of resources expected in a scan: present resources of it the scan did not see have vanished. */
export interface EnumerationScope {
  readonly accountAlias: string;
  readonly kind: ResourceRef['kind'];
  readonly regions: readonly string[] | 'all';
}

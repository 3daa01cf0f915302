/** Rows an evaluation wrote (rows that already existed, on a re-run, are not counted). */
export interface EvaluationCounts {
  readonly evaluated: number;
  readonly opened: number;
  readonly kept: number;
  readonly resolved: number;
  readonly drift: number;
  readonly alerts: number;
}

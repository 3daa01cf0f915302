import { frameworkControlIds, type ControlCatalogue } from './catalogue/catalogue';
import type { ControlResult } from './evaluation';

/** How many results have each status; `suppressed` split by what it would have been. */
export interface StatusCounts {
  readonly pass: number;
  readonly fail: number;
  readonly warning: number;
  readonly suppressed: number;
  readonly suppressedFail: number;
  readonly suppressedWarning: number;
  readonly total: number;
}

/**
 * A score over a set of results.
 *
 * - `score` = pass / (pass + fail + warning). A warning counts against the score: what could not be verified is
 *   never compliant. Suppressed results are left out of it: the risk was accepted on the record, and they are
 *   shown beside it (`counts.suppressed`), never as passes.
 * - `strictScore` = pass / (pass + fail + warning + suppressed): the score as if no exception existed.
 *
 * Both are null when there is nothing to divide by.
 */
export interface Score {
  readonly counts: StatusCounts;
  readonly score: number | null;
  readonly strictScore: number | null;
}

/** One control's score across resources. */
export interface ControlScore extends Score {
  readonly controlId: string;
}

/** One framework's score, and each of its requirements'. */
export interface FrameworkScore extends Score {
  readonly frameworkId: string;
  readonly requirements: readonly (Score & { readonly requirementId: string })[];
}

/** What counting needs of a result: its status, and what a suppressed one would have been. */
export type StatusOf = Pick<ControlResult, 'status' | 'suppressedStatus'>;

/** Counts results by status. */
export function countByStatus(results: readonly StatusOf[]): StatusCounts {
  let pass = 0;
  let fail = 0;
  let warning = 0;
  let suppressedFail = 0;
  let suppressedWarning = 0;
  for (const result of results) {
    switch (result.status) {
      case 'pass':
        pass += 1;
        break;
      case 'fail':
        fail += 1;
        break;
      case 'warning':
        warning += 1;
        break;
      case 'suppressed':
        if (result.suppressedStatus === 'warning') suppressedWarning += 1;
        else suppressedFail += 1;
        break;
    }
  }
  const suppressed = suppressedFail + suppressedWarning;
  return { pass, fail, warning, suppressed, suppressedFail, suppressedWarning, total: results.length };
}

/** The score of a set of results (see {@link Score}). */
export function scoreOf(results: readonly StatusOf[]): Score {
  const counts = countByStatus(results);
  const judged = counts.pass + counts.fail + counts.warning;
  return {
    counts,
    score: judged === 0 ? null : counts.pass / judged,
    strictScore: judged + counts.suppressed === 0 ? null : counts.pass / (judged + counts.suppressed),
  };
}

/** One score per control that has results, in catalogue order. */
export function scoreByControl(
  results: readonly ControlResult[],
  catalogue: ControlCatalogue,
): ControlScore[] {
  return catalogue.controls.flatMap((control) => {
    const own = results.filter((result) => result.controlId === control.id);
    return own.length === 0 ? [] : [{ controlId: control.id, ...scoreOf(own) }];
  });
}

/**
 * One score per framework of the catalogue, over the results of the controls it maps (each result once, even
 * when a control answers two requirements), with the score of each requirement.
 */
export function scoreByFramework(
  results: readonly ControlResult[],
  catalogue: ControlCatalogue,
): FrameworkScore[] {
  return catalogue.frameworks.map((framework) => {
    const controlIds = new Set(frameworkControlIds(framework));
    return {
      frameworkId: framework.id,
      ...scoreOf(results.filter((result) => controlIds.has(result.controlId))),
      requirements: framework.requirements.map((requirement) => ({
        requirementId: requirement.id,
        ...scoreOf(results.filter((result) => requirement.controlIds.includes(result.controlId))),
      })),
    };
  });
}

import {
  DEFAULT_CATALOGUE,
  frameworkControlIds,
  scoreByControl,
  scoreByFramework,
  scoreOf,
  type Control,
} from '@app/compliance';
import { ControlResultRepository } from '@app/persistence';
import { Controller, Get, Param, Query } from '@nestjs/common';
import type { z } from 'zod';

import { ApiError } from '../errors/api-error';
import { ApiEndpoint } from '../http/openapi';
import { iso } from '../http/response-schemas';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  accountScores,
  CONTROL_DETAIL,
  CONTROL_ID_PARAMETERS,
  CONTROL_QUERY,
  CONTROLS_QUERY,
  CONTROLS_REPORT,
  presentControlResult,
  presentScore,
} from './controls.schemas';

/** Scans in the trend of `GET /v1/controls`. */
const TREND_SCANS = 10;

/**
 * Controls as compliance teams read them: per control and framework, counts and scores per account
 * from the latest scan finished at an instant, and the trend over the scans before it. Results are
 * what each scan recorded (with its catalogue version), so a past date answers as it was.
 */
@Controller('v1/controls')
export class ControlsController {
  constructor(private readonly results: ControlResultRepository) {}

  @Get()
  @ApiEndpoint({
    summary: 'Controls and frameworks: counts and scores per account, and the trend over scans',
    description:
      'Suppressed results (an active exception) are left out of `score` and counted apart; a warning ' +
      '(could not be verified) counts against it. `at` answers for any past instant.',
    access: 'reader',
    query: CONTROLS_QUERY,
    responses: { 200: { description: 'The report', schema: CONTROLS_REPORT } },
  })
  async report(
    @Query(new ZodValidationPipe(CONTROLS_QUERY)) query: z.output<typeof CONTROLS_QUERY>,
  ): Promise<z.input<typeof CONTROLS_REPORT>> {
    const at = query.at ?? new Date();
    const filter = query.account === undefined ? {} : { accounts: [query.account] };
    const [{ scan, results }, trend] = await Promise.all([
      this.results.resultsAt(at, filter),
      this.results.trend(at, TREND_SCANS, filter),
    ]);
    const all = results.map((stored) => stored.result);
    const controlScores = new Map(
      scoreByControl(all, DEFAULT_CATALOGUE).map((score) => [score.controlId, score]),
    );
    return {
      at: iso(at),
      scan: scan === null ? null : { id: scan.id, finishedAt: iso(scan.finishedAt) },
      catalogueVersion: DEFAULT_CATALOGUE.version,
      controls: DEFAULT_CATALOGUE.controls.map((control) => {
        const own = results.filter((stored) => stored.result.controlId === control.id);
        return {
          id: control.id,
          title: control.title,
          severity: control.severity,
          source: sourceOf(control),
          ...presentScore(controlScores.get(control.id) ?? scoreOf([])),
          accounts: accountScores(own),
        };
      }),
      frameworks: scoreByFramework(all, DEFAULT_CATALOGUE).map((score) => {
        const framework = DEFAULT_CATALOGUE.frameworks.find(
          (candidate) => candidate.id === score.frameworkId,
        );
        const controlIds = new Set(framework === undefined ? [] : frameworkControlIds(framework));
        return {
          id: score.frameworkId,
          title: framework?.title ?? score.frameworkId,
          ...presentScore(score),
          requirements: score.requirements.map((requirement) => {
            const declared = framework?.requirements.find(
              (candidate) => candidate.id === requirement.requirementId,
            );
            return {
              id: requirement.requirementId,
              title: declared?.title ?? requirement.requirementId,
              controlIds: [...(declared?.controlIds ?? [])],
              ...presentScore(requirement),
            };
          }),
          accounts: accountScores(results.filter((stored) => controlIds.has(stored.result.controlId))),
        };
      }),
      trend: trend.map((point) => ({
        scanId: point.scanId,
        finishedAt: iso(point.finishedAt),
        controls: DEFAULT_CATALOGUE.controls.flatMap((control) => {
          const own = point.results.filter((result) => result.controlId === control.id);
          return own.length === 0 ? [] : [{ id: control.id, ...presentScore(scoreOf(own)) }];
        }),
      })),
    };
  }

  @Get(':id')
  @ApiEndpoint({
    summary: 'One control: its definition, sources, frameworks, and every resource’s result',
    access: 'reader',
    params: CONTROL_ID_PARAMETERS,
    query: CONTROL_QUERY,
    responses: { 200: { description: 'The control and its results', schema: CONTROL_DETAIL } },
    errors: [404],
  })
  async detail(
    @Param(new ZodValidationPipe(CONTROL_ID_PARAMETERS)) params: z.output<typeof CONTROL_ID_PARAMETERS>,
    @Query(new ZodValidationPipe(CONTROL_QUERY)) query: z.output<typeof CONTROL_QUERY>,
  ): Promise<z.input<typeof CONTROL_DETAIL>> {
    const control = DEFAULT_CATALOGUE.controls.find((candidate) => candidate.id === params.id);
    if (control === undefined) throw ApiError.notFound(`Control ${params.id} is not in the catalogue`);
    const at = query.at ?? new Date();
    const { scan, results } = await this.results.resultsAt(at, {
      controlId: control.id,
      ...(query.account === undefined ? {} : { accounts: [query.account] }),
    });
    const shown =
      query.status === undefined ? results : results.filter((s) => s.result.status === query.status);
    return {
      id: control.id,
      title: control.title,
      description: control.description,
      severity: control.severity,
      resourceKinds: [...control.resourceKinds],
      source: { ...control.source, citations: [...control.source.citations] },
      frameworks: DEFAULT_CATALOGUE.frameworks.flatMap((framework) =>
        framework.requirements
          .filter((requirement) => requirement.controlIds.includes(control.id))
          .map((requirement) => ({ frameworkId: framework.id, requirementId: requirement.id })),
      ),
      at: iso(at),
      scan: scan === null ? null : { id: scan.id, finishedAt: iso(scan.finishedAt) },
      score: presentScore(scoreOf(results.map((stored) => stored.result))),
      results: shown.map(presentControlResult),
    };
  }
}

function sourceOf(control: Control): string {
  return `${control.source.authority}, ${control.source.document} ${control.source.reference}`;
}

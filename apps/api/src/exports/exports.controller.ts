import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { type AuditConfig, InjectAuditConfig } from '@app/config';
import { EvidenceError, EXPORT_MEDIA, findingsExport, periodEvidencePack } from '@app/evidence';
import {
  ControlResultRepository,
  DriftQueryRepository,
  EvidenceQueryRepository,
  ExceptionRepository,
  FindingQueryRepository,
} from '@app/persistence';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { z } from 'zod';

import { ApiError } from '../errors/api-error';
import { findingFilterOf } from '../findings/findings.schemas';
import type { HttpResponse } from '../http/http-types';
import { ApiEndpoint } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { EVIDENCE_QUERY, evidenceFileName, FINDINGS_EXPORT_QUERY } from './exports.schemas';

/**
 * Exports and evidence packs, streamed as they are read from the database. A failure after the
 * first byte aborts the connection: a client never receives a cut-short file as if it were whole.
 */
@Controller('v1')
export class ExportsController {
  constructor(
    private readonly findings: FindingQueryRepository,
    private readonly drift: DriftQueryRepository,
    private readonly evidence: EvidenceQueryRepository,
    private readonly controlResults: ControlResultRepository,
    private readonly exceptions: ExceptionRepository,
    @InjectAuditConfig() private readonly config: AuditConfig,
  ) {}

  @Get('exports/findings')
  @ApiEndpoint({
    summary: 'Export findings',
    description:
      'Every finding matching the filters of GET /v1/findings (with `at`), streamed: OCSF 1.8.0 Compliance Finding JSON Lines (unverifiable: compliance status Warning) or CSV (formula-safe cells).',
    access: 'reader',
    query: FINDINGS_EXPORT_QUERY,
    responses: {
      200: {
        description: 'One OCSF event per line, or CSV with a header row',
        schema: z.string(),
        contentType: 'application/x-ndjson',
      },
    },
  })
  async exportFindings(
    @Query(new ZodValidationPipe(FINDINGS_EXPORT_QUERY)) query: z.output<typeof FINDINGS_EXPORT_QUERY>,
    @Res() response: HttpResponse,
  ): Promise<void> {
    const media = EXPORT_MEDIA[query.format];
    response.setHeader('Content-Type', media.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="seed-findings.${media.extension}"`);
    await pipeline(
      Readable.from(findingsExport(this.findings, findingFilterOf(query), query.format, this.config.policy)),
      response,
    );
  }

  @Get('evidence')
  @ApiEndpoint({
    summary: 'Evidence pack',
    description:
      'One ZIP for the scans started in [from, to): report.html (posture, coverage with failures, drift), findings (OCSF), scans, coverage, drift and every observation with its request id, and manifest.json with each file’s SHA-256, signed with Ed25519 (manifest.sig, public-key.pem). Check it with `npm run evidence -- verify`.',
    access: 'reader',
    query: EVIDENCE_QUERY,
    responses: {
      200: { description: 'The signed ZIP', schema: z.string(), contentType: 'application/zip' },
    },
    errors: [503],
  })
  async evidencePack(
    @Query(new ZodValidationPipe(EVIDENCE_QUERY)) query: z.output<typeof EVIDENCE_QUERY>,
    @Res() response: HttpResponse,
  ): Promise<void> {
    let pack: AsyncGenerator<Uint8Array>;
    try {
      pack = await periodEvidencePack(
        {
          evidence: this.evidence,
          findings: this.findings,
          drift: this.drift,
          controlResults: this.controlResults,
          exceptions: this.exceptions,
        },
        {
          period: {
            from: query.from,
            to: query.to,
            ...(query.accounts === undefined ? {} : { accountAliases: query.accounts }),
          },
          signingKey: this.config.evidence.signingKey,
          policy: this.config.policy,
          generatedAt: new Date(),
        },
      );
    } catch (error) {
      if (error instanceof EvidenceError && error.code === 'SIGNING_KEY_MISSING') {
        throw new ApiError('service_unavailable', error.message, undefined, { cause: error });
      }
      throw error;
    }
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="${evidenceFileName(query.from, query.to)}"`,
    );
    await pipeline(Readable.from(pack), response);
  }
}

import type {
  ControlResultRepository,
  DriftEventView,
  DriftQueryRepository,
  EvidencePeriod,
  EvidenceQueryRepository,
  ExceptionRepository,
  FindingQueryRepository,
  ObservationEvidence,
  ScanCoverage,
  ScanRecord,
  StoredControlResult,
  StoredException,
  StoredExceptionChange,
} from '@app/persistence';

import { type CompliancePolicy, DEFAULT_COMPLIANCE_POLICY } from '@app/compliance';

import { findingResult, type ComplianceResult } from '../compliance-result';
import { findingRemediation, remediationSummary } from '../finding-remediation';
import { toOcsfComplianceFinding, type OcsfProduct } from '../ocsf/ocsf-compliance-finding';
import { escapeHtml, jsonLine, type EvidenceSection } from '../pack/evidence-section';
import { htmlTable } from '../pack/report-html';
import { EXPORT_PAGE_SIZE, everyRow } from './paged';

/** Rows a report table lists before it points to the file for the rest. */
const REPORT_ROWS = 200;

export interface PeriodSources {
  readonly evidence: EvidenceQueryRepository;
  readonly findings: FindingQueryRepository;
  readonly drift: DriftQueryRepository;
  readonly controlResults: ControlResultRepository;
  readonly exceptions: ExceptionRepository;
}

/** One coverage row of one scan. */
export interface CoverageRow extends ScanCoverage {
  readonly scanId: number;
  readonly scanStatus: ScanRecord['status'];
}

/**
 * The sections of a pack for a period: posture and findings, control results, accountable
 * exceptions with their change record, scans, coverage, drift, every observation. Scans are read up front (a period has at most `MAX_EVIDENCE_SCANS`); findings,
 * drift and observations stream in keyset pages.
 */
export async function periodSections(
  sources: PeriodSources,
  period: EvidencePeriod,
  product: OcsfProduct,
  policy: CompliancePolicy = DEFAULT_COMPLIANCE_POLICY,
): Promise<EvidenceSection[]> {
  const scans = await sources.evidence.scansIn(period);
  const inAccounts = (alias: string) =>
    period.accountAliases === undefined || period.accountAliases.includes(alias);
  const coverage: CoverageRow[] = scans.flatMap((scan) =>
    scan.coverage
      .filter((scope) => inAccounts(scope.accountAlias))
      .map((scope) => ({ scanId: scan.id, scanStatus: scan.status, ...scope })),
  );
  return [
    findingsSection(sources.findings, period, product, policy, scans.at(-1) ?? null),
    controlResultsSection(sources.controlResults, period),
    exceptionsSection(sources.exceptions, period),
    scansSection(scans),
    coverageSection(coverage),
    driftSection(sources.drift, period),
    observationsSection(sources.evidence, period),
  ] as EvidenceSection[];
}

function findingsSection(
  findings: FindingQueryRepository,
  period: EvidencePeriod,
  product: OcsfProduct,
  policy: CompliancePolicy,
  lastScan: ScanRecord | null,
): EvidenceSection<ComplianceResult> {
  return {
    file: 'findings.ocsf.jsonl',
    title: 'Posture and findings',
    description:
      'Every finding open at some time in the period, as it stood at the end of the period, as OCSF 1.8.0 Compliance Findings',
    rows: () =>
      mapRows(
        everyRow((cursor) =>
          findings.list(
            {
              status: 'all',
              activeBetween: { from: period.from, to: period.to },
              ...(period.accountAliases === undefined ? {} : { accountAliases: period.accountAliases }),
            },
            { limit: EXPORT_PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) },
          ),
        ),
        (finding) =>
          findingResult(finding, remediationSummary(findingRemediation(finding, policy)), period.to),
      ),
    line: (result) => jsonLine(toOcsfComplianceFinding(result, product)),
    report: () => {
      const open = new Map<string, number>();
      const closed = new Map<string, number>();
      let total = 0;
      return {
        add: (result) => {
          total += 1;
          const key = `${result.severity}\u0000${result.check.id}\u0000${result.status}`;
          const counts = result.lifecycle.state === 'open' ? open : closed;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        },
        html: () => {
          const byClass = Object.entries(lastScan?.summary?.resourcesByClass ?? {});
          const rows = (counts: Map<string, number>) =>
            [...counts.entries()].sort().map(([key, count]) => [...key.split('\u0000'), count]);
          return [
            lastScan === null
              ? '<p>No scan started in this period: there is no posture to report.</p>'
              : `<p>Resources by encryption class at the last scan of the period (scan ${lastScan.id}, ${escapeHtml(
                  lastScan.status,
                )}). <code>unknown</code> means the encryption could not be read: never compliant.</p>\n${htmlTable(
                  ['encryption class', 'resources'],
                  byClass,
                )}`,
            `<p>${total} findings were open at some time in the period (findings.ocsf.jsonl). Open at the end of the period:</p>`,
            htmlTable(['severity', 'rule', 'verdict', 'findings'], rows(open)),
            '<p>Closed by the end of the period (fixed, resource deleted, or out of scope):</p>',
            htmlTable(['severity', 'rule', 'last verdict', 'findings'], rows(closed)),
          ].join('\n');
        },
      };
    },
  };
}

function controlResultsSection(
  controlResults: ControlResultRepository,
  period: EvidencePeriod,
): EvidenceSection<StoredControlResult> {
  return {
    file: 'control-results.jsonl',
    title: 'Control results',
    description:
      'Every control result (pass, fail, warning, suppressed) recorded by the scans that finished in the period, per resource, with the catalogue version, reason and evidence',
    rows: async function* () {
      yield* await controlResults.resultsBetween(period.from, period.to, {
        ...(period.accountAliases === undefined ? {} : { accounts: period.accountAliases }),
      });
    },
    line: jsonLine,
    report: () => {
      // The posture is the last scan's: earlier scans' results are in the file.
      let lastScan = -1;
      let counts = new Map<string, Record<string, number>>();
      return {
        add: ({ scanId, result }) => {
          if (scanId > lastScan) {
            lastScan = scanId;
            counts = new Map();
          }
          if (scanId < lastScan) return;
          const row = counts.get(result.controlId) ?? {};
          row[result.status] = (row[result.status] ?? 0) + 1;
          counts.set(result.controlId, row);
        },
        html: () =>
          lastScan === -1
            ? '<p>No scan finished in this period: no control was evaluated.</p>'
            : `<p>Results of the last scan finished in the period (scan ${lastScan}). A warning could not be evaluated (never a pass); a suppressed result is an accepted exception, never a pass.</p>\n` +
              htmlTable(
                ['control', 'pass', 'fail', 'warning', 'suppressed'],
                [...counts.entries()]
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([control, row]) => [
                    control,
                    row.pass ?? 0,
                    row.fail ?? 0,
                    row.warning ?? 0,
                    row.suppressed ?? 0,
                  ]),
              ),
      };
    },
  };
}

/** One exception of the period with its append-only change record. */
interface ExceptionEvidence {
  readonly exception: StoredException;
  readonly changes: readonly StoredExceptionChange[];
}

function exceptionsSection(
  exceptions: ExceptionRepository,
  period: EvidencePeriod,
): EvidenceSection<ExceptionEvidence> {
  return {
    file: 'exceptions.jsonl',
    title: 'Accountable exceptions',
    description:
      'Every exception that existed in the period (API and file), with owner, approver, expiry and its append-only change record (who, when, before, after)',
    rows: async function* () {
      const read = await exceptions.exceptionsWithChangesBetween(period.from, period.to);
      for (const exception of read.exceptions) {
        const id = exception.exception.id;
        yield { exception, changes: read.changes.filter((change) => change.exceptionId === id) };
      }
    },
    line: jsonLine,
    report: () => {
      const rows: (string | number)[][] = [];
      return {
        add: ({ exception: { exception, staleSince }, changes }) => {
          rows.push([
            exception.id,
            exception.source,
            exception.owner,
            exception.approver,
            exception.expiresAt.toISOString(),
            staleSince === null ? '' : `stale since ${staleSince.toISOString()}`,
            changes.length,
          ]);
        },
        html: () =>
          `<p>${rows.length} exceptions existed in the period. Each change to them is in exceptions.jsonl, in order.</p>\n` +
          htmlTable(['exception', 'source', 'owner', 'approver', 'expires', 'stale', 'changes'], rows),
      };
    },
  };
}

function scansSection(scans: readonly ScanRecord[]): EvidenceSection<ScanRecord> {
  return {
    file: 'scans.jsonl',
    title: 'Scans',
    description:
      'Every scan started in the period: trigger, status, times, coverage, summary and failure reason',
    rows: () => fromArray(scans),
    line: jsonLine,
    report: () => {
      const rows: (string | number)[][] = [];
      return {
        add: (scan) => {
          rows.push([
            scan.id,
            scan.trigger,
            scan.status,
            scan.startedAt.toISOString(),
            scan.finishedAt?.toISOString() ?? 'not finished',
            scan.summary === null
              ? ''
              : `opened ${scan.summary.findingsOpened}, resolved ${scan.summary.findingsResolved}, drift ${scan.summary.driftEvents}`,
            scan.failureReason ?? '',
          ]);
        },
        html: () =>
          `<p>${rows.length} scans. A <code>partial</code> scan could not read everything; what it could not read is unknown, not compliant.</p>\n` +
          htmlTable(
            ['scan', 'trigger', 'status', 'started', 'finished', 'findings and drift', 'failure'],
            rows,
          ),
      };
    },
  };
}

function coverageSection(coverage: readonly CoverageRow[]): EvidenceSection<CoverageRow> {
  return {
    file: 'coverage.jsonl',
    title: 'Coverage per scan',
    description:
      'Per scan and (account, region, kind): resources listed and observed, errors by code with their request ids, listing proof',
    rows: () => fromArray(coverage),
    line: jsonLine,
    report: () => {
      const scopes: (string | number)[][] = [];
      const failures: (string | number)[][] = [];
      let moreScopes = 0;
      let moreFailures = 0;
      return {
        add: (row) => {
          if (scopes.length < REPORT_ROWS * 5) {
            scopes.push([
              row.scanId,
              row.accountAlias,
              row.region,
              row.kind,
              row.listed,
              row.observed,
              row.enumerationComplete ? 'yes' : 'NO',
              Object.entries(row.errorsByCode)
                .map(([code, count]) => `${code} x${count}`)
                .join(', '),
            ]);
          } else moreScopes += 1;
          for (const error of row.errors ?? []) {
            if (failures.length < REPORT_ROWS) {
              failures.push([
                row.scanId,
                `${row.accountAlias} ${row.region} ${row.kind}`,
                error.operation,
                error.resource ?? '(listing)',
                error.code,
                error.message,
                error.requestId ?? '',
              ]);
            } else moreFailures += 1;
          }
        },
        html: () =>
          [
            htmlTable(
              ['scan', 'account', 'region', 'kind', 'listed', 'observed', 'listing complete', 'errors'],
              scopes,
            ),
            moreScopes > 0 ? `<p class="note">${moreScopes} more scopes in coverage.jsonl.</p>` : '',
            '<p>Failures and their reasons (the first ones met in each scope):</p>',
            htmlTable(['scan', 'scope', 'operation', 'resource', 'code', 'message', 'request id'], failures),
            moreFailures > 0 ? `<p class="note">${moreFailures} more failures in coverage.jsonl.</p>` : '',
          ].join('\n'),
      };
    },
  };
}

function driftSection(drift: DriftQueryRepository, period: EvidencePeriod): EvidenceSection<DriftEventView> {
  return {
    file: 'drift.jsonl',
    title: 'Drift',
    description:
      'Every change of encryption, appearance and disappearance detected in the period, newest first',
    rows: () =>
      everyRow((cursor) =>
        drift.list(
          {
            since: period.from,
            until: period.to,
            ...(period.accountAliases === undefined ? {} : { accountAliases: period.accountAliases }),
          },
          { limit: EXPORT_PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) },
        ),
      ),
    line: jsonLine,
    report: () => {
      const counts = new Map<string, number>();
      const listed: (string | number)[][] = [];
      let more = 0;
      return {
        add: (event) => {
          const key = `${event.kind}\u0000${event.direction ?? ''}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          if (listed.length < REPORT_ROWS) {
            listed.push([
              event.detectedAt.toISOString(),
              event.scanId,
              event.resource.accountAlias,
              event.resource.region,
              event.resource.kind,
              event.resource.name,
              event.kind,
              event.direction ?? '',
              event.before?.encryptionClass ?? '',
              event.after?.encryptionClass ?? '',
            ]);
          } else more += 1;
        },
        html: () =>
          [
            htmlTable(
              ['kind', 'direction', 'events'],
              [...counts.entries()].sort().map(([key, count]) => [...key.split('\u0000'), count]),
            ),
            htmlTable(
              [
                'detected',
                'scan',
                'account',
                'region',
                'kind',
                'resource',
                'change',
                'direction',
                'before',
                'after',
              ],
              listed,
            ),
            more > 0 ? `<p class="note">${more} more events in drift.jsonl.</p>` : '',
          ].join('\n'),
      };
    },
  };
}

function observationsSection(
  evidence: EvidenceQueryRepository,
  period: EvidencePeriod,
): EvidenceSection<ObservationEvidence> {
  return {
    file: 'observations.jsonl',
    title: 'Observations',
    description:
      'Every observation each scan of the period made of each resource: what the service answered, when, and the request id that proves it',
    rows: () =>
      everyRow((cursor) =>
        evidence.observationsIn(period, {
          limit: EXPORT_PAGE_SIZE,
          ...(cursor === undefined ? {} : { cursor }),
        }),
      ),
    line: jsonLine,
    report: () => {
      const byClass = new Map<string, number>();
      const errors = new Map<string, number>();
      let total = 0;
      let withoutRequestId = 0;
      return {
        add: (observation) => {
          total += 1;
          byClass.set(observation.encryptionClass, (byClass.get(observation.encryptionClass) ?? 0) + 1);
          if (observation.errorCode !== null) {
            errors.set(observation.errorCode, (errors.get(observation.errorCode) ?? 0) + 1);
          }
          if (observation.requestId === null) withoutRequestId += 1;
        },
        html: () =>
          [
            `<p>${total} observations (observations.jsonl), ${total - withoutRequestId} of them with the request id of the answer.</p>`,
            htmlTable(['encryption class', 'observations'], [...byClass.entries()].sort()),
            htmlTable(['error code', 'observations'], [...errors.entries()].sort()),
          ].join('\n'),
      };
    },
  };
}

async function* mapRows<T, U>(rows: AsyncIterable<T>, map: (row: T) => U): AsyncGenerator<U> {
  for await (const row of rows) yield map(row);
}

function fromArray<T>(rows: readonly T[]): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      let index = 0;
      return {
        next: () =>
          Promise.resolve(
            index < rows.length
              ? { done: false as const, value: rows[index++] as T }
              : { done: true as const, value: undefined },
          ),
      };
    },
  };
}

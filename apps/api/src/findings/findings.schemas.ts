import { controlFindingScope, DEFAULT_CATALOGUE, type Remediation } from '@app/compliance';
import { FINDING_SORTS, type FindingFilter, type FindingSort, type FindingView } from '@app/persistence';
import { z } from 'zod';

import {
  booleanParameter,
  ENCRYPTION_CLASS_VALUES,
  enumListParameter,
  enumParameter,
  FINDING_RULE_VALUES,
  instantParameter,
  PAGE_PARAMETERS,
  RESOURCE_KIND_VALUES,
  SEVERITY_VALUES,
  textListParameter,
  textParameter,
} from '../http/parameters';
import {
  iso,
  isoOrNull,
  pageOf,
  presentResourceRef,
  RESOURCE_REF,
  TIMESTAMP,
} from '../http/response-schemas';

/** Control ids of the catalogue, for the `control` filter. */
const CONTROL_IDS = DEFAULT_CATALOGUE.controls.map((control) => control.id) as [string, ...string[]];

/**
 * The filters of the findings query, shared by `GET /v1/findings` and its exports. A list filter
 * matches any of its values; different filters all apply.
 */
export const FINDING_FILTER_PARAMETERS = {
  status: enumListParameter(
    ['open', 'resolved', 'all'],
    'Lifecycle status (default open); with `at`, as it was then',
  ).optional(),
  rule: enumListParameter(FINDING_RULE_VALUES, 'Finding rule').optional(),
  severity: enumListParameter(SEVERITY_VALUES, 'Severity').optional(),
  minSeverity: enumParameter(
    SEVERITY_VALUES,
    'This severity and the more severe ones (high: high and critical)',
  ).optional(),
  kind: enumListParameter(RESOURCE_KIND_VALUES, 'Resource kind').optional(),
  account: textListParameter('Account alias or uid').optional(),
  region: textListParameter('Region id, e.g. cn-hangzhou').optional(),
  control: z
    .string({ error: 'must be a single control id' })
    .refine((id) => CONTROL_IDS.includes(id), {
      error: 'is not a control of the catalogue (GET /v1/controls lists them)',
    })
    .optional()
    .meta({
      type: 'string',
      description:
        'The findings of the rules this control evaluates, on the kinds it applies to (a control id of GET /v1/controls)',
    }),
  namePrefix: textParameter('Resource names starting with this text (no wildcards)').optional(),
  openedSince: instantParameter('Opened at or after this instant').optional(),
  resolvedSince: instantParameter('Resolved at or after this instant (resolved findings only)').optional(),
  stale: booleanParameter(
    'true: open findings the latest finished scan could not re-check (not observed in it); false: the others',
  ).optional(),
  suppressed: booleanParameter(
    'true: open findings an active exception suppresses (accepted risks); false: the others',
  ).optional(),
  at: instantParameter(
    'As of this instant: findings opened by then, with the status they had then (a finding resolved later was open)',
  ).optional(),
};

/** Query of `GET /v1/findings`. */
export const FINDINGS_QUERY = z.strictObject({
  ...FINDING_FILTER_PARAMETERS,
  sort: enumParameter(
    FINDING_SORTS as readonly [FindingSort, ...FindingSort[]],
    'severity (default): most severe first, then newest opened; opened: newest opened first; name: by resource name. A cursor belongs to its sort.',
  )
    .optional()
    .default('severity'),
  ...PAGE_PARAMETERS,
});

type FindingFilterQuery = z.output<z.ZodObject<typeof FINDING_FILTER_PARAMETERS>>;

/** Several statuses as the one the repository takes: open and resolved together are all. */
function statusOf(statuses: readonly ('open' | 'resolved' | 'all')[] | undefined): FindingFilter['status'] {
  if (statuses === undefined) return 'open';
  if (statuses.includes('all') || (statuses.includes('open') && statuses.includes('resolved'))) return 'all';
  return statuses[0] ?? 'open';
}

/** The repository filter of a findings query. */
export function findingFilterOf(query: FindingFilterQuery): FindingFilter {
  const control =
    query.control === undefined
      ? undefined
      : DEFAULT_CATALOGUE.controls.find((candidate) => candidate.id === query.control);
  return {
    status: statusOf(query.status),
    rules: query.rule,
    severities: query.severity,
    minSeverity: query.minSeverity,
    resourceKinds: query.kind,
    accounts: query.account,
    regions: query.region,
    control: control === undefined ? undefined : controlFindingScope(control),
    namePrefix: query.namePrefix,
    openedSince: query.openedSince,
    resolvedSince: query.resolvedSince,
    stale: query.stale,
    suppressed: query.suppressed,
    at: query.at,
  };
}

export const FINDING = z
  .object({
    id: z.string().meta({ description: 'Id of this life of the finding (uuid)' }),
    findingKey: z.string().meta({ description: 'Stable key of the finding lineage: resource + rule' }),
    status: z.enum(['open', 'resolved']),
    rule: z.enum(FINDING_RULE_VALUES),
    severity: z.enum(SEVERITY_VALUES),
    title: z.string(),
    message: z.string(),
    resource: RESOURCE_REF,
    encryption: z.object({
      class: z.enum(ENCRYPTION_CLASS_VALUES),
      algorithm: z.string().nullable(),
      kmsKeyId: z.string().nullable(),
    }),
    firstSeenAt: TIMESTAMP,
    lastSeenAt: TIMESTAMP,
    openedScanId: z.number().int(),
    lastSeenScanId: z.number().int(),
    resolvedAt: TIMESTAMP.nullable(),
    resolvedScanId: z.number().int().nullable(),
    resolution: z
      .enum(['fixed', 'resource_deleted', 'out_of_scope'])
      .nullable()
      .meta({
        description:
          'fixed: the rule no longer holds; resource_deleted: the resource is gone; out_of_scope: the ' +
          'configuration no longer covers the resource (nothing was fixed)',
      }),
    stale: z.boolean().meta({
      description:
        'True for an open finding the latest finished scan did not re-check (the resource was not ' +
        'observed in it): open as of lastSeenAt',
    }),
    suppressed: z.boolean().meta({
      description:
        'True while an active exception covers this open finding: still shown, left out of open counts and alerts',
    }),
    exceptionId: z.string().nullable().meta({
      description: 'The exception that suppresses it (GET /v1/exceptions/{id}); null when none does',
    }),
    evidence: z.object({ scanId: z.number().int(), changeId: z.number().int() }).meta({
      description: 'The scan that last saw the finding and the observation (change-log row) it saw',
    }),
  })
  .meta({ id: 'Finding' });

export const FINDINGS_PAGE = pageOf(FINDING, 'Findings in the requested order');

export type FindingBody = z.input<typeof FINDING>;

export function presentFinding(finding: FindingView): FindingBody {
  return {
    id: finding.id,
    findingKey: finding.findingKey,
    status: finding.status,
    rule: finding.rule,
    severity: finding.severity,
    title: finding.title,
    message: finding.message,
    resource: presentResourceRef(finding.resource),
    encryption: {
      class: finding.encryptionClass,
      algorithm: finding.algorithm,
      kmsKeyId: finding.kmsKeyId,
    },
    firstSeenAt: iso(finding.openedAt),
    lastSeenAt: iso(finding.lastSeenAt),
    openedScanId: finding.openedScanId,
    lastSeenScanId: finding.lastSeenScanId,
    resolvedAt: isoOrNull(finding.resolvedAt),
    resolvedScanId: finding.resolvedScanId,
    resolution: finding.resolution,
    stale: finding.stale,
    suppressed: finding.status === 'open' && finding.exceptionId !== null,
    exceptionId: finding.exceptionId,
    evidence: { scanId: finding.lastSeenScanId, changeId: finding.evidenceChangeId },
  };
}

/** `{id}` of a finding: the uuid of one life of it. */
export const FINDING_ID_PARAMETERS = z.strictObject({
  id: z
    .string({ error: 'must be a finding id' })
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
      error: 'must be a finding id (a uuid)',
    })
    .meta({ description: 'Finding id (uuid)' }),
});

const REMEDIATION = z
  .object({
    intent: z
      .string()
      .meta({ description: 'What the remedy does, e.g. set_bucket_encryption, recreate_table' }),
    summary: z.string(),
    steps: z.array(
      z.object({
        tool: z.enum(['http_api', 'ossutil_1', 'ossutil_2', 'aliyun_cli', 'terraform', 'manual']),
        title: z.string(),
        text: z.string().meta({ description: 'The request, command or snippet to review and run' }),
        source: z.string().meta({ description: 'Where its syntax was read' }),
      }),
    ),
    notes: z.array(z.string()).meta({ description: 'What cannot change in place, and other caveats' }),
  })
  .meta({ id: 'Remediation' });

/** `GET /v1/findings/{id}`: the finding and how to fix it. */
export const FINDING_DETAIL = FINDING.extend({
  remediation: z.array(REMEDIATION).meta({
    description:
      'How to fix it: the PutBucketEncryption body, ossutil and aliyun CLI commands, Terraform; for tables what can and cannot change in place. Seed never applies them.',
  }),
}).meta({ id: 'FindingDetail' });

export function presentRemediation(remediations: readonly Remediation[]): z.input<typeof REMEDIATION>[] {
  return remediations.map((remediation) => ({
    intent: remediation.intent.kind,
    summary: remediation.summary,
    steps: remediation.steps.map((step) => ({
      tool: step.tool,
      title: step.title,
      text: step.text,
      source: step.source,
    })),
    notes: [...remediation.notes],
  }));
}

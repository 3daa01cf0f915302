import type {
  ObservationChangeRecord,
  PresenceChange,
  ResourceRecord,
  ResourceStateAt,
} from '@app/persistence';
import { z } from 'zod';

import { FINDING, type FindingBody } from '../findings/findings.schemas';
import {
  booleanParameter,
  ENCRYPTION_CLASS_VALUES,
  enumListParameter,
  enumParameter,
  instantParameter,
  PAGE_PARAMETERS,
  RESOURCE_KIND_VALUES,
  textListParameter,
  textParameter,
} from '../http/parameters';
import { iso, pageOf, TIMESTAMP } from '../http/response-schemas';

/** Query of `GET /v1/resources`. */
export const RESOURCES_QUERY = z.strictObject({
  state: enumParameter(
    ['present', 'deleted', 'out_of_scope', 'all'],
    'present (default): in the audit; deleted: gone; out_of_scope: no longer covered by the configuration',
  )
    .optional()
    .default('present'),
  kind: enumListParameter(RESOURCE_KIND_VALUES, 'Resource kind').optional(),
  account: textListParameter('Account alias or uid').optional(),
  region: textListParameter('Region id, e.g. cn-hangzhou').optional(),
  class: enumListParameter(ENCRYPTION_CLASS_VALUES, 'Current encryption class').optional(),
  namePrefix: textParameter('Resource names starting with this text (no wildcards)').optional(),
  parent: textParameter(
    "The children of this resource, by its resourceKey (a table bucket's ARN lists its tables)",
  ).optional(),
  stale: booleanParameter(
    'true: present resources the latest finished scan did not observe; false: the others',
  ).optional(),
  at: instantParameter(
    'The fleet as it stood at this instant: presence, state and class as of then (from the change log and drift record)',
  ).optional(),
  ...PAGE_PARAMETERS,
});

/** Query of `GET /v1/resources/lookup`: an ARN (or resource key), or a name with an optional kind. */
export const LOOKUP_QUERY = z
  .strictObject({
    arn: textParameter(
      'The ARN: a table bucket, table or KMS key ARN, or a bucket as acs:oss:{region}:{uid}:{bucket}; a resourceKey (oss:{bucket}) also works',
    ).optional(),
    name: textParameter(
      'The name (a table is {namespace}/{table}); may match in several accounts',
    ).optional(),
    kind: enumParameter(RESOURCE_KIND_VALUES, 'Only this kind (with name)').optional(),
  })
  .refine((query) => (query.arn === undefined) !== (query.name === undefined), {
    path: ['arn'],
    error: 'or name is required, and not both',
  })
  .refine((query) => query.kind === undefined || query.name !== undefined, {
    path: ['kind'],
    error: 'narrows a lookup by name: give name too',
  });

/** Query of `GET /v1/resources/{id}/history`. */
export const HISTORY_QUERY = z.strictObject({
  at: instantParameter('Answer what was true at this instant instead of listing the history').optional(),
  ...PAGE_PARAMETERS,
});

const SCAN_AT = z.object({ scanId: z.number().int(), at: TIMESTAMP });

const KEY_FACTS = z
  .object({
    keyId: z.string(),
    arn: z.string().nullable(),
    keyState: z.string().meta({ description: 'Enabled, Disabled, PendingDeletion or PendingImport' }),
    creator: z.string().nullable().meta({ description: 'The owner account uid, or a service (Oss)' }),
    origin: z.string().nullable(),
    protectionLevel: z.string().nullable(),
    automaticRotation: z.string().nullable(),
    rotationInterval: z.string().nullable(),
    deletionProtection: z.string().nullable(),
    deleteDate: z.string().nullable().meta({ description: 'When a key pending deletion goes' }),
    keySpec: z.string().nullable(),
    keyUsage: z.string().nullable(),
  })
  .meta({ id: 'KeyFacts' });

export const RESOURCE = z
  .object({
    id: z.number().int(),
    kind: z.enum(RESOURCE_KIND_VALUES),
    resourceKey: z.string().meta({
      description:
        '`oss:{bucket}`, the table bucket ARN, `{table bucket ARN}/table/{namespace}/{table}`, or the KMS key ARN',
    }),
    accountAlias: z.string(),
    accountId: z.string().nullable().meta({ description: 'The account uid, when known' }),
    region: z.string(),
    name: z.string().meta({ description: 'A table is `{namespace}/{table}`' }),
    parentKey: z
      .string()
      .nullable()
      .meta({ description: 'For a table: the resource key of its table bucket' }),
    keyResourceKey: z
      .string()
      .nullable()
      .meta({ description: 'The resource key of the KMS key its encryption names, if any' }),
    state: z.enum(['present', 'deleted', 'out_of_scope']),
    stale: z.boolean().meta({
      description:
        'True for a present resource the latest finished scan did not observe (its scope could not be ' +
        'proved): not observed in the latest scan; what it shows is as of lastSeen.at, not now',
    }),
    firstSeen: SCAN_AT,
    lastSeen: SCAN_AT,
    deleted: SCAN_AT.nullable().meta({ description: 'The scan that found it gone; null while present' }),
    outOfScope: SCAN_AT.nullable().meta({
      description: 'The scan that found the configuration no longer covers it; null while in scope',
    }),
    key: KEY_FACTS.nullable().meta({ description: 'For a KMS key: what DescribeKey said of it last' }),
    current: z
      .object({
        class: z.enum(ENCRYPTION_CLASS_VALUES),
        algorithm: z.string().nullable(),
        kmsKeyId: z.string().nullable(),
        kmsDataEncryption: z.string().nullable(),
        errorCode: z.string().nullable().meta({ description: 'Why the class is unknown, when it is' }),
        since: TIMESTAMP,
        changeId: z
          .number()
          .int()
          .meta({ description: 'The observation (change-log row) behind this state' }),
      })
      .nullable(),
  })
  .meta({ id: 'Resource' });

export const RESOURCES_PAGE = pageOf(RESOURCE, 'Resources in id order');

/** `GET /v1/resources/lookup`: every resource the ARN or name names, present ones first. */
export const LOOKUP_RESULT = z
  .object({ items: z.array(RESOURCE) })
  .meta({ id: 'ResourceLookup', description: 'The resources the ARN or name matches, present ones first' });

export const RESOURCE_DETAIL = RESOURCE.extend({ openFindings: z.array(FINDING) }).meta({
  id: 'ResourceDetail',
});

export const OBSERVATION_CHANGE = z
  .object({
    changeId: z.number().int(),
    scanId: z.number().int().meta({ description: 'The first scan that made this observation' }),
    observedAt: TIMESTAMP.meta({ description: 'Valid from this instant until the next change' }),
    encryption: z.object({
      class: z.enum(ENCRYPTION_CLASS_VALUES),
      algorithm: z.string().nullable(),
      kmsKeyId: z.string().nullable(),
      kmsDataEncryption: z.string().nullable(),
    }),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    requestId: z.string().nullable().meta({ description: 'Request id of the OSS answer that proves it' }),
  })
  .meta({ id: 'ObservationChange' });

export const HISTORY_PAGE = pageOf(OBSERVATION_CHANGE, 'Distinct observations of the resource, newest first');

/** `GET /v1/resources/{id}/history`: the change log, or with `at` the state at that instant. */
export const STATE_AT = z
  .object({
    resourceId: z.number().int(),
    at: TIMESTAMP,
    observation: OBSERVATION_CHANGE.nullable().meta({
      description: 'The observation valid at `at`; null before the first one',
    }),
    lastObservedBy: z
      .object({ scanId: z.number().int(), scanStartedAt: TIMESTAMP, changeId: z.number().int() })
      .nullable()
      .meta({ description: 'The last scan started at or before `at` that observed the resource' }),
    deleted: z
      .object({ scanId: z.number().int(), at: TIMESTAMP })
      .nullable()
      .meta({ description: 'Set when the resource had disappeared by `at`' }),
  })
  .meta({ id: 'ResourceStateAt' });

export function presentResource(resource: ResourceRecord): z.input<typeof RESOURCE> {
  const { current } = resource;
  return {
    id: resource.id,
    kind: resource.ref.kind,
    resourceKey: resource.ref.resourceKey,
    accountAlias: resource.ref.accountAlias,
    accountId: resource.accountId,
    region: resource.ref.region,
    name: resource.ref.name,
    parentKey: resource.ref.parentKey ?? null,
    keyResourceKey: resource.keyResourceKey,
    state:
      resource.deletedAt !== null ? 'deleted' : resource.scopeLeftAt !== null ? 'out_of_scope' : 'present',
    stale: resource.stale,
    firstSeen: { scanId: resource.firstSeenScanId, at: iso(resource.firstSeenAt) },
    lastSeen: { scanId: resource.lastSeenScanId, at: iso(resource.lastSeenAt) },
    deleted:
      resource.deletedAt === null || resource.deletedScanId === null
        ? null
        : { scanId: resource.deletedScanId, at: iso(resource.deletedAt) },
    outOfScope:
      resource.scopeLeftAt === null || resource.scopeLeftScanId === null
        ? null
        : { scanId: resource.scopeLeftScanId, at: iso(resource.scopeLeftAt) },
    key: resource.keyFacts,
    current:
      current === null
        ? null
        : {
            class: current.encryptionClass,
            algorithm: current.algorithm,
            kmsKeyId: current.kmsKeyId,
            kmsDataEncryption: current.kmsDataEncryption,
            errorCode: current.errorCode,
            since: iso(current.since),
            changeId: current.changeId,
          },
  };
}

export function presentResourceDetail(
  resource: ResourceRecord,
  openFindings: FindingBody[],
): z.input<typeof RESOURCE_DETAIL> {
  return { ...presentResource(resource), openFindings };
}

export function presentChange(change: ObservationChangeRecord): z.input<typeof OBSERVATION_CHANGE> {
  const { observation } = change;
  return {
    changeId: change.id,
    scanId: change.scanId,
    observedAt: iso(change.observedAt),
    encryption: {
      class: observation.encryptionClass,
      algorithm: observation.algorithm,
      kmsKeyId: observation.kmsKeyId,
      kmsDataEncryption: observation.kmsDataEncryption,
    },
    errorCode: observation.errorCode,
    errorMessage: observation.errorMessage,
    requestId: observation.requestId,
  };
}

export function presentStateAt(
  resourceId: number,
  at: Date,
  state: ResourceStateAt,
  presence: PresenceChange | null,
): z.input<typeof STATE_AT> {
  return {
    resourceId,
    at: iso(at),
    observation: state.change === null ? null : presentChange(state.change),
    lastObservedBy:
      state.lastObservation === null
        ? null
        : {
            scanId: state.lastObservation.scanId,
            scanStartedAt: iso(state.lastObservation.scanStartedAt),
            changeId: state.lastObservation.changeId,
          },
    deleted:
      presence?.kind === 'disappeared' ? { scanId: presence.scanId, at: iso(presence.detectedAt) } : null,
  };
}

export const HISTORY_RESPONSE = z.union([HISTORY_PAGE, STATE_AT]);

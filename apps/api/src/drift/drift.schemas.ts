import type { DriftSnapshot } from '@app/audit';
import type { DriftEventView } from '@app/persistence';
import { z } from 'zod';

import {
  enumParameter,
  instantParameter,
  PAGE_PARAMETERS,
  RESOURCE_KIND_VALUES,
  textParameter,
} from '../http/parameters';
import {
  ENCRYPTION_SNAPSHOT,
  iso,
  pageOf,
  presentResourceRef,
  RESOURCE_REF,
  TIMESTAMP,
} from '../http/response-schemas';

const DRIFT_TYPES = ['encryption_changed', 'appeared', 'disappeared'] as const;
const DRIFT_DIRECTIONS = ['weakened', 'strengthened', 'changed'] as const;

/** Query of `GET /v1/drift`. */
export const DRIFT_QUERY = z.strictObject({
  type: enumParameter(
    DRIFT_TYPES,
    'What happened: encryption changed, resource appeared or disappeared',
  ).optional(),
  direction: enumParameter(DRIFT_DIRECTIONS, 'How encryption moved (encryption_changed events)').optional(),
  kind: enumParameter(RESOURCE_KIND_VALUES, 'Resource kind').optional(),
  account: textParameter('Account alias or uid').optional(),
  region: textParameter('Region id, e.g. cn-hangzhou').optional(),
  namePrefix: textParameter('Resource names starting with this text (no wildcards)').optional(),
  since: instantParameter('Detected at or after this instant').optional(),
  until: instantParameter('Detected before this instant').optional(),
  ...PAGE_PARAMETERS,
});

export const DRIFT_EVENT = z
  .object({
    id: z.number().int(),
    type: z.enum(DRIFT_TYPES),
    direction: z.enum(DRIFT_DIRECTIONS).nullable(),
    detectedAt: TIMESTAMP,
    scanId: z.number().int().meta({ description: 'The scan that detected the change' }),
    previousScanId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The scan that saw the resource before it' }),
    resource: RESOURCE_REF,
    before: ENCRYPTION_SNAPSHOT.nullable(),
    after: ENCRYPTION_SNAPSHOT.nullable(),
  })
  .meta({ id: 'DriftEvent' });

export const DRIFT_PAGE = pageOf(DRIFT_EVENT, 'Drift events, newest first');

type SnapshotBody = z.input<typeof ENCRYPTION_SNAPSHOT>;

function presentSnapshot(snapshot: DriftSnapshot | null): SnapshotBody | null {
  return snapshot === null
    ? null
    : {
        class: snapshot.encryptionClass,
        algorithm: snapshot.algorithm,
        kmsKeyId: snapshot.kmsKeyId,
        kmsDataEncryption: snapshot.kmsDataEncryption,
        changeId: snapshot.changeId,
      };
}

export function presentDriftEvent(event: DriftEventView): z.input<typeof DRIFT_EVENT> {
  return {
    id: event.id,
    type: event.kind,
    direction: event.direction,
    detectedAt: iso(event.detectedAt),
    scanId: event.scanId,
    previousScanId: event.previousScanId,
    resource: presentResourceRef(event.resource),
    before: presentSnapshot(event.before),
    after: presentSnapshot(event.after),
  };
}

import { AlertChannelEntity } from './alert-channel.entity';
import { AlertDeliveryItemEntity } from './alert-delivery-item.entity';
import { AlertDeliveryEntity } from './alert-delivery.entity';
import { AlertOutboxEntity } from './alert-outbox.entity';
import { ApiKeyEntity } from './api-key.entity';
import { DriftEventEntity } from './drift-event.entity';
import { FindingEntity } from './finding.entity';
import { ObservationChangeEntity } from './observation-change.entity';
import { ResourceEntity } from './resource.entity';
import { ScanObservationEntity } from './scan-observation.entity';
import { ScanTaskEntity } from './scan-task.entity';
import { ScanEntity } from './scan.entity';

export {
  AlertChannelEntity,
  AlertDeliveryEntity,
  AlertDeliveryItemEntity,
  AlertOutboxEntity,
  ApiKeyEntity,
  DriftEventEntity,
  FindingEntity,
  ObservationChangeEntity,
  ResourceEntity,
  ScanEntity,
  ScanObservationEntity,
  ScanTaskEntity,
};

/** Every entity of the schema, listed explicitly (no globbing: tests and the CLI run TypeScript). */
export const ENTITIES = [
  ScanEntity,
  ScanTaskEntity,
  ResourceEntity,
  ObservationChangeEntity,
  ScanObservationEntity,
  FindingEntity,
  DriftEventEntity,
  AlertOutboxEntity,
  ApiKeyEntity,
  AlertChannelEntity,
  AlertDeliveryEntity,
  AlertDeliveryItemEntity,
] as const;

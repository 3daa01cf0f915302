import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';

import { ResourceEntity } from './resource.entity';
import { ScanEntity } from './scan.entity';

/** Schema mirror of `drift_events`: one row per (scan, resource, kind) of drift. */
@Entity({ name: 'drift_events' })
@Unique('drift_events_scan_resource_kind_key', ['scanId', 'resourceId', 'kind'])
@Check('drift_events_kind_check', `"kind" IN ('encryption_changed', 'appeared', 'disappeared')`)
@Check('drift_events_direction_check', `"direction" IN ('weakened', 'strengthened', 'changed')`)
@Check(
  'drift_events_shape_check',
  `("kind" = 'encryption_changed' AND "direction" IS NOT NULL AND "before" IS NOT NULL AND "after" IS NOT NULL) OR ("kind" = 'appeared' AND "before" IS NULL) OR ("kind" = 'disappeared' AND "after" IS NULL)`,
)
@Index('drift_events_detected_at_idx', ['detectedAt'])
@Index('drift_events_resource_detected_idx', ['resourceId', 'detectedAt'])
@Index('drift_events_detected_id_idx', ['detectedAt', 'id'])
export class DriftEventEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'drift_events_pkey',
  })
  id!: string;

  @Column({ name: 'resource_id', type: 'bigint' })
  resourceId!: string;

  @Column({ name: 'scan_id', type: 'integer' })
  scanId!: number;

  @Column({ name: 'previous_scan_id', type: 'integer', nullable: true })
  previousScanId!: number | null;

  @Column({ name: 'detected_at', type: 'timestamptz' })
  detectedAt!: Date;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'direction', type: 'text', nullable: true })
  direction!: string | null;

  @Column({ name: 'before', type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ name: 'after', type: 'jsonb', nullable: true })
  after!: unknown;

  @ManyToOne(() => ResourceEntity)
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'drift_events_resource_id_fkey' })
  resource?: ResourceEntity;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'scan_id', foreignKeyConstraintName: 'drift_events_scan_id_fkey' })
  scan?: ScanEntity;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'previous_scan_id', foreignKeyConstraintName: 'drift_events_previous_scan_id_fkey' })
  previousScan?: ScanEntity;
}

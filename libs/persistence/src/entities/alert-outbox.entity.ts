import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';

import { DriftEventEntity } from './drift-event.entity';
import { FindingEntity } from './finding.entity';
import { ResourceEntity } from './resource.entity';
import { ScanEntity } from './scan.entity';

/**
 * Schema mirror of `alert_outbox`: alerts written in the same transaction as the finding or drift
 * that causes them, deduplicated by key. Delivery state belongs to the alerting migrations.
 */
@Entity({ name: 'alert_outbox' })
@Unique('alert_outbox_dedupe_key_key', ['dedupeKey'])
@Check('alert_outbox_event_type_check', `"event_type" IN ('finding_opened', 'encryption_weakened')`)
@Check('alert_outbox_severity_check', `"severity" IN ('info', 'low', 'medium', 'high', 'critical')`)
export class AlertOutboxEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'alert_outbox_pkey',
  })
  id!: string;

  @Column({ name: 'dedupe_key', type: 'text' })
  dedupeKey!: string;

  @Column({ name: 'scan_id', type: 'integer' })
  scanId!: number;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'severity', type: 'text' })
  severity!: string;

  @Column({ name: 'resource_id', type: 'bigint' })
  resourceId!: string;

  @Column({ name: 'finding_id', type: 'uuid', nullable: true })
  findingId!: string | null;

  @Column({ name: 'drift_event_id', type: 'bigint', nullable: true })
  driftEventId!: string | null;

  @Column({ name: 'payload', type: 'jsonb' })
  payload!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'scan_id', foreignKeyConstraintName: 'alert_outbox_scan_id_fkey' })
  scan?: ScanEntity;

  @ManyToOne(() => ResourceEntity)
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'alert_outbox_resource_id_fkey' })
  resource?: ResourceEntity;

  @ManyToOne(() => FindingEntity)
  @JoinColumn({ name: 'finding_id', foreignKeyConstraintName: 'alert_outbox_finding_id_fkey' })
  finding?: FindingEntity;

  @ManyToOne(() => DriftEventEntity)
  @JoinColumn({ name: 'drift_event_id', foreignKeyConstraintName: 'alert_outbox_drift_event_id_fkey' })
  driftEvent?: DriftEventEntity;
}

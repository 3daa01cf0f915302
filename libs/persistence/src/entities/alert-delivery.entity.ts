import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';

import { AlertChannelEntity } from './alert-channel.entity';
import { ScanEntity } from './scan.entity';

/** Schema mirror of `alert_deliveries`: one digest message of one scan to one channel, with its retry state. */
@Entity({ name: 'alert_deliveries' })
@Unique('alert_deliveries_dedupe_key_key', ['dedupeKey'])
@Check('alert_deliveries_channel_type_check', `"channel_type" IN ('webhook', 'dingtalk', 'slack')`)
@Check(
  'alert_deliveries_max_severity_check',
  `"max_severity" IN ('info', 'low', 'medium', 'high', 'critical')`,
)
@Check('alert_deliveries_status_check', `"status" IN ('pending', 'delivered', 'failed')`)
@Check('alert_deliveries_alert_count_check', `"alert_count" > 0`)
@Check(
  'alert_deliveries_state_check',
  `("status" = 'pending') = ("next_attempt_at" IS NOT NULL) AND ("status" = 'delivered') = ("delivered_at" IS NOT NULL)`,
)
@Index('alert_deliveries_due_idx', ['channel', 'nextAttemptAt'], { where: `"status" = 'pending'` })
@Index('alert_deliveries_status_id_idx', ['status', 'id'])
@Index('alert_deliveries_channel_id_idx', ['channel', 'id'])
export class AlertDeliveryEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'alert_deliveries_pkey',
  })
  id!: string;

  @Column({ name: 'dedupe_key', type: 'uuid' })
  dedupeKey!: string;

  @Column({ name: 'channel', type: 'text' })
  channel!: string;

  @Column({ name: 'channel_type', type: 'text' })
  channelType!: string;

  @Column({ name: 'scan_id', type: 'integer' })
  scanId!: number;

  @Column({ name: 'alert_count', type: 'integer' })
  alertCount!: number;

  @Column({ name: 'max_severity', type: 'text' })
  maxSeverity!: string;

  @Column({ name: 'status', type: 'text' })
  status!: string;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @ManyToOne(() => AlertChannelEntity)
  @JoinColumn({ name: 'channel', foreignKeyConstraintName: 'alert_deliveries_channel_fkey' })
  channelRow?: AlertChannelEntity;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'scan_id', foreignKeyConstraintName: 'alert_deliveries_scan_id_fkey' })
  scan?: ScanEntity;
}

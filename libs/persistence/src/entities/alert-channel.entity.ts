import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Schema mirror of `alert_channels`: one row per alert channel name a dispatcher has seen, with the
 * first outbox row it is told about and its rate limit shared by every replica.
 */
@Entity({ name: 'alert_channels' })
export class AlertChannelEntity {
  @PrimaryColumn({ name: 'name', type: 'text', primaryKeyConstraintName: 'alert_channels_pkey' })
  name!: string;

  @Column({ name: 'first_outbox_id', type: 'bigint' })
  firstOutboxId!: string;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt!: Date;

  @Column({ name: 'next_send_at', type: 'timestamptz', nullable: true })
  nextSendAt!: Date | null;
}

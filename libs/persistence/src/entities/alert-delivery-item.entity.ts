import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { AlertChannelEntity } from './alert-channel.entity';
import { AlertDeliveryEntity } from './alert-delivery.entity';
import { AlertOutboxEntity } from './alert-outbox.entity';

/**
 * Schema mirror of `alert_delivery_items`: an outbox row a channel has handled, in one of its
 * deliveries or left out by its routing (`delivery_id` null).
 */
@Entity({ name: 'alert_delivery_items' })
@Index('alert_delivery_items_delivery_id_idx', ['deliveryId', 'outboxId'], {
  where: `"delivery_id" IS NOT NULL`,
})
export class AlertDeliveryItemEntity {
  @PrimaryColumn({ name: 'channel', type: 'text', primaryKeyConstraintName: 'alert_delivery_items_pkey' })
  channel!: string;

  @PrimaryColumn({ name: 'outbox_id', type: 'bigint', primaryKeyConstraintName: 'alert_delivery_items_pkey' })
  outboxId!: string;

  @Column({ name: 'delivery_id', type: 'bigint', nullable: true })
  deliveryId!: string | null;

  @ManyToOne(() => AlertChannelEntity)
  @JoinColumn({ name: 'channel', foreignKeyConstraintName: 'alert_delivery_items_channel_fkey' })
  channelRow?: AlertChannelEntity;

  @ManyToOne(() => AlertOutboxEntity)
  @JoinColumn({ name: 'outbox_id', foreignKeyConstraintName: 'alert_delivery_items_outbox_id_fkey' })
  outbox?: AlertOutboxEntity;

  @ManyToOne(() => AlertDeliveryEntity)
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'alert_delivery_items_delivery_id_fkey' })
  delivery?: AlertDeliveryEntity;
}

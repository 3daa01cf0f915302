import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

import { ResourceEntity } from './resource.entity';
import { ScanEntity } from './scan.entity';

/**
 * Schema mirror of `observation_changes`, the change log of distinct observations. The table is
 * partitioned by month on `observed_at` (which is why it is part of the primary key); partitions and
 * the default partition are managed by SQL functions of the migration, invisible to TypeORM.
 */
@Entity({ name: 'observation_changes' })
@Check(
  'observation_changes_encryption_class_check',
  `"encryption_class" IN ('kms_cmk', 'kms_default', 'oss_aes256', 'oss_sm4', 'none', 'unknown')`,
)
@Index('observation_changes_resource_observed_idx', ['resourceId', 'observedAt', 'id'])
export class ObservationChangeEntity {
  @PrimaryGeneratedColumn('increment', {
    name: 'id',
    type: 'bigint',
    primaryKeyConstraintName: 'observation_changes_pkey',
  })
  id!: string;

  @PrimaryColumn({
    name: 'observed_at',
    type: 'timestamptz',
    primaryKeyConstraintName: 'observation_changes_pkey',
  })
  observedAt!: Date;

  @Column({ name: 'resource_id', type: 'bigint' })
  resourceId!: string;

  @Column({ name: 'scan_id', type: 'integer' })
  scanId!: number;

  @Column({ name: 'encryption_class', type: 'text' })
  encryptionClass!: string;

  @Column({ name: 'algorithm', type: 'text', nullable: true })
  algorithm!: string | null;

  @Column({ name: 'kms_key_id', type: 'text', nullable: true })
  kmsKeyId!: string | null;

  @Column({ name: 'kms_data_encryption', type: 'text', nullable: true })
  kmsDataEncryption!: string | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'content_hash', type: 'bytea' })
  contentHash!: Buffer;

  @ManyToOne(() => ResourceEntity)
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'observation_changes_resource_id_fkey' })
  resource?: ResourceEntity;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'scan_id', foreignKeyConstraintName: 'observation_changes_scan_id_fkey' })
  scan?: ScanEntity;
}

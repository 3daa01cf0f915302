import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';

import { ScanEntity } from './scan.entity';

/**
 * Schema mirror of `resources`: one row per bucket or table bucket ever seen, carrying its current
 * state (the latest observation, `unknown` included) so read paths never touch the history.
 */
@Entity({ name: 'resources' })
@Unique('resources_resource_key_key', ['resourceKey'])
@Check('resources_kind_check', `"kind" IN ('bucket', 'table_bucket')`)
@Check(
  'resources_encryption_class_check',
  `"encryption_class" IN ('kms_cmk', 'kms_default', 'oss_aes256', 'oss_sm4', 'none', 'unknown')`,
)
@Check('resources_deleted_check', `("deleted_at" IS NULL) = ("deleted_scan_id" IS NULL)`)
@Check(
  'resources_state_check',
  `("latest_change_id" IS NULL) = ("encryption_class" IS NULL) AND ("latest_change_id" IS NULL) = ("content_hash" IS NULL) AND ("latest_change_id" IS NULL) = ("state_since" IS NULL)`,
)
@Index('resources_scope_idx', ['accountAlias', 'kind', 'region'])
@Index('resources_region_idx', ['region'])
@Index('resources_encryption_class_idx', ['encryptionClass', 'kind'])
@Index('resources_name_pattern_idx', ['name'])
@Index('resources_present_summary_idx', ['accountAlias', 'region', 'kind', 'encryptionClass'], {
  where: `"deleted_at" IS NULL`,
})
export class ResourceEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'resources_pkey',
  })
  id!: string;

  @Column({ name: 'resource_key', type: 'text' })
  resourceKey!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'account_alias', type: 'text' })
  accountAlias!: string;

  @Column({ name: 'region', type: 'text' })
  region!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'first_seen_scan_id', type: 'integer' })
  firstSeenScanId!: number;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_scan_id', type: 'integer' })
  lastSeenScanId!: number;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** The scan that saw the resource before `last_seen_scan_id`: "previous" for drift events. */
  @Column({ name: 'previous_seen_scan_id', type: 'integer', nullable: true })
  previousSeenScanId!: number | null;

  /** The last scan that saw the resource again after it had been marked deleted. */
  @Column({ name: 'reappeared_scan_id', type: 'integer', nullable: true })
  reappearedScanId!: number | null;

  @Column({ name: 'deleted_scan_id', type: 'integer', nullable: true })
  deletedScanId!: number | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ name: 'latest_change_id', type: 'bigint', nullable: true })
  latestChangeId!: string | null;

  @Column({ name: 'last_complete_change_id', type: 'bigint', nullable: true })
  lastCompleteChangeId!: string | null;

  @Column({ name: 'content_hash', type: 'bytea', nullable: true })
  contentHash!: Buffer | null;

  @Column({ name: 'encryption_class', type: 'text', nullable: true })
  encryptionClass!: string | null;

  @Column({ name: 'algorithm', type: 'text', nullable: true })
  algorithm!: string | null;

  @Column({ name: 'kms_key_id', type: 'text', nullable: true })
  kmsKeyId!: string | null;

  @Column({ name: 'kms_data_encryption', type: 'text', nullable: true })
  kmsDataEncryption!: string | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  /** Since when the current state holds: `observed_at` of the latest change. */
  @Column({ name: 'state_since', type: 'timestamptz', nullable: true })
  stateSince!: Date | null;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'first_seen_scan_id', foreignKeyConstraintName: 'resources_first_seen_scan_id_fkey' })
  firstSeenScan?: ScanEntity;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'last_seen_scan_id', foreignKeyConstraintName: 'resources_last_seen_scan_id_fkey' })
  lastSeenScan?: ScanEntity;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'deleted_scan_id', foreignKeyConstraintName: 'resources_deleted_scan_id_fkey' })
  deletedScan?: ScanEntity;
}

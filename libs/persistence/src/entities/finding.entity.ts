import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { ResourceEntity } from './resource.entity';
import { ScanEntity } from './scan.entity';

/** Schema mirror of `findings`: one row per open-to-resolved life of a finding key. */
@Entity({ name: 'findings' })
@Check(
  'findings_rule_check',
  `"rule" IN ('unencrypted', 'non_kms', 'kms_default_key', 'kms_key_not_approved', 'unverifiable')`,
)
@Check('findings_severity_check', `"severity" IN ('info', 'low', 'medium', 'high', 'critical')`)
@Check('findings_status_check', `"status" IN ('open', 'resolved')`)
@Check(
  'findings_encryption_class_check',
  `"encryption_class" IN ('kms_cmk', 'kms_default', 'oss_aes256', 'oss_sm4', 'none', 'unknown')`,
)
@Check('findings_resolution_check', `"resolution" IN ('fixed', 'resource_deleted')`)
@Check(
  'findings_resolved_check',
  `("status" = 'open' AND "resolved_scan_id" IS NULL AND "resolved_at" IS NULL AND "resolution" IS NULL) OR ("status" = 'resolved' AND "resolved_scan_id" IS NOT NULL AND "resolved_at" IS NOT NULL AND "resolution" IS NOT NULL)`,
)
@Index('findings_open_finding_key_key', ['findingKey'], { unique: true, where: `"status" = 'open'` })
@Index('findings_finding_key_idx', ['findingKey', 'openedAt'])
@Index('findings_status_severity_opened_idx', ['status', 'severity', 'openedAt'])
@Index('findings_rule_status_idx', ['rule', 'status'])
@Index('findings_resource_id_idx', ['resourceId'])
@Index('findings_status_opened_idx', ['status', 'openedAt', 'id'])
@Index('findings_opened_idx', ['openedAt', 'id'])
@Index('findings_opened_scan_id_idx', ['openedScanId'])
@Index('findings_resolved_scan_id_idx', ['resolvedScanId'], { where: `"resolved_scan_id" IS NOT NULL` })
export class FindingEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'findings_pkey' })
  id!: string;

  @Column({ name: 'finding_key', type: 'text' })
  findingKey!: string;

  @Column({ name: 'resource_id', type: 'bigint' })
  resourceId!: string;

  @Column({ name: 'rule', type: 'text' })
  rule!: string;

  @Column({ name: 'severity', type: 'text' })
  severity!: string;

  @Column({ name: 'status', type: 'text' })
  status!: string;

  @Column({ name: 'title', type: 'text' })
  title!: string;

  @Column({ name: 'message', type: 'text' })
  message!: string;

  @Column({ name: 'encryption_class', type: 'text' })
  encryptionClass!: string;

  @Column({ name: 'algorithm', type: 'text', nullable: true })
  algorithm!: string | null;

  @Column({ name: 'kms_key_id', type: 'text', nullable: true })
  kmsKeyId!: string | null;

  @Column({ name: 'opened_scan_id', type: 'integer' })
  openedScanId!: number;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'last_seen_scan_id', type: 'integer' })
  lastSeenScanId!: number;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'evidence_change_id', type: 'bigint' })
  evidenceChangeId!: string;

  @Column({ name: 'resolved_scan_id', type: 'integer', nullable: true })
  resolvedScanId!: number | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolution', type: 'text', nullable: true })
  resolution!: string | null;

  @ManyToOne(() => ResourceEntity)
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'findings_resource_id_fkey' })
  resource?: ResourceEntity;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'opened_scan_id', foreignKeyConstraintName: 'findings_opened_scan_id_fkey' })
  openedScan?: ScanEntity;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'last_seen_scan_id', foreignKeyConstraintName: 'findings_last_seen_scan_id_fkey' })
  lastSeenScan?: ScanEntity;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'resolved_scan_id', foreignKeyConstraintName: 'findings_resolved_scan_id_fkey' })
  resolvedScan?: ScanEntity;
}

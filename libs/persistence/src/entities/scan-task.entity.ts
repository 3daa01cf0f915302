import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { ScanEntity } from './scan.entity';

/** Schema mirror of `scan_tasks`: the units of work of one scan. */
@Entity({ name: 'scan_tasks' })
@Check('scan_tasks_kind_check', `"kind" IN ('enumerate', 'audit')`)
@Check('scan_tasks_resource_kind_check', `"resource_kind" IN ('bucket', 'table_bucket')`)
@Check('scan_tasks_status_check', `"status" IN ('pending', 'done', 'failed')`)
@Check('scan_tasks_result_check', `"status" <> 'pending' OR "result" IS NULL`)
@Index('scan_tasks_pending_idx', ['scanId'], { where: `"status" = 'pending'` })
export class ScanTaskEntity {
  @PrimaryColumn({ name: 'scan_id', type: 'integer', primaryKeyConstraintName: 'scan_tasks_pkey' })
  scanId!: number;

  @PrimaryColumn({ name: 'task_key', type: 'text', primaryKeyConstraintName: 'scan_tasks_pkey' })
  taskKey!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'account_alias', type: 'text' })
  accountAlias!: string;

  @Column({ name: 'region', type: 'text' })
  region!: string;

  @Column({ name: 'resource_kind', type: 'text' })
  resourceKind!: string;

  @Column({ name: 'status', type: 'text', default: () => `'pending'` })
  status!: string;

  @Column({ name: 'payload', type: 'jsonb', nullable: true })
  payload!: unknown;

  @Column({ name: 'result', type: 'jsonb', nullable: true })
  result!: unknown;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @ManyToOne(() => ScanEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'scan_id', foreignKeyConstraintName: 'scan_tasks_scan_id_fkey' })
  scan?: ScanEntity;
}

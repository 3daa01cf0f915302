import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Schema mirror of `scans` (the migration is the schema; this class lets the entity/migration
 * comparison run and names the table for TypeORM). Repositories read and write with SQL.
 */
@Entity({ name: 'scans' })
@Check('scans_trigger_check', `"trigger" IN ('schedule', 'api', 'cli')`)
@Check('scans_status_check', `"status" IN ('running', 'succeeded', 'partial', 'failed')`)
@Check('scans_schedule_slot_check', `("trigger" = 'schedule') = ("schedule_slot" IS NOT NULL)`)
@Check('scans_finished_at_check', `("status" = 'running') = ("finished_at" IS NULL)`)
@Check('scans_coverage_check', `jsonb_typeof("coverage") = 'array'`)
@Index('scans_schedule_slot_key', ['scheduleSlot'], { unique: true, where: `"schedule_slot" IS NOT NULL` })
@Index('scans_single_running_key', ['status'], { unique: true, where: `"status" = 'running'` })
@Index('scans_started_at_idx', ['startedAt'])
export class ScanEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'integer',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'scans_pkey',
  })
  id!: number;

  @Column({ name: 'trigger', type: 'text' })
  trigger!: string;

  @Column({ name: 'schedule_slot', type: 'timestamptz', nullable: true })
  scheduleSlot!: Date | null;

  @Column({ name: 'status', type: 'text' })
  status!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'coverage', type: 'jsonb', default: () => `'[]'` })
  coverage!: unknown;

  @Column({ name: 'summary', type: 'jsonb', nullable: true })
  summary!: unknown;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;
}

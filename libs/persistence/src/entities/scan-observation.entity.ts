import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { ResourceEntity } from './resource.entity';
import { ScanEntity } from './scan.entity';

/**
 * Schema mirror of `scan_observations`: which change each scan saw for each resource. Deliberately
 * narrow (two bigints, then the int, so no alignment padding) because it grows with every scan.
 */
@Entity({ name: 'scan_observations' })
export class ScanObservationEntity {
  @PrimaryColumn({ name: 'resource_id', type: 'bigint', primaryKeyConstraintName: 'scan_observations_pkey' })
  resourceId!: string;

  @Column({ name: 'change_id', type: 'bigint' })
  changeId!: string;

  @PrimaryColumn({ name: 'scan_id', type: 'integer', primaryKeyConstraintName: 'scan_observations_pkey' })
  scanId!: number;

  @ManyToOne(() => ScanEntity)
  @JoinColumn({ name: 'scan_id', foreignKeyConstraintName: 'scan_observations_scan_id_fkey' })
  scan?: ScanEntity;

  @ManyToOne(() => ResourceEntity)
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'scan_observations_resource_id_fkey' })
  resource?: ResourceEntity;
}

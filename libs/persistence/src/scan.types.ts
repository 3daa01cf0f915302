import type { EncryptionClass, ResourceKind } from '@app/audit';

/** What started a scan. */
export type ScanTrigger = 'schedule' | 'api' | 'cli';

export type ScanStatus = 'running' | 'succeeded' | 'partial' | 'failed';

export type FinishedScanStatus = Exclude<ScanStatus, 'running'>;

/** Coverage of one (account, region, kind) scope of a scan. */
export interface ScanCoverage {
  readonly accountAlias: string;
  readonly region: string;
  readonly kind: ResourceKind;
  readonly listed: number;
  readonly observed: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** False when listing stopped early: resources missing from such a scope are not "disappeared". */
  readonly enumerationComplete: boolean;
}

/** Totals of a finished scan. */
export interface ScanSummary {
  readonly resourcesByClass: Readonly<Partial<Record<EncryptionClass, number>>>;
  readonly findingsOpened: number;
  readonly findingsResolved: number;
  readonly driftEvents: number;
  readonly alertsQueued: number;
  /** Resources gone from a completely listed scope, marked deleted by this scan. */
  readonly resourcesDisappeared: number;
}

export interface ScanRecord {
  readonly id: number;
  readonly trigger: ScanTrigger;
  /** The cron slot a scheduled scan belongs to; null for api and cli scans. */
  readonly scheduleSlot: Date | null;
  readonly status: ScanStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly coverage: readonly ScanCoverage[];
  readonly summary: ScanSummary | null;
  readonly failureReason: string | null;
}

/** A scan's unit of work: enumerating one (account, region, kind) scope or auditing a batch of it. */
export type ScanTaskKind = 'enumerate' | 'audit';

export type ScanTaskStatus = 'pending' | 'done' | 'failed';

/** What a finished task found, summed into the scan's coverage. */
export interface ScanTaskResult {
  readonly listed: number;
  readonly observed: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly enumerationComplete: boolean;
}

export interface NewScanTask {
  readonly taskKey: string;
  readonly kind: ScanTaskKind;
  readonly accountAlias: string;
  readonly region: string;
  readonly resourceKind: ResourceKind;
  /** Any JSON value; for audit tasks the resource refs to audit. */
  readonly payload?: unknown;
}

export interface ScanTaskRecord {
  readonly scanId: number;
  readonly taskKey: string;
  readonly kind: ScanTaskKind;
  readonly accountAlias: string;
  readonly region: string;
  readonly resourceKind: ResourceKind;
  readonly status: ScanTaskStatus;
  readonly payload: unknown;
  readonly result: ScanTaskResult | null;
  readonly updatedAt: Date;
}

/** A task's status and result, without the payload of audit tasks (they are large). */
export type ScanTaskOutcome = Omit<ScanTaskRecord, 'payload'> & {
  /** An enumerate task's payload: the scope it was planned to cover; null for audit tasks. */
  readonly plan: unknown;
};

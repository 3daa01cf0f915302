import type { EncryptionClass, ResourceKind } from '@app/audit';

/** What started a scan. */
export type ScanTrigger = 'schedule' | 'api' | 'cli';

export type ScanStatus = 'running' | 'succeeded' | 'partial' | 'failed';

export type FinishedScanStatus = Exclude<ScanStatus, 'running'>;

/**
 * One failure met in a scope: enough to act on it and to quote it to Alibaba Cloud support. Never
 * a secret (the client redacts anything the service echoes).
 */
export interface ScopeError {
  readonly code: string;
  readonly message: string;
  readonly httpStatus: number | null;
  /** The endpoint host the call went to. */
  readonly host: string | null;
  readonly requestId: string | null;
  /** `ListBuckets`, `GetBucketEncryption`, `DescribeKey`, ... */
  readonly operation: string;
  /** The resource the call was about; absent for a listing. */
  readonly resource?: string;
}

/**
 * Coverage of one (account, region, kind) scope of a scan. Every scope the scan planned has a row,
 * even when it holds no resource: `enumerationComplete` with `proof` is how a scan shows it looked.
 */
export interface ScanCoverage {
  readonly accountAlias: string;
  /** A region id, or `*` for a listing of every region that found nothing. */
  readonly region: string;
  readonly kind: ResourceKind;
  readonly listed: number;
  readonly observed: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** False when listing stopped early: resources missing from such a scope are not "disappeared". */
  readonly enumerationComplete: boolean;
  /** Request ids of the listing pages that proved the scope (a few, not every page). */
  readonly proof?: readonly string[];
  /** The first failures met in the scope, with what proves them. */
  readonly errors?: readonly ScopeError[];
  /** Resources the configuration names that do not exist. */
  readonly missing?: readonly string[];
  /** Resources the listing returned in regions the configuration does not cover, per region. */
  readonly skippedRegions?: Readonly<Record<string, number>>;
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
  /** Resources the configuration no longer covers, taken out of the audit by this scan. */
  readonly resourcesOutOfScope?: number;
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
  /** The scopes the scan set out to cover (the scanner's plan, as stored at its start). */
  readonly plan: unknown;
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
  /** A listing's proof: the request ids of (some of) its pages. */
  readonly proof?: readonly string[];
  readonly errors?: readonly ScopeError[];
  /** Configured resources that do not exist. */
  readonly missing?: readonly string[];
  /** Listed resources outside the configured regions, per region. */
  readonly skippedRegions?: Readonly<Record<string, number>>;
  /** Resources of an audit task still throttled, handed to a later re-read in the same scan. */
  readonly deferred?: number;
  /** KMS keys described by an audit task, per key region: how many, and what failed. */
  readonly keys?: Readonly<
    Record<string, { readonly described: number; readonly errorsByCode: Readonly<Record<string, number>> }>
  >;
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

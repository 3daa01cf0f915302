import type {
  DriftDirection,
  DriftKind,
  EncryptionClass,
  FindingRule,
  ResourceKind,
  ResourceRef,
  Severity,
} from '@app/audit';

import type { DriftSnapshot, FindingResolution } from '@app/audit';
import type { ScanCoverage, ScanStatus, ScanSummary, ScanTrigger } from './scan.types';

/** A resource as the read side names it: its row id beside its identity. */
export interface ResourceIdentity extends ResourceRef {
  readonly id: number;
}

/** Which findings to list; absent filters match everything, a list matches any of its values. */
export interface FindingFilter {
  readonly status: 'open' | 'resolved' | 'all';
  readonly rules?: readonly FindingRule[];
  readonly severities?: readonly Severity[];
  /** This severity and the more severe ones. */
  readonly minSeverity?: Severity;
  readonly resourceId?: number;
  readonly resourceKinds?: readonly ResourceKind[];
  /** Accounts by alias or by uid. */
  readonly accounts?: readonly string[];
  /** Any of these account aliases, exactly (the evidence pack's `accounts`). */
  readonly accountAliases?: readonly string[];
  readonly regions?: readonly string[];
  /** The findings a control evaluates: these rules on these kinds (`controlFindingScope`). */
  readonly control?: {
    readonly findingRules: readonly FindingRule[];
    readonly resourceKinds: readonly ResourceKind[];
  };
  /** Resource names starting with this text (literally: `%` and `_` are not wildcards). */
  readonly namePrefix?: string;
  /**
   * As of this instant: only lives opened by then, and `status` as it was then (a finding resolved
   * later was still open).
   */
  readonly at?: Date;
  /** Lives open at some instant of [from, to): opened before `to`, not resolved before `from`. */
  readonly activeBetween?: { readonly from: Date; readonly to: Date };
  /** Opened at or after. */
  readonly openedSince?: Date;
  /** Resolved at or after (only resolved findings match). */
  readonly resolvedSince?: Date;
  /** Open findings the latest finished scan did not re-check (true), or the others (false). */
  readonly stale?: boolean;
  /** Findings an active exception suppresses (true), or the others (false). */
  readonly suppressed?: boolean;
}

/**
 * Orders of the findings list: `severity` most severe first, then newest opened; `opened` newest
 * opened first; `name` by resource name (then resource, then finding id).
 */
export type FindingSort = 'severity' | 'opened' | 'name';

/** Every findings sort order. */
export const FINDING_SORTS: readonly FindingSort[] = ['severity', 'opened', 'name'];

/** One life of a finding with the resource it is about and the evidence behind it. */
export interface FindingView {
  readonly id: string;
  readonly findingKey: string;
  readonly status: 'open' | 'resolved';
  readonly rule: FindingRule;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly encryptionClass: EncryptionClass;
  readonly algorithm: string | null;
  readonly kmsKeyId: string | null;
  readonly openedScanId: number;
  readonly openedAt: Date;
  readonly lastSeenScanId: number;
  readonly lastSeenAt: Date;
  /** The change-log row (observation) that last showed the finding. */
  readonly evidenceChangeId: number;
  readonly resolvedScanId: number | null;
  readonly resolvedAt: Date | null;
  readonly resolution: FindingResolution | null;
  /** Open, and not re-checked by the latest finished scan (its resource was not observed in it). */
  readonly stale: boolean;
  /**
   * The active exception that suppresses this open finding: still shown, left out of open counts
   * and alerts. Null when none does (a resolved finding keeps the last one it had).
   */
  readonly exceptionId: string | null;
  readonly resource: ResourceIdentity;
}

/** Which drift events to list; absent filters match everything. */
export interface DriftFilter {
  readonly kind?: DriftKind;
  readonly direction?: DriftDirection;
  readonly resourceKind?: ResourceKind;
  readonly accountAlias?: string;
  /** Any of these account aliases (the evidence pack's `accounts`). */
  readonly accountAliases?: readonly string[];
  readonly region?: string;
  readonly namePrefix?: string;
  /** Detected at or after. */
  readonly since?: Date;
  /** Detected strictly before. */
  readonly until?: Date;
}

export interface DriftEventView {
  readonly id: number;
  readonly kind: DriftKind;
  readonly direction: DriftDirection | null;
  readonly detectedAt: Date;
  readonly scanId: number;
  readonly previousScanId: number | null;
  readonly before: DriftSnapshot | null;
  readonly after: DriftSnapshot | null;
  readonly resource: ResourceIdentity;
}

/** Which resources to list; absent filters match everything, a list matches any of its values. */
export interface ResourceFilter {
  /**
   * `present` (default): in the audit; `deleted`: gone; `out_of_scope`: the configuration no longer
   * covers it; `all`.
   */
  readonly state?: 'present' | 'deleted' | 'out_of_scope' | 'all';
  readonly kinds?: readonly ResourceKind[];
  /** Accounts by alias or by uid. */
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly encryptionClasses?: readonly EncryptionClass[];
  readonly namePrefix?: string;
  /** The children of this resource key: a table bucket's ARN gives its tables. */
  readonly parentKey?: string;
  /** Present resources the latest finished scan did not observe (true), or the others (false). */
  readonly stale?: boolean;
  /**
   * The fleet as it stood at this instant: state, class and presence from the change log and the
   * drift record as of then (`stale`: not observed by the last scan finished by then).
   */
  readonly at?: Date;
}

/** Present resources of one (account, region, kind, class). */
export interface ResourceCount {
  readonly accountAlias: string;
  readonly region: string;
  readonly kind: ResourceKind;
  readonly encryptionClass: EncryptionClass;
  readonly count: number;
}

/** Open findings of one (account, region, severity, rule). */
export interface OpenFindingCount {
  readonly accountAlias: string;
  readonly region: string;
  readonly severity: Severity;
  readonly rule: FindingRule;
  readonly count: number;
}

/** The posture now: what the summary counts are made of. */
export interface PostureCounts {
  readonly resources: readonly ResourceCount[];
  /** Open findings no active exception suppresses. */
  readonly openFindings: readonly OpenFindingCount[];
  /** Open findings an active exception suppresses: counted apart, never as open. */
  readonly suppressedFindings: number;
  /** What the latest finished scan could not re-prove: shown as last observed, never as current. */
  readonly stale: StaleCounts;
}

/** Present resources the latest finished scan did not observe, and the open findings on them. */
export interface StaleCounts {
  readonly resources: number;
  readonly openFindings: number;
  /** The oldest last observation among the stale resources; null when none is stale. */
  readonly since: Date | null;
}

/** One scan of the trend, with the findings open when it ended (or now, while it runs). */
export interface ScanTrendPoint {
  readonly scanId: number;
  readonly trigger: ScanTrigger;
  readonly status: ScanStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly coverage: readonly ScanCoverage[];
  readonly summary: ScanSummary | null;
  /** Open when it ended and suppressed by no exception active then. */
  readonly openFindings: number;
  /** Open when it ended and suppressed by an exception active then. */
  readonly suppressedFindings: number;
}

/** What the Prometheus gauges report, read in one go at scrape time. */
export interface AuditMetricsSnapshot {
  readonly scansByStatus: readonly { readonly status: ScanStatus; readonly count: number }[];
  /** The latest scan that finished, if any. */
  readonly lastFinishedScan: {
    readonly id: number;
    readonly status: ScanStatus;
    readonly durationSeconds: number;
    readonly finishedAt: Date;
    readonly errorsByCode: Readonly<Record<string, number>>;
  } | null;
  readonly presentResources: readonly {
    readonly kind: ResourceKind;
    readonly encryptionClass: EncryptionClass;
    readonly count: number;
  }[];
  readonly openFindingsBySeverity: readonly { readonly severity: Severity; readonly count: number }[];
}

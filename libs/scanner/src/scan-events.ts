import type { ResourceKind } from '@app/audit';
import type {
  EvaluationCounts,
  ScanComplianceOutcome,
  ScanRecord,
  ScanTrigger,
  ScopeError,
} from '@app/persistence';

/** What happens to a scan, for the process to log: its start, each scope that failed, its end. */
export type ScanEvent =
  | {
      readonly type: 'scan_started';
      readonly scanId: number;
      readonly trigger: ScanTrigger;
      /** Listing scopes planned at the start (more are added as table buckets are found). */
      readonly scopes: number;
    }
  | {
      readonly type: 'scope_failed';
      readonly scanId: number;
      readonly accountAlias: string;
      readonly kind: ResourceKind;
      /** The region listed, `*` for every region, or the table bucket whose tables were listed. */
      readonly scope: string;
      readonly error: ScopeError;
    }
  | {
      readonly type: 'exceptions_file_rejected';
      readonly scanId: number;
      readonly path: string;
      /** Every problem, each naming the entry and field (`exceptions[2].expiresAt`). */
      readonly problems: readonly string[];
    }
  | {
      readonly type: 'scan_finished';
      readonly scan: ScanRecord;
      readonly counts: EvaluationCounts;
      /** Controls judged, findings suppressed and reopened, stale and expiring exceptions. */
      readonly compliance: ScanComplianceOutcome | null;
    };

/** Told about scan events; it must not throw (the worker logs them). */
export type ScanEventListener = (event: ScanEvent) => void;

/** A listener that ignores everything. */
export const IGNORE_SCAN_EVENTS: ScanEventListener = () => undefined;

import type { FindingRule } from '@app/audit';

import type { ComplianceResourceKind } from '../resource-facts';

/** Where an exception was declared: through the API, or in the exceptions file reviewed in git. */
export type ExceptionSource = 'api' | 'file';

/**
 * Which resources an exception covers: one resource by its key, or the resources of one account whose names
 * match a glob (`*`, `?`), optionally narrowed to a region and a kind.
 */
export type ExceptionScope =
  | { readonly type: 'resource'; readonly resourceKey: string }
  | {
      readonly type: 'names';
      readonly accountAlias: string;
      readonly namePatterns: readonly string[];
      readonly region: string | null;
      readonly resourceKind: ComplianceResourceKind | null;
    };

/**
 * An accepted risk on the record. Immutable: every change makes a new value and an
 * {@link ExceptionChangeRecord}. Its state is never stored; {@link exceptionStateAt} derives it.
 */
export interface ComplianceException {
  readonly id: string;
  readonly source: ExceptionSource;
  readonly scope: ExceptionScope;
  /** Controls it suppresses (catalogue ids). */
  readonly controlIds: readonly string[];
  /** Audit finding rules it suppresses. */
  readonly findingRules: readonly FindingRule[];
  readonly reason: string;
  /** Who is accountable for the risk. */
  readonly owner: string;
  /** Who must approve it; never its creator. */
  readonly approver: string;
  readonly ticketUrl: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly approvedBy: string | null;
  readonly approvedAt: Date | null;
  readonly revokedBy: string | null;
  readonly revokedAt: Date | null;
  readonly revocationReason: string | null;
}

/** An exception's state at an instant; only `active` suppresses. */
export type ExceptionState = 'pending_approval' | 'active' | 'revoked' | 'expired';

/** What an exception may cover: a control, or an audit finding rule. */
export type ExceptionTarget = { readonly controlId: string } | { readonly findingRule: FindingRule };

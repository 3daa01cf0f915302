import { ComplianceError } from '../compliance-error';
import type { ComplianceException } from './exception.types';

/**
 * Why an exception changed: made, approved or revoked through the API; or added, changed or removed in the
 * exceptions file (the file is reviewed in git; the record says what Seed saw change).
 */
export type ExceptionAction =
  'created' | 'approved' | 'revoked' | 'file_added' | 'file_changed' | 'file_removed';

/** One append-only entry of an exception's history. */
export interface ExceptionChangeRecord {
  readonly exceptionId: string;
  readonly action: ExceptionAction;
  /** Who made the change (for the file: whoever the loader names, e.g. the deploying identity). */
  readonly actor: string;
  readonly at: Date;
  /** The exception before the change; null when it came into being. */
  readonly before: ComplianceException | null;
  /** The exception after the change; null when it was removed from the file. */
  readonly after: ComplianceException | null;
  /** The fields that differ between before and after (all fields when one side is null). */
  readonly changedFields: readonly (keyof ComplianceException)[];
  /** A revocation reason, when there is one. */
  readonly note: string | null;
}

const FIELDS: readonly (keyof ComplianceException)[] = [
  'id',
  'source',
  'scope',
  'controlIds',
  'findingRules',
  'reason',
  'owner',
  'approver',
  'ticketUrl',
  'createdBy',
  'createdAt',
  'expiresAt',
  'approvedBy',
  'approvedAt',
  'revokedBy',
  'revokedAt',
  'revocationReason',
];

const ARISING: readonly ExceptionAction[] = ['created', 'file_added'];

/**
 * Builds the record of one change. Refuses (`INVALID_CHANGE`) a record whose sides contradict its action
 * (a creation with a `before`, a removal with an `after`, a change of one exception into another).
 */
export function exceptionChangeRecord(change: {
  readonly action: ExceptionAction;
  readonly actor: string;
  readonly at: Date;
  readonly before: ComplianceException | null;
  readonly after: ComplianceException | null;
  readonly note?: string | null;
}): ExceptionChangeRecord {
  const { action, before, after } = change;
  const arising = ARISING.includes(action);
  const removal = action === 'file_removed';
  if ((before === null) !== arising || (after === null) !== removal) {
    throw new ComplianceError(
      'INVALID_CHANGE',
      `A "${action}" record cannot have these before and after values`,
    );
  }
  if (before !== null && after !== null && before.id !== after.id) {
    throw new ComplianceError(
      'INVALID_CHANGE',
      `A change cannot turn exception ${before.id} into ${after.id}`,
    );
  }
  const exception = after ?? before;
  if (exception === null) {
    throw new ComplianceError('INVALID_CHANGE', 'A change record needs a before or an after');
  }
  return {
    exceptionId: exception.id,
    action,
    actor: change.actor.trim(),
    at: change.at,
    before,
    after,
    changedFields:
      before === null || after === null
        ? FIELDS
        : FIELDS.filter((field) => !sameValue(before[field], after[field])),
    note: change.note ?? null,
  };
}

/**
 * The records that take a stored set of file exceptions to the set just loaded from the file: additions,
 * changes (any field) and removals, matched by id. Exceptions of other sources are ignored.
 */
export function fileExceptionChanges(
  previous: readonly ComplianceException[],
  next: readonly ComplianceException[],
  change: { readonly actor: string; readonly at: Date },
): ExceptionChangeRecord[] {
  const before = new Map(previous.filter(fromFile).map((exception) => [exception.id, exception]));
  const after = new Map(next.filter(fromFile).map((exception) => [exception.id, exception]));
  const records: ExceptionChangeRecord[] = [];
  for (const [id, exception] of after) {
    const old = before.get(id);
    if (old === undefined) {
      records.push(
        exceptionChangeRecord({ ...change, action: 'file_added', before: null, after: exception }),
      );
    } else if (FIELDS.some((field) => !sameValue(old[field], exception[field]))) {
      records.push(
        exceptionChangeRecord({ ...change, action: 'file_changed', before: old, after: exception }),
      );
    }
  }
  for (const [id, exception] of before) {
    if (!after.has(id)) {
      records.push(
        exceptionChangeRecord({ ...change, action: 'file_removed', before: exception, after: null }),
      );
    }
  }
  return records;
}

function fromFile(exception: ComplianceException): boolean {
  return exception.source === 'file';
}

// Values are strings, dates, null, or plain data (scope, lists): JSON compares the latter exactly.
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return JSON.stringify(a) === JSON.stringify(b);
}

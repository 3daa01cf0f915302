import type { ComplianceException } from './exception';
import { exceptionFromRequest, readRequest, type ExceptionPolicy } from './exception-validation';
import { FieldReader, type Validated } from './field-reader';

/** The version of the exceptions file format this library reads. */
export const EXCEPTIONS_FILE_VERSION = 1;

/** Prefix of the ids of exceptions declared in the file, so they never collide with API exceptions. */
export const FILE_EXCEPTION_ID_PREFIX = 'file:';

const ENTRY_FIELDS = [
  'id',
  'scope',
  'controlIds',
  'findingRules',
  'reason',
  'owner',
  'approver',
  'ticketUrl',
  'createdBy',
  'createdAt',
  'approvedAt',
  'expiresAt',
] as const;

const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PERSON = { min: 1, max: 200 } as const;

/**
 * Reads the exceptions file, already parsed from YAML or JSON into a plain object (the loader is the caller's):
 *
 * ```yaml
 * version: 1
 * exceptions:
 *   - id: legacy-logs                 # unique in the file; the exception id becomes "file:legacy-logs"
 *     scope: { type: names, accountAlias: prod, namePatterns: ['logs-*'], region: cn-hangzhou, resourceKind: bucket }
 *     controlIds: [cis-alibaba-v2.0.0-5.9]
 *     findingRules: [kms_default_key]
 *     reason: Log archive encrypted with the service key until the migration in SEC-42
 *     owner: alice@example.com
 *     approver: bob@example.com       # the git reviewer; never the creator
 *     ticketUrl: https://jira.example.com/browse/SEC-42
 *     createdBy: alice@example.com
 *     createdAt: 2025-01-10T00:00:00Z
 *     approvedAt: 2025-01-11T00:00:00Z  # when the review approved it
 *     expiresAt: 2025-12-31T00:00:00Z
 * ```
 *
 * Every entry is checked like an API request (expiry within the policy counted from `createdAt`), plus a
 * unique id, the creator, and an approval between creation and expiry. Entries that have expired are kept: their
 * state says so. Any problem rejects the whole file, with every problem by path (`exceptions[2].expiresAt`).
 * To end an exception early, remove it from the file: the loader records `file_removed`.
 */
export function parseExceptionsFile(
  document: unknown,
  context: { readonly policy?: ExceptionPolicy; readonly knownControlIds?: readonly string[] } = {},
): Validated<ComplianceException[]> {
  const reader = new FieldReader('');
  const root = reader.object(document, '', ['version', 'exceptions']);
  if (root === null) return { ok: false, problems: reader.problems };
  if (root.version !== EXCEPTIONS_FILE_VERSION) {
    reader.problem('version', `must be ${EXCEPTIONS_FILE_VERSION}`);
  }
  const entries = root.exceptions ?? [];
  if (!Array.isArray(entries)) {
    reader.problem('exceptions', 'must be a list');
    return { ok: false, problems: reader.problems };
  }
  const exceptions: ComplianceException[] = [];
  const ids = new Set<string>();
  entries.forEach((entry: unknown, index) => {
    const path = `exceptions[${index}]`;
    const fields = reader.object(entry, path, ENTRY_FIELDS);
    if (fields === null) return;
    const exception = readEntry(reader.nested(path), fields, context);
    if (exception === null) return;
    if (ids.has(exception.id)) {
      reader.nested(path).problem('id', `repeats "${exception.id.slice(FILE_EXCEPTION_ID_PREFIX.length)}"`);
      return;
    }
    ids.add(exception.id);
    exceptions.push(exception);
  });
  return reader.problems.length > 0
    ? { ok: false, problems: reader.problems }
    : { ok: true, value: exceptions };
}

function readEntry(
  reader: FieldReader,
  fields: Readonly<Record<string, unknown>>,
  context: { readonly policy?: ExceptionPolicy; readonly knownControlIds?: readonly string[] },
): ComplianceException | null {
  const problemsBefore = reader.problems.length;
  const id = reader.matching(fields, 'id', ENTRY_ID, 'an id of letters, digits, ".", "_", "-" (at most 64)');
  const createdBy = reader.text(fields, 'createdBy', PERSON);
  const createdAt = reader.instant(fields, 'createdAt');
  const approvedAt = reader.instant(fields, 'approvedAt');
  const request = readRequest(reader, fields, { ...context, createdBy, createdAt });
  if (approvedAt !== null && createdAt !== null) {
    if (approvedAt.getTime() < createdAt.getTime()) {
      reader.problem('approvedAt', 'must not be before createdAt');
    } else if (request !== null && approvedAt.getTime() >= request.expiresAt.getTime()) {
      reader.problem('approvedAt', 'must be before expiresAt');
    }
  }
  if (
    id === null ||
    createdBy === null ||
    createdAt === null ||
    request === null ||
    approvedAt === null ||
    reader.problems.length > problemsBefore
  ) {
    return null;
  }
  return exceptionFromRequest(request, {
    id: `${FILE_EXCEPTION_ID_PREFIX}${id}`,
    source: 'file',
    createdBy,
    createdAt,
    approvedAt,
  });
}

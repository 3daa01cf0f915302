import type { DataSource } from 'typeorm';

import { cursorTimestampSql, keysetCursor, keysetPage, type Page, pageSize } from './cursor';
import type { FindingFilter, FindingView } from './read-model.types';
import { addResourceScope, SqlConditions, STALE_FINDING_SQL } from './sql-conditions';
import { poolRows, toSafeInteger, withSession } from './sql';
import type { Row } from './schema/tables';

export type FindingRow = Row<'findings'> & { opened_at_text: string } & Pick<
    Row<'resources'>,
    'resource_key' | 'kind' | 'account_alias' | 'region' | 'name' | 'parent_resource_key'
  > & { stale: boolean };

const FINDING_COLUMNS = `f."id", f."finding_key", f."status", f."rule", f."severity", f."title", f."message",
  f."encryption_class", f."algorithm", f."kms_key_id", f."opened_scan_id", f."opened_at",
  ${cursorTimestampSql('f."opened_at"')} AS "opened_at_text", f."last_seen_scan_id", f."last_seen_at",
  f."evidence_change_id", f."resolved_scan_id", f."resolved_at", f."resolution", f."exception_id",
  r."id" AS "resource_id", r."resource_key", r."kind", r."account_alias", r."region", r."name",
  r."parent_resource_key", ${STALE_FINDING_SQL} AS "stale"`;

/** (opened_at, id) of the last finding of a page. */
const FINDING_CURSOR = keysetCursor('timestamptz', 'uuid');

/** Read side of findings: filtered keyset pages, newest opened first. */
export class FindingQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One life of a finding by its id (a uuid), or null. */
  async findById(id: string): Promise<FindingView | null> {
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<FindingRow>(
        `SELECT ${FINDING_COLUMNS}
         FROM "findings" f
         JOIN "resources" r ON r."id" = f."resource_id"
         WHERE f."id" = $1::uuid`,
        [id],
      );
      return row === undefined ? null : toFindingView(row);
    });
  }

  /**
   * Findings matching `filter`, ordered by (opened_at, id) descending: a stable order in which a
   * page never repeats or skips a row, however many findings open while a client walks the pages
   * (new ones sort before its cursor). Served by `findings_status_opened_idx` (one status) or
   * `findings_opened_idx` (all).
   */
  async list(filter: FindingFilter, request: FindingPageRequest): Promise<Page<FindingView>> {
    const statement = findingPageStatement(filter, request);
    return findingPage(
      await poolRows<FindingRow>(this.dataSource, statement.text, statement.parameters),
      statement.limit,
    );
  }
}

export interface FindingPageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** One findings page as SQL: the text, its positional parameters, and the page size it asks for. */
export interface FindingPageStatement {
  readonly text: string;
  readonly parameters: readonly unknown[];
  readonly limit: number;
}

/**
 * The statement of `FindingQueryRepository.list`: also run over a bare `pg` pool by the API
 * benchmark's framework-free baseline, which must ask Postgres exactly what the API asks.
 */
export function findingPageStatement(
  filter: FindingFilter,
  request: FindingPageRequest,
): FindingPageStatement {
  const limit = pageSize(request.limit);
  const after = request.cursor === undefined ? null : FINDING_CURSOR.decode(request.cursor);
  const conditions = new SqlConditions();
  addLifecycleConditions(conditions, filter);
  if (filter.rule !== undefined) conditions.add((p) => `f."rule" = ${p(filter.rule)}`);
  if (filter.severity !== undefined) conditions.add((p) => `f."severity" = ${p(filter.severity)}`);
  if (filter.resourceId !== undefined) conditions.add((p) => `f."resource_id" = ${p(filter.resourceId)}`);
  addResourceScope(conditions, { ...filter, kind: filter.resourceKind }, 'r');
  if (filter.openedSince !== undefined) conditions.add((p) => `f."opened_at" >= ${p(filter.openedSince)}`);
  if (filter.resolvedSince !== undefined) {
    conditions.add((p) => `f."resolved_at" >= ${p(filter.resolvedSince)}`);
  }
  if (filter.suppressed !== undefined)
    conditions.add(
      () => `${filter.suppressed ? '' : 'NOT '}(f."status" = 'open' AND f."exception_id" IS NOT NULL)`,
    );
  if (filter.stale !== undefined) conditions.add(() => `${filter.stale ? '' : 'NOT '}(${STALE_FINDING_SQL})`);
  if (after !== null) {
    conditions.add((p) => `(f."opened_at", f."id") < (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
  }
  const limitParam = conditions.param(limit + 1);
  return {
    text: `SELECT ${FINDING_COLUMNS}
         FROM "findings" f
         JOIN "resources" r ON r."id" = f."resource_id"
         ${conditions.where()}
         ORDER BY f."opened_at" DESC, f."id" DESC
         LIMIT ${limitParam}`,
    parameters: conditions.parameters,
    limit,
  };
}

/** The page the rows of a `findingPageStatement` (with its `limit`) make, with the next cursor. */
export function findingPage(rows: readonly FindingRow[], limit: number): Page<FindingView> {
  return keysetPage(rows, limit, toFindingView, (last) =>
    FINDING_CURSOR.encode([last.opened_at_text, last.id]),
  );
}

/**
 * `status` now, or as it was at `filter.at`: a life opened by then, open when not resolved by then.
 * `activeBetween` keeps the lives open at some instant of the range.
 */
function addLifecycleConditions(conditions: SqlConditions, filter: FindingFilter): void {
  const { at, activeBetween } = filter;
  if (at === undefined) {
    if (filter.status !== 'all') conditions.add((p) => `f."status" = ${p(filter.status)}`);
  } else {
    conditions.add((p) => `f."opened_at" <= ${p(at)}`);
    if (filter.status === 'open') {
      conditions.add((p) => `(f."resolved_at" IS NULL OR f."resolved_at" > ${p(at)})`);
    } else if (filter.status === 'resolved') {
      conditions.add((p) => `f."resolved_at" <= ${p(at)}`);
    }
  }
  if (activeBetween !== undefined) {
    conditions.add((p) => `f."opened_at" < ${p(activeBetween.to)}`);
    conditions.add((p) => `(f."resolved_at" IS NULL OR f."resolved_at" >= ${p(activeBetween.from)})`);
  }
}

function toFindingView(row: FindingRow): FindingView {
  return {
    id: row.id,
    findingKey: row.finding_key,
    status: row.status,
    rule: row.rule,
    severity: row.severity,
    title: row.title,
    message: row.message,
    encryptionClass: row.encryption_class,
    algorithm: row.algorithm,
    kmsKeyId: row.kms_key_id,
    openedScanId: row.opened_scan_id,
    openedAt: row.opened_at,
    lastSeenScanId: row.last_seen_scan_id,
    lastSeenAt: row.last_seen_at,
    evidenceChangeId: toSafeInteger(row.evidence_change_id),
    resolvedScanId: row.resolved_scan_id,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
    stale: row.stale,
    exceptionId: row.exception_id,
    resource: {
      id: toSafeInteger(row.resource_id),
      kind: row.kind,
      resourceKey: row.resource_key,
      accountAlias: row.account_alias,
      region: row.region,
      name: row.name,
      parentKey: row.parent_resource_key,
    },
  };
}

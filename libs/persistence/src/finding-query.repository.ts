import type { DataSource } from 'typeorm';

import { cursorTimestampSql, keysetPage, type Page, pageSize, sortKeysetCursor } from './cursor';
import type { FindingFilter, FindingSort, FindingView } from './read-model.types';
import { addResourceScope, SqlConditions, STALE_FINDING_SQL } from './sql-conditions';
import { poolRows, toSafeInteger, withSession } from './sql';
import type { Row } from './schema/tables';

export type FindingRow = Row<'findings'> & { opened_at_text: string; severity_rank: number } & Pick<
    Row<'resources'>,
    'resource_key' | 'kind' | 'account_alias' | 'region' | 'name' | 'parent_resource_key'
  > & { stale: boolean };

/**
 * A severity's rank, info 1 to critical 5: the expression `findings_severity_rank_opened_idx` and
 * `findings_status_severity_rank_opened_idx` index (`f` is `findings`).
 */
const SEVERITY_RANK_SQL = `"finding_severity_rank"(f."severity")`;

const FINDING_COLUMNS = `f."id", f."finding_key", f."status", f."rule", f."severity", f."title", f."message",
  f."encryption_class", f."algorithm", f."kms_key_id", f."opened_scan_id", f."opened_at",
  ${cursorTimestampSql('f."opened_at"')} AS "opened_at_text", f."last_seen_scan_id", f."last_seen_at",
  f."evidence_change_id", f."resolved_scan_id", f."resolved_at", f."resolution", f."exception_id",
  r."id" AS "resource_id", r."resource_key", r."kind", r."account_alias", r."region", r."name",
  r."parent_resource_key", ${STALE_FINDING_SQL} AS "stale", ${SEVERITY_RANK_SQL} AS "severity_rank"`;

/**
 * Each sort order: its ORDER BY, the keyset condition after a cursor's values, and the cursor of a
 * page's last row. The cursor names its order, so a cursor of another order is refused.
 */
interface FindingOrder {
  readonly orderBy: string;
  after(cursor: string, param: (value: unknown) => string): string;
  cursorOf(row: FindingRow): string;
}

const BY_SEVERITY = sortKeysetCursor('severity', 'int4', 'timestamptz', 'uuid');
const BY_OPENED = sortKeysetCursor('opened', 'timestamptz', 'uuid');
const BY_NAME = sortKeysetCursor('name', 'text', 'int8', 'uuid');

const FINDING_ORDERS: Readonly<Record<FindingSort, FindingOrder>> = {
  severity: {
    orderBy: `${SEVERITY_RANK_SQL} DESC, f."opened_at" DESC, f."id" DESC`,
    after: (cursor, p) => {
      const [rank, openedAt, id] = BY_SEVERITY.decode(cursor);
      return `(${SEVERITY_RANK_SQL}, f."opened_at", f."id") < (${p(rank)}::int2, ${p(openedAt)}::timestamptz, ${p(id)}::uuid)`;
    },
    cursorOf: (row) => BY_SEVERITY.encode([row.severity_rank, row.opened_at_text, row.id]),
  },
  opened: {
    orderBy: `f."opened_at" DESC, f."id" DESC`,
    after: (cursor, p) => {
      const [openedAt, id] = BY_OPENED.decode(cursor);
      return `(f."opened_at", f."id") < (${p(openedAt)}::timestamptz, ${p(id)}::uuid)`;
    },
    cursorOf: (row) => BY_OPENED.encode([row.opened_at_text, row.id]),
  },
  name: {
    orderBy: `r."name", r."id", f."id"`,
    after: (cursor, p) => {
      const [name, resourceId, id] = BY_NAME.decode(cursor);
      return `(r."name", r."id", f."id") > (${p(name)}::text, ${p(resourceId)}::bigint, ${p(id)}::uuid)`;
    },
    cursorOf: (row) => BY_NAME.encode([row.name, toSafeInteger(row.resource_id), row.id]),
  },
};

/** Read side of findings: filtered keyset pages in one of the `FindingSort` orders. */
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
   * Findings matching `filter` in the request's order (default `opened`, newest first). Each order
   * is total (the finding id breaks ties), so a page never repeats or skips a row. Served by
   * `findings_status_opened_idx` / `findings_opened_idx` (opened),
   * `findings_status_severity_rank_opened_idx` / `findings_severity_rank_opened_idx` (severity), and
   * `resources_name_id_idx` with `findings_resource_id_idx` (name).
   */
  async list(filter: FindingFilter, request: FindingPageRequest): Promise<Page<FindingView>> {
    const statement = findingPageStatement(filter, request);
    return findingPage(
      await poolRows<FindingRow>(this.dataSource, statement.text, statement.parameters),
      statement,
    );
  }
}

export interface FindingPageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
  /** Default `opened`. */
  readonly sort?: FindingSort | undefined;
}

/** One findings page as SQL: the text, its positional parameters, the page size and order it asks for. */
export interface FindingPageStatement {
  readonly text: string;
  readonly parameters: readonly unknown[];
  readonly limit: number;
  readonly sort: FindingSort;
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
  const sort = request.sort ?? 'opened';
  const order = FINDING_ORDERS[sort];
  const conditions = new SqlConditions();
  addLifecycleConditions(conditions, filter);
  const { rules, severities, minSeverity, control } = filter;
  if (rules !== undefined) conditions.add((p) => `f."rule" = ANY(${p(rules)}::text[])`);
  if (severities !== undefined) conditions.add((p) => `f."severity" = ANY(${p(severities)}::text[])`);
  if (minSeverity !== undefined) {
    conditions.add((p) => `${SEVERITY_RANK_SQL} >= "finding_severity_rank"(${p(minSeverity)}::text)`);
  }
  if (control !== undefined) {
    conditions.add((p) => `f."rule" = ANY(${p(control.findingRules)}::text[])`);
    conditions.add((p) => `r."kind" = ANY(${p(control.resourceKinds)}::text[])`);
  }
  if (filter.resourceId !== undefined) conditions.add((p) => `f."resource_id" = ${p(filter.resourceId)}`);
  addResourceScope(
    conditions,
    {
      kinds: filter.resourceKinds,
      accounts: filter.accounts,
      accountAliases: filter.accountAliases,
      regions: filter.regions,
      namePrefix: filter.namePrefix,
    },
    'r',
  );
  if (filter.openedSince !== undefined) conditions.add((p) => `f."opened_at" >= ${p(filter.openedSince)}`);
  if (filter.resolvedSince !== undefined) {
    conditions.add((p) => `f."resolved_at" >= ${p(filter.resolvedSince)}`);
  }
  if (filter.suppressed !== undefined)
    conditions.add(
      () => `${filter.suppressed ? '' : 'NOT '}(f."status" = 'open' AND f."exception_id" IS NOT NULL)`,
    );
  if (filter.stale !== undefined) conditions.add(() => `${filter.stale ? '' : 'NOT '}(${STALE_FINDING_SQL})`);
  const { cursor } = request;
  if (cursor !== undefined) conditions.add((p) => order.after(cursor, p));
  const limitParam = conditions.param(limit + 1);
  return {
    text: `SELECT ${FINDING_COLUMNS}
         FROM "findings" f
         JOIN "resources" r ON r."id" = f."resource_id"
         ${conditions.where()}
         ORDER BY ${order.orderBy}
         LIMIT ${limitParam}`,
    parameters: conditions.parameters,
    limit,
    sort,
  };
}

/** The page the rows of a `findingPageStatement` make, with the cursor of its order. */
export function findingPage(
  rows: readonly FindingRow[],
  statement: Pick<FindingPageStatement, 'limit' | 'sort'>,
): Page<FindingView> {
  return keysetPage(rows, statement.limit, toFindingView, (last) =>
    FINDING_ORDERS[statement.sort].cursorOf(last),
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

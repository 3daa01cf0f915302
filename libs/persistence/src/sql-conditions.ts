/**
 * A WHERE clause built from the filters a request actually has, with positional parameters: a
 * list query then carries only its own conditions, and Postgres plans each shape on its indexes.
 */
export class SqlConditions {
  private readonly clauses: string[] = [];
  private readonly values: unknown[];

  /** `leading` parameters take $1..$n; conditions number theirs after them. */
  constructor(leading: readonly unknown[] = []) {
    this.values = [...leading];
  }

  /** Adds one condition; `param(value)` returns the placeholder of a new parameter. */
  add(clause: (param: (value: unknown) => string) => string): this {
    this.clauses.push(clause((value) => this.param(value)));
    return this;
  }

  /** A new parameter's placeholder, for use outside the WHERE clause (e.g. LIMIT). */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** `WHERE a AND b`, or nothing without conditions. */
  where(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`;
  }

  get parameters(): readonly unknown[] {
    return this.values;
  }
}

/**
 * The id of the latest finished scan (0 before any): a present resource it did not observe is
 * stale, shown as last observed. `max` reads the primary key backwards, never sorts.
 */
export const LATEST_FINISHED_SCAN_SQL = `coalesce((SELECT max(latest."id") FROM "scans" latest
  WHERE latest."status" <> 'running'), 0)`;

/**
 * A resource still in the audit: not found gone, and not taken out of scope by the configuration.
 * Qualified by `alias` when joined.
 */
export function presentResourceSql(alias?: string): string {
  const column = (name: string) => (alias === undefined ? `"${name}"` : `${alias}."${name}"`);
  return `${column('deleted_at')} IS NULL AND ${column('scope_left_at')} IS NULL`;
}

/** A present resource the latest finished scan did not observe (columns of `resources`, unqualified). */
export const STALE_RESOURCE_SQL = `${presentResourceSql()} AND "last_seen_scan_id" < ${LATEST_FINISHED_SCAN_SQL}`;

/** An open finding the latest finished scan did not re-check (`f` is `findings`). */
export const STALE_FINDING_SQL = `f."status" = 'open' AND f."last_seen_scan_id" < ${LATEST_FINISHED_SCAN_SQL}`;

/** Which resources a list is about: the filters findings, drift and resources share. */
export interface ResourceScope {
  readonly kind?: string | undefined;
  readonly accountAlias?: string | undefined;
  /** Any of these aliases. */
  readonly accountAliases?: readonly string[] | undefined;
  readonly region?: string | undefined;
  /** Names starting with this text, literally. */
  readonly namePrefix?: string | undefined;
}

/** Adds the scope's conditions on the `resources` columns, qualified by `alias` when joined. */
export function addResourceScope(conditions: SqlConditions, scope: ResourceScope, alias?: string): void {
  const column = (name: string) => (alias === undefined ? `"${name}"` : `${alias}."${name}"`);
  const { kind, accountAlias, accountAliases, region, namePrefix } = scope;
  if (kind !== undefined) conditions.add((p) => `${column('kind')} = ${p(kind)}`);
  if (accountAlias !== undefined) conditions.add((p) => `${column('account_alias')} = ${p(accountAlias)}`);
  if (accountAliases !== undefined) {
    conditions.add((p) => `${column('account_alias')} = ANY(${p(accountAliases)}::text[])`);
  }
  if (region !== undefined) conditions.add((p) => `${column('region')} = ${p(region)}`);
  if (namePrefix !== undefined) conditions.add((p) => `${column('name')} LIKE ${p(likePrefix(namePrefix))}`);
}

/** A LIKE pattern matching names that start with `prefix` literally (`%`, `_` and `\` escaped). */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

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
  /** Any of these kinds. */
  readonly kinds?: readonly string[] | undefined;
  /**
   * Any of these accounts, each named by its alias or by its uid (the `accounts` table knows which
   * alias a uid has).
   */
  readonly accounts?: readonly string[] | undefined;
  /** Any of these aliases, exactly (the evidence pack's `accounts`). */
  readonly accountAliases?: readonly string[] | undefined;
  /** Any of these regions. */
  readonly regions?: readonly string[] | undefined;
  /** Names starting with this text, literally. */
  readonly namePrefix?: string | undefined;
}

/** Adds the scope's conditions on the `resources` columns, qualified by `alias` when joined. */
export function addResourceScope(conditions: SqlConditions, scope: ResourceScope, alias?: string): void {
  const column = (name: string) => (alias === undefined ? `"${name}"` : `${alias}."${name}"`);
  const { kinds, accounts, accountAliases, regions, namePrefix } = scope;
  if (kinds !== undefined) conditions.add((p) => `${column('kind')} = ANY(${p(kinds)}::text[])`);
  if (accounts !== undefined) {
    // One array of aliases, read once per statement: the values themselves and the aliases of the
    // accounts whose uid is among them. The condition stays `alias = ANY(...)`, which indexes serve.
    conditions.add((p) => {
      const named = p(accounts);
      return `${column('account_alias')} = ANY(ARRAY(SELECT account."alias" FROM "accounts" account
        WHERE account."account_id" = ANY(${named}::text[])) || ${named}::text[])`;
    });
  }
  if (accountAliases !== undefined) {
    conditions.add((p) => `${column('account_alias')} = ANY(${p(accountAliases)}::text[])`);
  }
  if (regions !== undefined) conditions.add((p) => `${column('region')} = ANY(${p(regions)}::text[])`);
  if (namePrefix !== undefined) conditions.add((p) => `${column('name')} LIKE ${p(likePrefix(namePrefix))}`);
}

/** A one-value list, or nothing: a single-valued filter as a `ResourceScope` list. */
export function oneOf<Value>(value: Value | undefined): readonly Value[] | undefined {
  return value === undefined ? undefined : [value];
}

/** A LIKE pattern matching names that start with `prefix` literally (`%`, `_` and `\` escaped). */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * The fleet as it stood at an instant (`at` is the placeholder of that instant), for `FROM "resources" r`:
 * `oc` is the observation valid then (from the change log: a resource without one by then is not
 * listed), `presence` its latest appearance or disappearance by then, `latest` the last scan finished
 * by then. Resources that left the scope keep `scope_left_at`, compared with the instant.
 */
export function fleetAtJoins(at: string): string {
  return `JOIN LATERAL (
      SELECT c."id", c."scan_id", c."observed_at", c."encryption_class", c."algorithm", c."kms_key_id",
        c."kms_data_encryption", c."error_code", c."key_facts"
      FROM "observation_changes" c
      WHERE c."resource_id" = r."id" AND c."observed_at" <= ${at}
      ORDER BY c."observed_at" DESC, c."id" DESC
      LIMIT 1) oc ON true
    LEFT JOIN LATERAL (
      SELECT d."kind", d."detected_at", d."scan_id"
      FROM "drift_events" d
      WHERE d."resource_id" = r."id" AND d."detected_at" <= ${at} AND d."kind" IN ('appeared', 'disappeared')
      ORDER BY d."detected_at" DESC, d."id" DESC
      LIMIT 1) presence ON true
    CROSS JOIN (SELECT coalesce(max(s."id"), 0) AS "id" FROM "scans" s
      WHERE s."status" <> 'running' AND s."finished_at" <= ${at}) latest`;
}

/** Gone at the instant of `fleetAtJoins`: its latest presence change by then was a disappearance. */
export const GONE_AT_SQL = `presence."kind" = 'disappeared'`;
/** Out of the configuration's scope at the instant of `fleetAtJoins` (`at` its placeholder). */
export function outOfScopeAtSql(at: string): string {
  return `r."scope_left_at" <= ${at}`;
}
/** Present at the instant of `fleetAtJoins` and not observed by the last scan finished by then. */
export const STALE_AT_SQL = `NOT EXISTS (SELECT 1 FROM "scan_observations" so
  WHERE so."scan_id" = latest."id" AND so."resource_id" = r."id")`;

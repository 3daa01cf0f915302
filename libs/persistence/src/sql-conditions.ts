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

/** A LIKE pattern matching names that start with `prefix` literally (`%`, `_` and `\` escaped). */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

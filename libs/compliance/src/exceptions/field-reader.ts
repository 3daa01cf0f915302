/** One problem with one field of an input, by its path (`scope.namePatterns[0]`, `exceptions[2].expiresAt`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** A validated value, or every problem found (never only the first). */
export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

type Fields = Readonly<Record<string, unknown>>;

// ISO 8601 with a zone (`2025-06-30T00:00:00Z`, `...+08:00`), or a date alone (midnight UTC of that day).
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/**
 * Reads the fields of one input object, collecting problems instead of stopping at the first. Every reader
 * returns null for a field that is wrong or missing (and records why), so callers can go on checking the rest.
 */
export class FieldReader {
  readonly problems: FieldProblem[];

  constructor(
    private readonly prefix: string,
    problems: FieldProblem[] = [],
  ) {
    this.problems = problems;
  }

  /** The reader of a nested object, sharing the problem list. */
  nested(field: string): FieldReader {
    return new FieldReader(this.path(field), this.problems);
  }

  path(field: string): string {
    return this.prefix === '' ? field : `${this.prefix}.${field}`;
  }

  problem(field: string, message: string): null {
    this.problems.push({ field: this.path(field), message });
    return null;
  }

  /** A plain object whose keys are all allowed; null (with a problem) otherwise. */
  object(value: unknown, field: string, allowed: readonly string[]): Fields | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
      return this.problem(field, 'must be an object');
    }
    const fields = value as Fields;
    const prefix = field === '' ? this : this.nested(field);
    for (const key of Object.keys(fields)) {
      if (!allowed.includes(key))
        prefix.problem(key, `is not a known field (expected ${allowed.join(', ')})`);
    }
    return fields;
  }

  /** A trimmed string of `min`..`max` characters without control characters. */
  text(fields: Fields, field: string, limits: { readonly min: number; readonly max: number }): string | null {
    const value = fields[field];
    if (value === undefined || value === null) return this.problem(field, 'is required');
    if (typeof value !== 'string') return this.problem(field, 'must be a string');
    const text = value.trim();
    if (text.length < limits.min) {
      return this.problem(
        field,
        limits.min <= 1 ? 'must not be empty' : `must be at least ${limits.min} characters`,
      );
    }
    if (text.length > limits.max) return this.problem(field, `must be at most ${limits.max} characters`);
    if (CONTROL_CHARACTERS.test(text)) return this.problem(field, 'must not contain control characters');
    return text;
  }

  /** A string matching `pattern`, or null when absent and `optional`. */
  matching(
    fields: Fields,
    field: string,
    pattern: RegExp,
    expected: string,
    optional = false,
  ): string | null {
    const value = fields[field];
    if ((value === undefined || value === null) && optional) return null;
    if (typeof value !== 'string' || !pattern.test(value)) return this.problem(field, `must be ${expected}`);
    return value;
  }

  /** One of `values`, or null when absent and `optional`. */
  oneOf<T extends string>(fields: Fields, field: string, values: readonly T[], optional = false): T | null {
    const value = fields[field];
    if ((value === undefined || value === null) && optional) return null;
    const match = values.find((candidate) => candidate === value);
    return match ?? this.problem(field, `must be one of ${values.join(', ')}`);
  }

  /** An http(s) URL with a host. */
  url(fields: Fields, field: string): string | null {
    const text = this.text(fields, field, { min: 1, max: 2048 });
    if (text === null) return null;
    if (!URL.canParse(text)) return this.problem(field, 'must be a URL');
    const url = new URL(text);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
      return this.problem(field, 'must be an http or https URL with a host');
    }
    return text;
  }

  /** A Date, or an ISO 8601 instant with a zone, or a date alone (midnight UTC). */
  instant(fields: Fields, field: string, optional = false): Date | null {
    const value = fields[field];
    if ((value === undefined || value === null) && optional) return null;
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    if (typeof value === 'string' && INSTANT.test(value)) {
      const parsed = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
      if (!Number.isNaN(parsed.getTime())) return parsed;
    }
    return this.problem(
      field,
      'must be an ISO 8601 instant with a time zone (2025-06-30T00:00:00Z) or a date',
    );
  }

  /** A list of distinct strings (absent: empty), each checked by `item` (null: refused, with a problem). */
  list(
    fields: Fields,
    field: string,
    item: (value: unknown, path: string) => string | null,
    limits: { readonly max: number },
  ): string[] | null {
    const value = fields[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return this.problem(field, 'must be a list');
    if (value.length > limits.max) return this.problem(field, `must have at most ${limits.max} entries`);
    const items: string[] = [];
    let valid = true;
    for (const [index, entry] of (value as unknown[]).entries()) {
      const read = item(entry, `${field}[${index}]`);
      if (read === null) {
        valid = false;
      } else if (items.includes(read)) {
        valid = false;
        this.problem(`${field}[${index}]`, `repeats "${read}"`);
      } else {
        items.push(read);
      }
    }
    return valid ? items : null;
  }
}

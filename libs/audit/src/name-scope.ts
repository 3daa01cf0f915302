/**
 * Which resource names an account's audit covers: glob patterns where `*` matches any run of
 * characters and `?` exactly one; everything else is literal. An empty `include` covers every name;
 * `exclude` wins over `include`.
 */
export interface NameScope {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** Compiles one glob pattern into an anchored regular expression. */
export function compileNamePattern(pattern: string): RegExp {
  const body = Array.from(pattern, (char) => {
    if (char === '*') {
      return '.*';
    }
    return char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }).join('');
  return new RegExp(`^${body}$`, 'su');
}

/**
 * Compiles a scope once into a predicate: true when a name is matched by an include pattern (or
 * there is no include at all) and by no exclude pattern.
 */
export function compileNameScope(scope: NameScope): (name: string) => boolean {
  const include = scope.include.map(compileNamePattern);
  const exclude = scope.exclude.map(compileNamePattern);
  return (name) =>
    (include.length === 0 || include.some((pattern) => pattern.test(name))) &&
    !exclude.some((pattern) => pattern.test(name));
}

/**
 * The one-line-per-problem report of an entry point that could not do its work: `{program}
 * failed: {message}`, never a stack. The libraries' errors carry what the reader must know in
 * their message (a `ConfigError` lists every wrong key by path), and a stack or an error object's
 * fields could carry what must not be printed (a connection string, a secret's value).
 */
export function failureReport(program: string, error: unknown): string {
  return `${program} failed: ${errorMessage(error).trimEnd()}\n`;
}

/**
 * An error's message. Duck-typed: errors from another realm (Node's own, seen from a jest sandbox)
 * are not `instanceof Error`.
 */
export function errorMessage(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string'
  ) {
    return error.message;
  }
  return String(error);
}

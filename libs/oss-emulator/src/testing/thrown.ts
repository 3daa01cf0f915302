/** The `code` of what `action` throws; undefined when it throws nothing or an error without a code. */
export function thrownCode(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

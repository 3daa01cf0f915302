/** Jest's asymmetric matchers typed as `unknown` (they are `any`, which strict lint refuses to assign). */
export const anyNumber = expect.any(Number) as unknown;
export const anyString = expect.any(String) as unknown;

export function containing(text: string): unknown {
  return expect.stringContaining(text) as unknown;
}

export function objectLike(fields: Record<string, unknown>): unknown {
  return expect.objectContaining(fields) as unknown;
}

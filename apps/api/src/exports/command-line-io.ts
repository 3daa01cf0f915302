import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { z } from 'zod';

/** `namePrefix` as the command line spells it: `--name-prefix`. */
export function optionName(parameter: PropertyKey): string {
  return `--${String(parameter).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * Validates command-line values with the API's query schema (the same rules, the same messages),
 * the first problem named by its option. Returns the parsed query, or the problem's text.
 */
export function parseWithQuerySchema<Schema extends z.ZodType>(
  schema: Schema,
  values: Record<string, unknown>,
): { ok: true; query: z.output<Schema> } | { ok: false; problem: string } {
  const defined = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
  const result = schema.safeParse(defined);
  if (result.success) return { ok: true, query: result.data };
  const [issue] = result.error.issues;
  if (issue === undefined) return { ok: false, problem: 'invalid options' };
  const [parameter] = issue.path;
  return {
    ok: false,
    problem: parameter === undefined ? issue.message : `${optionName(parameter)} ${issue.message}`,
  };
}

/**
 * Writes `source` to `<out>.partial`, renamed to `out` once complete: a failed export or pack leaves
 * no file that looks whole.
 */
export async function writeWhole(source: Readable, out: string): Promise<void> {
  const partial = `${out}.partial`;
  try {
    await pipeline(source, createWriteStream(partial));
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

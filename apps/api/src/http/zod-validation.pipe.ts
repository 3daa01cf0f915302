import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

import { ApiError } from '../errors/api-error';

/**
 * Validates a route's query or path parameters against a zod schema and returns the parsed value.
 * The first problem becomes a 400 naming its parameter; parameters the route does not know are
 * refused too (a misspelt filter must not silently widen the result).
 */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(value: unknown): z.output<Schema> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) {
      return result.data;
    }
    throw toInvalidParameter(result.error.issues);
  }
}

/** Longest name of an unknown parameter repeated in the answer: a client may send kilobytes of one. */
const MAX_ECHOED_NAME = 64;

function toInvalidParameter(issues: readonly z.core.$ZodIssue[]): ApiError {
  const [issue] = issues;
  if (issue === undefined) {
    return ApiError.invalidParameter('(unknown)', 'Invalid parameters');
  }
  if (issue.code === 'unrecognized_keys') {
    const [key = '(unknown)'] = issue.keys;
    const named = key.length > MAX_ECHOED_NAME ? `${key.slice(0, MAX_ECHOED_NAME)}…` : key;
    return ApiError.invalidParameter(named, `${named} is not a parameter of this route`);
  }
  const parameter = issue.path.length === 0 ? '(unknown)' : String(issue.path[0]);
  return ApiError.invalidParameter(parameter, `${parameter} ${issue.message}`);
}

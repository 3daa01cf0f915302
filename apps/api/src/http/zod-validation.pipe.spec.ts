import { z } from 'zod';

import { ApiError } from '../errors/api-error';
import { instantParameter, PAGE_PARAMETERS, textParameter } from './parameters';
import { ZodValidationPipe } from './zod-validation.pipe';

const QUERY = z.strictObject({
  since: instantParameter('since').optional(),
  name: textParameter('name').optional(),
  ...PAGE_PARAMETERS,
});
const pipe = new ZodValidationPipe(QUERY);

function refusal(value: unknown): ApiError {
  try {
    pipe.transform(value);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('The pipe accepted the value');
}

describe('ZodValidationPipe', () => {
  it('returns the parsed parameters with their defaults', () => {
    expect(pipe.transform({ since: '2026-03-05' })).toEqual({
      since: new Date('2026-03-05T00:00:00Z'),
      limit: 50,
    });
    expect(pipe.transform({ limit: '500', cursor: 'abc' })).toEqual({ limit: 500, cursor: 'abc' });
  });

  it('treats an absent query as empty', () => {
    expect(pipe.transform(undefined)).toEqual({ limit: 50 });
  });

  it('names the parameter that failed, with the rule it broke', () => {
    expect(refusal({ limit: '0' })).toMatchObject({
      code: 'invalid_parameter',
      parameter: 'limit',
      message: 'limit must be an integer from 1 to 500',
    });
  });

  it('names a parameter the route does not have', () => {
    expect(refusal({ limt: '5' })).toMatchObject({
      parameter: 'limt',
      message: 'limt is not a parameter of this route',
    });
  });

  it('repeats at most 64 characters of an unknown parameter’s name', () => {
    expect(refusal({ ['x'.repeat(10_000)]: '1' })).toMatchObject({
      parameter: `${'x'.repeat(64)}…`,
      message: `${'x'.repeat(64)}… is not a parameter of this route`,
    });
  });

  it('refuses a repeated parameter', () => {
    expect(refusal({ cursor: ['a', 'b'] }).parameter).toBe('cursor');
  });

  it('refuses an instant without an offset', () => {
    expect(refusal({ since: '2026-03-05T02:00:00' }).parameter).toBe('since');
  });

  it.each(['a\u0000b', '\u0000', 'tab\there', 'line\nbreak', 'esc\u001b[31m', 'del\u007f', 'nel\u0085'])(
    'refuses the control characters of %j in a text parameter',
    (name) => {
      expect(refusal({ name })).toMatchObject({
        parameter: 'name',
        message: 'name must not contain control characters',
      });
    },
  );

  it('accepts unicode text without control characters', () => {
    expect(pipe.transform({ name: '数据-ß 💾' })).toMatchObject({ name: '数据-ß 💾' });
  });
});

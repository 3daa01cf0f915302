import { z } from 'zod';

import { ApiError } from '../errors/api-error';
import { enumListParameter, textListParameter } from './parameters';
import { ZodValidationPipe } from './zod-validation.pipe';

const QUERY = z.strictObject({
  rule: enumListParameter(['unencrypted', 'non_kms', 'unverifiable'], 'Finding rule').optional(),
  account: textListParameter('Account alias or uid').optional(),
});

const pipe = new ZodValidationPipe(QUERY);

function refusal(query: Record<string, unknown>): { parameter: string | undefined; message: string } {
  try {
    pipe.transform(query);
  } catch (error) {
    if (error instanceof ApiError) return { parameter: error.parameter, message: error.message };
    throw error;
  }
  throw new Error('the query was accepted');
}

describe('list parameters', () => {
  it('read one value as a list of one', () => {
    expect(pipe.transform({ rule: 'non_kms' })).toEqual({ rule: ['non_kms'] });
  });

  it('read comma-separated values in the order given, each once', () => {
    expect(pipe.transform({ rule: 'unverifiable,non_kms,unverifiable' })).toEqual({
      rule: ['unverifiable', 'non_kms'],
    });
    expect(pipe.transform({ account: 'prod,1234567890' })).toEqual({ account: ['prod', '1234567890'] });
  });

  it('refuse a value outside the closed list, naming the parameter and the value', () => {
    expect(refusal({ rule: 'non_kms,plaintext' })).toEqual({
      parameter: 'rule',
      message: 'rule value "plaintext" is not one of unencrypted, non_kms, unverifiable',
    });
  });

  it('refuse an empty value between commas', () => {
    expect(refusal({ rule: 'non_kms,' }).message).toContain('rule value ""');
    expect(refusal({ account: 'prod,,dev' })).toEqual({
      parameter: 'account',
      message: 'account value "" must not be empty',
    });
  });

  it('refuse control characters in a value without repeating the value', () => {
    expect(refusal({ account: 'prod,de\u0000v' })).toEqual({
      parameter: 'account',
      message: 'account must not contain control characters',
    });
    expect(refusal({ rule: 'non_kms,\u001b[31m' })).toEqual({
      parameter: 'rule',
      message: 'rule is not one of unencrypted, non_kms, unverifiable',
    });
  });

  it('refuse the parameter given twice (two lists) rather than guess which one counts', () => {
    expect(refusal({ rule: ['non_kms', 'unencrypted'] })).toEqual({
      parameter: 'rule',
      message: 'rule must be a single comma-separated list',
    });
  });

  it('shorten a long refused value in the message', () => {
    const { message } = refusal({ rule: 'x'.repeat(500) });
    expect(message).toContain(`"${'x'.repeat(64)}…"`);
    expect(message.length).toBeLessThan(200);
  });

  it('refuse more values than any list needs', () => {
    expect(refusal({ account: Array.from({ length: 51 }, (_, index) => `a${index}`).join(',') })).toEqual({
      parameter: 'account',
      message: 'account must list at most 50 values',
    });
  });

  it('are documented as one string (what travels), with the values a closed list takes', () => {
    const schema = z.toJSONSchema(QUERY, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as {
      properties: Record<string, { type: string; description: string }>;
    };
    expect(schema.properties.rule).toMatchObject({ type: 'string' });
    expect(schema.properties.rule?.description).toContain('unencrypted, non_kms, unverifiable');
    expect(schema.properties.rule?.description).toContain('comma-separated');
  });
});

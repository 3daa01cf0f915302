import { FINDING_RULES, SEVERITIES } from '@app/audit';
import { z } from 'zod';

import { Secret } from './secret';

/** The environment the loader resolves secrets and fallbacks from. */
export type ConfigEnvironment = Readonly<Record<string, string | undefined>>;

export const alias = z.string().regex(/^[a-z0-9-]{1,63}$/, 'must be 1-63 lowercase letters, digits or "-"');

export const regionId = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'must be a region id of lowercase letters, digits and "-" (e.g. cn-hangzhou)')
  .refine((region) => !region.startsWith('oss-'), {
    message: 'use the region id (e.g. cn-hangzhou), not the OSS region name (oss-cn-hangzhou)',
  });

export const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    'must be 3-63 lowercase letters, digits or "-", not starting or ending with "-"',
  );

export const namePattern = z
  .string()
  .regex(/^[a-z0-9*?-]+$/, 'must be a name glob of lowercase letters, digits, "-", "*" and "?"');

// Upper case only: an AccessKey secret or token pasted here by mistake is mixed-case (or has
// symbols), so it is refused without its value being quoted back in any message.
export const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'is not an environment variable name (value hidden): use [A-Z_][A-Z0-9_]*');

export const roleArn = z
  .string()
  .regex(/^acs:ram::[0-9]+:role\/\S+$/, 'must be a RAM role ARN acs:ram::{uid}:role/{name}');

export const oidcProviderArn = z
  .string()
  .regex(
    /^acs:ram::[0-9]+:oidc-provider\/\S+$/,
    'must be an OIDC provider ARN acs:ram::{uid}:oidc-provider/{name}',
  );

// STS AssumeRole limits: session name 2-64 of [\w.@-], duration 900 s to 12 h.
export const roleSessionName = z
  .string()
  .regex(/^[A-Za-z0-9._@-]{2,64}$/, 'must be 2-64 letters, digits or ".", "_", "@", "-"');
export const roleDurationSeconds = z.number().int().min(900).max(43_200);

export const severity = z.enum(SEVERITIES);
export const findingRule = z.enum(FINDING_RULES);

export function positiveInt(defaultValue: number, max: number) {
  return z.number().int().min(1).max(max).default(defaultValue);
}

export function unique<T>(item: z.ZodType<T>, keyOf: (value: T) => string, what: string) {
  return z.array(item).superRefine((values, ctx) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      const key = keyOf(value);
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [index], message: `${what} "${key}" is listed twice` });
      }
      seen.add(key);
    });
  });
}

/** The message of an issue for an environment variable that is absent or empty. */
export function missingVariable(name: string): string {
  return `environment variable ${name} is not set`;
}

/** Field schemas that take the name of an environment variable and resolve its value. */
export function environmentFields(env: ConfigEnvironment) {
  const plainFromEnv = envVarName.transform((name, ctx) => {
    const value = env[name];
    if (value === undefined || value === '') {
      ctx.issues.push({ code: 'custom', message: missingVariable(name), input: name });
      return z.NEVER;
    }
    return value;
  });
  return { plainFromEnv, secretFromEnv: plainFromEnv.transform((value) => new Secret(value)) };
}

/** An environment value, with empty meaning absent. */
export function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

import { z } from 'zod';

import type { AccessKeyMaterial } from './audit-config.types';
import {
  environmentFields,
  nonEmpty,
  oidcProviderArn,
  roleArn,
  roleDurationSeconds,
  roleSessionName,
  type ConfigEnvironment,
} from './schema-primitives';
import type { Secret } from './secret';

const DEFAULT_ROLE_SESSION_NAME = 'seed-auditor';
const DEFAULT_ROLE_DURATION_SECONDS = 3600;

/** The `credentials` of an account, discriminated by `type`, resolved against the environment. */
export function credentialsSchema(env: ConfigEnvironment) {
  const { plainFromEnv, secretFromEnv } = environmentFields(env);

  const accessKeyFields = {
    accessKeyIdEnv: plainFromEnv,
    accessKeySecretEnv: secretFromEnv,
    securityTokenEnv: secretFromEnv.optional(),
  };
  const accessKeyMaterial = (fields: {
    accessKeyIdEnv: string;
    accessKeySecretEnv: Secret;
    securityTokenEnv?: Secret | undefined;
  }): AccessKeyMaterial => ({
    accessKeyId: fields.accessKeyIdEnv,
    accessKeySecret: fields.accessKeySecretEnv,
    securityToken: fields.securityTokenEnv ?? null,
  });

  // A value written in the file, else the standard ALIBABA_CLOUD_* variable; validated either way.
  function fileOrEnv(
    value: string | undefined,
    variable: string,
    schema: z.ZodType<string>,
    key: string,
    ctx: z.RefinementCtx,
  ): string | null {
    if (value !== undefined) {
      return value;
    }
    const fromEnv = env[variable];
    if (fromEnv === undefined || fromEnv === '') {
      ctx.addIssue({ code: 'custom', path: [key], message: `is required here or in ${variable}` });
      return null;
    }
    const checked = schema.safeParse(fromEnv);
    if (!checked.success) {
      const reason = checked.error.issues[0]?.message ?? 'is invalid';
      ctx.addIssue({ code: 'custom', path: [key], message: `the value of ${variable} ${reason}` });
      return null;
    }
    return checked.data;
  }

  return z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('access_key'), ...accessKeyFields }).transform((fields) => ({
      type: 'access_key' as const,
      ...accessKeyMaterial(fields),
    })),
    z
      .strictObject({
        type: z.literal('ram_role_arn'),
        ...accessKeyFields,
        roleArn,
        roleSessionName: roleSessionName.default(DEFAULT_ROLE_SESSION_NAME),
        durationSeconds: roleDurationSeconds.default(DEFAULT_ROLE_DURATION_SECONDS),
        externalId: z.string().min(1).optional(),
      })
      .transform((fields) => ({
        type: 'ram_role_arn' as const,
        source: accessKeyMaterial(fields),
        roleArn: fields.roleArn,
        roleSessionName: fields.roleSessionName,
        durationSeconds: fields.durationSeconds,
        externalId: fields.externalId ?? null,
      })),
    z
      .strictObject({ type: z.literal('ecs_ram_role'), roleName: z.string().min(1).optional() })
      .transform((fields) => ({ type: 'ecs_ram_role' as const, roleName: fields.roleName ?? null })),
    z
      .strictObject({
        type: z.literal('oidc_role_arn'),
        roleArn: roleArn.optional(),
        oidcProviderArn: oidcProviderArn.optional(),
        oidcTokenFilePath: z.string().min(1).optional(),
        roleSessionName: roleSessionName.optional(),
        durationSeconds: roleDurationSeconds.default(DEFAULT_ROLE_DURATION_SECONDS),
      })
      .transform((fields, ctx) => {
        const resolved = {
          roleArn: fileOrEnv(fields.roleArn, 'ALIBABA_CLOUD_ROLE_ARN', roleArn, 'roleArn', ctx),
          oidcProviderArn: fileOrEnv(
            fields.oidcProviderArn,
            'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
            oidcProviderArn,
            'oidcProviderArn',
            ctx,
          ),
          oidcTokenFilePath: fileOrEnv(
            fields.oidcTokenFilePath,
            'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
            z.string(),
            'oidcTokenFilePath',
            ctx,
          ),
        };
        const sessionFromEnv = env.ALIBABA_CLOUD_ROLE_SESSION_NAME;
        const session = fields.roleSessionName ?? (sessionFromEnv === '' ? undefined : sessionFromEnv);
        const sessionChecked = roleSessionName.safeParse(session ?? DEFAULT_ROLE_SESSION_NAME);
        if (!sessionChecked.success) {
          ctx.addIssue({
            code: 'custom',
            path: ['roleSessionName'],
            message:
              'the value of ALIBABA_CLOUD_ROLE_SESSION_NAME must be 2-64 letters, digits or ".", "_", "@", "-"',
          });
        }
        if (
          resolved.roleArn === null ||
          resolved.oidcProviderArn === null ||
          resolved.oidcTokenFilePath === null ||
          !sessionChecked.success
        ) {
          return z.NEVER;
        }
        return {
          type: 'oidc_role_arn' as const,
          roleArn: resolved.roleArn,
          oidcProviderArn: resolved.oidcProviderArn,
          oidcTokenFilePath: resolved.oidcTokenFilePath,
          roleSessionName: sessionChecked.data,
          durationSeconds: fields.durationSeconds,
        };
      }),
    z
      .strictObject({
        type: z.literal('profile'),
        profileName: z.string().min(1).optional(),
      })
      .transform((fields) => ({
        type: 'profile' as const,
        profileName: fields.profileName ?? nonEmpty(env.ALIBABA_CLOUD_PROFILE),
      })),
    z.strictObject({ type: z.literal('default_chain') }),
  ]);
}

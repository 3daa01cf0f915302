import type { FindingRule, Severity } from '@app/audit';
import { z } from 'zod';

import {
  alias,
  environmentFields,
  findingRule,
  severity,
  unique,
  type ConfigEnvironment,
} from './schema-primitives';
import type { Secret } from './secret';

/** The `alerts` section: channels resolved against the environment. */
export function alertsSchema(env: ConfigEnvironment) {
  const { secretFromEnv } = environmentFields(env);

  const routing = {
    name: z.string().regex(/^[a-z0-9-]{1,63}$/, 'must be 1-63 lowercase letters, digits or "-"'),
    minSeverity: severity.default('high'),
    rules: unique(findingRule, (r) => r, 'rule')
      .min(1)
      .optional(),
    accounts: unique(alias, (a) => a, 'account')
      .min(1)
      .optional(),
    includeNonKms: z.boolean().default(false),
    allowInsecureHttp: z.boolean().default(false),
  };
  const routingOf = (value: {
    name: string;
    minSeverity: Severity;
    rules?: readonly FindingRule[] | undefined;
    accounts?: readonly string[] | undefined;
    includeNonKms: boolean;
    allowInsecureHttp: boolean;
  }) => ({
    name: value.name,
    minSeverity: value.minSeverity,
    rules: value.rules ?? null,
    accounts: value.accounts ?? null,
    includeNonKms: value.includeNonKms,
    allowInsecureHttp: value.allowInsecureHttp,
  });
  const checkChannelUrl =
    (requireAccessToken: boolean) =>
    (value: { urlEnv: Secret; allowInsecureHttp: boolean }, ctx: z.RefinementCtx): void => {
      const problem = channelUrlProblem(value.urlEnv, value.allowInsecureHttp, requireAccessToken);
      if (problem !== null) {
        ctx.addIssue({ code: 'custom', path: ['urlEnv'], message: problem });
      }
    };

  const channel = z.discriminatedUnion('type', [
    z
      .strictObject({
        type: z.literal('webhook'),
        ...routing,
        urlEnv: secretFromEnv,
        secretEnv: secretFromEnv,
      })
      .superRefine(checkChannelUrl(false))
      .transform((value) => ({
        type: 'webhook' as const,
        ...routingOf(value),
        url: value.urlEnv,
        secret: value.secretEnv,
      })),
    z
      .strictObject({
        type: z.literal('dingtalk'),
        ...routing,
        urlEnv: secretFromEnv,
        secretEnv: secretFromEnv.optional(),
      })
      .superRefine(checkChannelUrl(true))
      .transform((value) => ({
        type: 'dingtalk' as const,
        ...routingOf(value),
        url: value.urlEnv,
        secret: value.secretEnv ?? null,
      })),
    z
      .strictObject({ type: z.literal('slack'), ...routing, urlEnv: secretFromEnv })
      .superRefine(checkChannelUrl(false))
      .transform((value) => ({ type: 'slack' as const, ...routingOf(value), url: value.urlEnv })),
  ]);

  return z.strictObject({ channels: z.array(channel).default([]) }).prefault({});
}

// Never echoes the URL: it carries the token that lets anyone post to the channel.
function channelUrlProblem(
  url: Secret,
  allowInsecureHttp: boolean,
  requireAccessToken: boolean,
): string | null {
  const text = url.reveal();
  if (!URL.canParse(text)) {
    return 'the variable must hold a URL';
  }
  const parsed = new URL(text);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && allowInsecureHttp)) {
    return 'the URL must be https (http only with allowInsecureHttp: true, for a local receiver in tests)';
  }
  if (requireAccessToken && (parsed.searchParams.get('access_token') ?? '') === '') {
    return 'the DingTalk robot URL must carry its access_token query parameter';
  }
  return null;
}

import type { ClientOptions } from './client-options';
import type { BucketAddressing } from './endpoints';
import { OssClient } from './oss-client';
import { OssTablesClient } from './oss-tables-client';
import type { SignatureVersion } from './request-executor';
import { AccountRateLimiter, AccountRateLimiterOptions } from './resilience/account-rate-limiter';
import { RetryBudget, RetryBudgetOptions } from './resilience/retry-budget';
import { createOssDispatcher } from './transport/dispatcher';

export interface AccountClientsOptions extends Omit<
  ClientOptions,
  'rateLimiter' | 'retryBudget' | 'endpointOverride'
> {
  /** Where each product connects instead of its service host (see `EndpointOptions`). */
  readonly endpointOverrides?: { readonly oss?: string; readonly tables?: string };
  readonly listBucketsRegion: string;
  readonly addressing?: BucketAddressing;
  readonly signatureVersion?: SignatureVersion;
  readonly rateLimit?: AccountRateLimiterOptions;
  readonly retryBudgetOptions?: RetryBudgetOptions;
}

/** Both clients of one account, sharing its rate limiter and retry budget. */
export interface AccountClients {
  readonly oss: OssClient;
  readonly tables: OssTablesClient;
  readonly rateLimiter: AccountRateLimiter;
  readonly retryBudget: RetryBudget;
  /** Closes the dispatcher created here (an injected one stays open). */
  close(): Promise<void>;
}

/**
 * Builds the OSS and OSS Tables clients of one account around one {@link AccountRateLimiter} and
 * one {@link RetryBudget}, so both products draw on the same per-account limits and a throttled
 * account slows only itself. Without an injected dispatcher the two share a new default agent.
 */
export function createAccountClients(options: AccountClientsOptions): AccountClients {
  const rateLimiter = new AccountRateLimiter({
    now: options.now,
    sleep: options.sleep,
    ...options.rateLimit,
  });
  const retryBudget = new RetryBudget(options.retryBudgetOptions);
  const dispatcher = options.dispatcher ?? createOssDispatcher();
  const { endpointOverrides, ...rest } = options;
  const shared = { ...rest, dispatcher, rateLimiter, retryBudget };
  const override = (origin: string | undefined) => (origin === undefined ? {} : { endpointOverride: origin });
  return {
    oss: new OssClient({ ...shared, ...override(endpointOverrides?.oss) }),
    tables: new OssTablesClient({ ...shared, ...override(endpointOverrides?.tables) }),
    rateLimiter,
    retryBudget,
    close: async () => {
      if (options.dispatcher === undefined) await dispatcher.close();
    },
  };
}

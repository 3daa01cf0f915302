import type { ClientOptions } from './client-options';
import type { BucketAddressing } from './endpoints';
import { KmsClient } from './kms-client';
import { OssClient } from './oss-client';
import { OssTablesClient } from './oss-tables-client';
import type { SignatureVersion } from './request-executor';
import { AccountRateLimiter, AccountRateLimiterOptions } from './resilience/account-rate-limiter';
import { ClockOffset } from './resilience/clock-offset';
import { RetryBudget, RetryBudgetOptions } from './resilience/retry-budget';
import { createOssDispatcher } from './transport/dispatcher';

export interface AccountClientsOptions extends Omit<
  ClientOptions,
  'rateLimiter' | 'retryBudget' | 'clockOffset' | 'endpointOverride'
> {
  /** Where each product connects instead of its service host (see `EndpointOptions`). */
  readonly endpointOverrides?: { readonly oss?: string; readonly tables?: string; readonly kms?: string };
  readonly listBucketsRegion: string;
  readonly addressing?: BucketAddressing;
  readonly signatureVersion?: SignatureVersion;
  readonly rateLimit?: AccountRateLimiterOptions;
  readonly retryBudgetOptions?: RetryBudgetOptions;
}

/** The clients of one account, sharing its rate limiter, retry budget and clock offset. */
export interface AccountClients {
  readonly oss: OssClient;
  readonly tables: OssTablesClient;
  readonly kms: KmsClient;
  readonly rateLimiter: AccountRateLimiter;
  readonly retryBudget: RetryBudget;
  /** Learned once from any product's clock-skew answer, applied by every client of the account. */
  readonly clockOffset: ClockOffset;
  /** Closes the dispatcher created here (an injected one stays open). */
  close(): Promise<void>;
}

/**
 * Builds the OSS, OSS Tables and KMS clients of one account around one {@link AccountRateLimiter},
 * one {@link RetryBudget} and one {@link ClockOffset}, so every product draws on the same
 * per-account limits, a throttled account slows only itself, and a clock skew learned by one
 * product is not learned again by the others. Without an injected dispatcher they share a new
 * default agent.
 */
export function createAccountClients(options: AccountClientsOptions): AccountClients {
  const rateLimiter = new AccountRateLimiter({
    now: options.now,
    sleep: options.sleep,
    ...options.rateLimit,
  });
  const retryBudget = new RetryBudget({ now: options.now, ...options.retryBudgetOptions });
  const clockOffset = new ClockOffset();
  const dispatcher = options.dispatcher ?? createOssDispatcher();
  const { endpointOverrides, ...rest } = options;
  const shared = { ...rest, dispatcher, rateLimiter, retryBudget, clockOffset };
  const override = (origin: string | undefined) => (origin === undefined ? {} : { endpointOverride: origin });
  return {
    oss: new OssClient({ ...shared, ...override(endpointOverrides?.oss) }),
    tables: new OssTablesClient({ ...shared, ...override(endpointOverrides?.tables) }),
    kms: new KmsClient({ ...shared, ...override(endpointOverrides?.kms) }),
    rateLimiter,
    retryBudget,
    clockOffset,
    close: async () => {
      if (options.dispatcher === undefined) await dispatcher.close();
    },
  };
}

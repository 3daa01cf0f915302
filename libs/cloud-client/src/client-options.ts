import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

import type { Dispatcher } from 'undici';

import type { CredentialSource } from './credentials/credential-source';
import type { EndpointOptions } from './endpoints';
import { OssArgumentError } from './errors';
import { RequestExecutor, RetryPolicy, SignatureVersion } from './request-executor';
import { AccountRateLimiter } from './resilience/account-rate-limiter';
import { DEFAULT_BACKOFF } from './resilience/backoff';
import { ClockOffset } from './resilience/clock-offset';
import { RetryBudget } from './resilience/retry-budget';
import { createOssDispatcher } from './transport/dispatcher';

/** Options shared by {@link OssClient}, {@link OssTablesClient} and {@link KmsClient}; one set per account. */
export interface ClientOptions extends EndpointOptions {
  readonly credentials: CredentialSource;
  /**
   * Every request goes through this dispatcher. Default: a private {@link createOssDispatcher}
   * agent, closed by `close()`. An injected one is never closed by the client.
   */
  readonly dispatcher?: Dispatcher;
  /** The account's limiter; pass the same instance to both clients of an account. */
  readonly rateLimiter?: AccountRateLimiter;
  /** The account's retry budget; pass the same instance to both clients of an account. */
  readonly retryBudget?: RetryBudget;
  /** The account's offset to the service clock; pass the same instance to all clients of an account. */
  readonly clockOffset?: ClockOffset;
  readonly retry?: Partial<RetryPolicy>;
  /** Deadline of one attempt (connect, headers and body); default 15 s. */
  readonly attemptTimeoutMs?: number;
  /** Largest body read for one resource (GetBucketEncryption, GetTableBucketEncryption); default 64 KiB. */
  readonly maxResponseBytes?: number;
  /**
   * Largest body read for one listing page; default 2 MiB (a full ListBuckets page of 1,000
   * buckets is about 450 KB, a ListTableBuckets page about 250 KB).
   */
  readonly maxListingResponseBytes?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); drives the backoff jitter. */
  readonly random?: () => number;
  /** Source of `x-acs-signature-nonce` values (ACS3 calls); default 16 random bytes in hex. */
  readonly nonce?: () => string;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_BACKOFF,
  maxAttempts: 3,
  maxThrottledAttempts: 5,
};

/** The executor of a client and whether the client owns (and must close) its dispatcher. */
export interface ClientRuntime {
  readonly executor: RequestExecutor;
  readonly ownedDispatcher: Dispatcher | null;
}

export function createClientRuntime(
  options: ClientOptions,
  signatureVersion: SignatureVersion,
): ClientRuntime {
  const dispatcher = options.dispatcher ?? createOssDispatcher();
  const executor = new RequestExecutor({
    dispatcher,
    credentials: options.credentials,
    rateLimiter: options.rateLimiter ?? new AccountRateLimiter({ now: options.now, sleep: options.sleep }),
    retryBudget: options.retryBudget ?? new RetryBudget({ now: options.now }),
    clockOffset: options.clockOffset ?? new ClockOffset(),
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    limits: {
      attemptTimeoutMs: options.attemptTimeoutMs ?? 15_000,
      maxResponseBytes: options.maxResponseBytes ?? 64 * 1024,
      maxListingResponseBytes: options.maxListingResponseBytes ?? 2 * 1024 * 1024,
    },
    clock: {
      now: options.now ?? Date.now,
      sleep: options.sleep ?? ((ms) => delay(ms)),
      random: options.random ?? Math.random,
      nonce: options.nonce ?? (() => randomBytes(16).toString('hex')),
    },
    signatureVersion,
  });
  return { executor, ownedDispatcher: options.dispatcher === undefined ? dispatcher : null };
}

/** Page sizes of both listings are 1-1000 (`max-keys`, `maxBuckets`). */
export function assertPageSize(pageSize: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new OssArgumentError(`pageSize must be an integer in 1..1000, got ${pageSize}`);
  }
}

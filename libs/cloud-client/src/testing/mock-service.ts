import { MockAgent } from 'undici';

import { decodeQueryString, SigningTarget, verifyAcs3Request, verifyRequest } from '@app/signing';

import type { ClientOptions } from '../client-options';
import type { CredentialSource } from '../credentials/credential-source';
import { StaticCredentialSource } from '../credentials/credential-source';
import { AccountRateLimiter } from '../resilience/account-rate-limiter';
import { RetryBudget } from '../resilience/retry-budget';

/** Pinned signing clock of the unit specs. */
export const NOW = Date.parse('2025-04-17T08:00:00.000Z');

export const TEST_CREDENTIALS = {
  accessKeyId: 'STS.NTestKeyId',
  accessKeySecret: 'unit-test-secret-3f9a1c',
  securityToken: 'unit-test-sts-token-77e2b0',
} as const;

/** A recorded request as MockAgent's call history saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly origin: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A MockAgent with net connect disabled, a pinned clock, backoff sleeps recorded instead of
 * waited, jitter fixed at 0.5, numbered nonces, and a limiter that does not pace (its own spec
 * covers pacing).
 */
export function createMockService(
  credentials: CredentialSource = new StaticCredentialSource(TEST_CREDENTIALS),
) {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const sleeps: number[] = [];
  const clock = { now: NOW };
  let nonces = 0;
  const rateLimiter = new AccountRateLimiter({
    initialRatePerSecond: 1_000,
    maxRatePerSecond: 1_000,
    now: () => clock.now,
    sleep: () => Promise.resolve(),
  });
  const retryBudget = new RetryBudget({ now: () => clock.now });
  const options: ClientOptions = {
    credentials,
    dispatcher: agent,
    rateLimiter,
    retryBudget,
    now: () => clock.now,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    nonce: () => `nonce-${String(++nonces).padStart(4, '0')}`,
  };
  const requests = (): SeenRequest[] =>
    (agent.getCallHistory()?.calls() ?? []).map((call) => ({
      method: call.method,
      body: typeof call.body === 'string' ? call.body : '',
      origin: call.origin,
      path: call.fullUrl.slice(call.origin.length),
      headers: Object.fromEntries(
        Object.entries(call.headers as Record<string, string | string[]>).map(([name, value]) => [
          name.toLowerCase(),
          Array.isArray(value) ? value.join(',') : value,
        ]),
      ),
    }));
  return { agent, sleeps, clock, rateLimiter, retryBudget, options, requests };
}

/** Verifies a recorded request's signature the way the service would, with the test secret. */
export function verifySeenRequest(request: SeenRequest, target: SigningTarget, nowMs = NOW) {
  const queryStart = request.path.indexOf('?');
  return verifyRequest(
    {
      method: 'GET',
      target,
      query: queryStart === -1 ? [] : decodeQueryString(request.path.slice(queryStart + 1)),
      headers: request.headers,
    },
    {
      now: new Date(nowMs),
      resolveCredential: (accessKeyId) =>
        accessKeyId === TEST_CREDENTIALS.accessKeyId
          ? {
              accessKeySecret: TEST_CREDENTIALS.accessKeySecret,
              securityToken: TEST_CREDENTIALS.securityToken,
            }
          : undefined,
    },
  );
}

/** Verifies a recorded ACS3 (KMS) request's signature the way the API gateway would. */
export function verifySeenAcs3Request(request: SeenRequest, nowMs = NOW) {
  const queryStart = request.path.indexOf('?');
  return verifyAcs3Request(
    {
      method: request.method,
      path: queryStart === -1 ? request.path : request.path.slice(0, queryStart),
      query: queryStart === -1 ? [] : decodeQueryString(request.path.slice(queryStart + 1)),
      headers: request.headers,
      body: request.body,
    },
    {
      now: new Date(nowMs),
      resolveCredential: (accessKeyId) =>
        accessKeyId === TEST_CREDENTIALS.accessKeyId
          ? {
              accessKeySecret: TEST_CREDENTIALS.accessKeySecret,
              securityToken: TEST_CREDENTIALS.securityToken,
            }
          : undefined,
    },
  );
}

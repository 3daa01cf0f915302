import type { Dispatcher } from 'undici';

import { acs3CanonicalQueryString, encodeQueryString, signAcs3, signV1, signV4 } from '@app/signing';
import type { QueryParam, SigningCredentials, SigningTarget } from '@app/signing';

import type { CredentialSource } from './credentials/credential-source';
import type { RequestTarget } from './endpoints';
import { OssError, type OssErrorInfo, type OssErrorKind } from './errors';
import { MalformedDocumentError } from './parsing/safe-documents';
import { headerValue, RawResponse, ServiceErrorDetails } from './parsing/service-error';
import type { AccountRateLimiter, RequestLane } from './resilience/account-rate-limiter';
import { BackoffPolicy, retryDelayMs } from './resilience/backoff';
import type { ClockOffset } from './resilience/clock-offset';
import type { RetryBudget } from './resilience/retry-budget';
import {
  classifyServiceError,
  classifyTransportError,
  FailureClass,
} from './resilience/retry-classification';
import { sendRequest, TransportLimits } from './transport/send-request';

/** OSS signature version: V4 (`OSS4-HMAC-SHA256`, default) or V1 (`OSS ak:sig`, OSS only). */
export type SignatureVersion = 'v4' | 'v1';

/** Attempt limits and backoff. */
export interface RetryPolicy extends BackoffPolicy {
  /** Attempts in total, the first included; default 3 (OSS SDK v2). */
  readonly maxAttempts: number;
  /** Attempts allowed while the answers are throttling; default 5 (docs/operations.md), budget permitting. */
  readonly maxThrottledAttempts: number;
}

/** Deadline of an attempt and body caps: small for one resource's answer, larger for a listing page. */
export interface ExecutorLimits {
  readonly attemptTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxListingResponseBytes: number;
}

/** Time and chance, injectable so tests are deterministic. */
export interface ExecutorClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
  /** A fresh, unique `x-acs-signature-nonce` (ACS3 calls; the service refuses a reused one). */
  nonce(): string;
}

export interface RequestExecutorConfig {
  readonly dispatcher: Dispatcher;
  readonly credentials: CredentialSource;
  readonly rateLimiter: AccountRateLimiter;
  readonly retryBudget: RetryBudget;
  readonly retry: RetryPolicy;
  readonly limits: ExecutorLimits;
  readonly clock: ExecutorClock;
  /** The account's offset to the service clock, shared by all its clients. */
  readonly clockOffset: ClockOffset;
  /** OSS calls only: V4 or V1 (`osstables` is always V4). */
  readonly signatureVersion: SignatureVersion;
}

/**
 * How a call is signed: the OSS signature (V4, or V1 where configured) of a product in a region,
 * or the Alibaba Cloud OpenAPI V3 signature of an action and version (KMS and other RPC APIs).
 */
export type CallSigning =
  | {
      readonly scheme: 'oss';
      readonly product: 'oss' | 'osstables';
      /** Signing region (the bucket's, or the endpoint's for service-level calls). */
      readonly region: string;
      readonly target: SigningTarget;
    }
  | { readonly scheme: 'acs3'; readonly action: string; readonly version: string };

/** One operation: where it goes, how it is signed, and how its answers read. */
export interface OperationCall<T> {
  readonly operation: string;
  /** Default `GET`. */
  readonly method?: 'GET' | 'POST';
  readonly signing: CallSigning;
  readonly target: RequestTarget;
  readonly query: readonly QueryParam[];
  readonly headers?: Readonly<Record<string, string>>;
  /** A listing page (ListBuckets, ListTableBuckets): read under the listing cap. */
  readonly listing?: boolean;
  /** The account limiter's queue it waits in (`RequestLane`); default `bulk`. */
  readonly lane?: RequestLane;
  /** Reads a 2xx answer; throws {@link MalformedDocumentError} when it cannot. */
  parseSuccess(response: RawResponse): T;
  parseError(response: RawResponse, nowMs: number): ServiceErrorDetails;
  /** Turns error answers that are results of the operation (e.g. "no rule") into values. */
  recognizeError?(error: ServiceErrorDetails): T | undefined;
}

export type CallOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly requestId: string | null }
  | { readonly ok: false; readonly error: OssErrorInfo; readonly cause?: unknown };

type AttemptFailure = {
  readonly type: 'failed';
  readonly failureClass: FailureClass;
  readonly error: Omit<OssErrorInfo, 'attempts' | 'host'>;
  readonly cause?: unknown;
  readonly retryAfterMs: number | null;
  /** Server clock, for a RequestTimeTooSkewed answer that told it. */
  readonly serverTimeMs: number | null;
  readonly credentials: SigningCredentials | null;
};

type AttemptResult<T> =
  { readonly type: 'done'; readonly value: T; readonly requestId: string | null } | AttemptFailure;

const USER_AGENT = 'seed-oss-encryption-auditor/0.1';

/** Replaces any occurrence of the secret or token (a service may echo them) with a marker. */
function redactSecrets(text: string, credentials: SigningCredentials): string {
  let redacted = text;
  for (const secret of [credentials.accessKeySecret, credentials.securityToken]) {
    if (secret !== undefined && secret !== '') redacted = redacted.split(secret).join('[REDACTED]');
  }
  return redacted;
}

function sameIdentity(a: SigningCredentials, b: SigningCredentials): boolean {
  return a.accessKeyId === b.accessKeyId && a.securityToken === b.securityToken;
}

/** A description of a credential-source failure that cannot carry the source's secrets. */
function describeCredentialFailure(cause: unknown): string {
  const name = cause instanceof Error ? cause.name : typeof cause;
  const code = (cause as { code?: unknown } | null)?.code;
  return `the credential source failed (${name}${typeof code === 'string' ? `: ${code}` : ''})`;
}

/**
 * Runs one operation to its outcome: for each attempt it waits for the account's rate limiter,
 * fetches credentials, signs with the skew-corrected clock, sends, reads under the size cap and
 * classifies the answer; then retries per docs/operations.md (retry table) within the attempt limits
 * and the account's retry budget. Never throws for service, network or parse failures.
 */
export class RequestExecutor {
  readonly #config: RequestExecutorConfig;

  constructor(config: RequestExecutorConfig) {
    this.#config = config;
  }

  async execute<T>(call: OperationCall<T>): Promise<CallOutcome<T>> {
    const { clock, retry, retryBudget } = this.#config;
    let attempts = 0;
    let freeRetries = 0;
    let skewCorrected = false;
    let credentialsRetried = false;
    for (;;) {
      attempts += 1;
      const result = await this.#attempt(call);
      if (result.type === 'done') {
        retryBudget.recordSuccess();
        return { ok: true, value: result.value, requestId: result.requestId };
      }
      const fail = (note?: string): CallOutcome<T> => ({
        ok: false,
        error: {
          ...result.error,
          message: note === undefined ? result.error.message : `${result.error.message} (${note})`,
          attempts,
          host: call.target.host,
        },
        cause: result.cause,
      });
      const counted = attempts - freeRetries;
      switch (result.failureClass) {
        case 'terminal':
          return fail();
        case 'clock_skew':
          if (skewCorrected || result.serverTimeMs === null) return fail();
          skewCorrected = true;
          freeRetries += 1;
          this.#config.clockOffset.learn(result.serverTimeMs, clock.now());
          break;
        case 'credentials': {
          if (credentialsRetried || result.credentials === null) return fail();
          credentialsRetried = true;
          const fresh = await this.#config.credentials.getCredentials().catch(() => null);
          if (fresh === null || sameIdentity(fresh, result.credentials)) return fail();
          freeRetries += 1;
          break;
        }
        case 'throttle':
        case 'timeout':
        case 'transient': {
          const throttled = result.failureClass === 'throttle';
          if (counted >= (throttled ? retry.maxThrottledAttempts : retry.maxAttempts)) return fail();
          const cost = result.failureClass === 'transient' ? 'retry' : 'timeout_or_throttle';
          if (!retryBudget.tryAcquire(cost)) return fail('retry budget exhausted');
          await clock.sleep(
            retryDelayMs(retry, counted, throttled, () => clock.random(), result.retryAfterMs),
          );
          break;
        }
      }
    }
  }

  async #attempt<T>(call: OperationCall<T>): Promise<AttemptResult<T>> {
    const base = { operation: call.operation, httpStatus: null, requestId: null, ec: null };
    // Credentials are taken once the permit is granted, not before the wait for it: temporary
    // ones fetched first could expire in a long queue and be refused (SecurityTokenExpired).
    const permit = await this.#config.rateLimiter.acquire(call.lane ?? 'bulk');
    let throttled = false;
    try {
      const credentials = await this.#credentials(call.operation);
      if (!('accessKeyId' in credentials)) return credentials;
      const sent = await sendRequest(
        this.#config.dispatcher,
        {
          method: call.method ?? 'GET',
          origin: call.target.origin,
          path: this.#wirePath(call),
          headers: this.#signedHeaders(call, credentials),
        },
        this.#transportLimits(call),
      );
      if (!sent.ok) {
        const { failure } = sent;
        return this.#failure(
          failure.kind === 'response_too_large' ? 'terminal' : classifyTransportError(failure.code),
          { ...base, kind: failure.kind, code: failure.code, message: failure.message },
          { cause: failure.cause },
        );
      }
      const response = sent.response;
      if (response.status >= 200 && response.status < 300) {
        return this.#readSuccess(call, response);
      }
      const details = call.parseError(response, this.#config.clock.now());
      const recognized = call.recognizeError?.(details);
      if (recognized !== undefined) return { type: 'done', value: recognized, requestId: details.requestId };
      const failureClass = classifyServiceError(details);
      throttled = failureClass === 'throttle';
      return this.#failure(
        failureClass,
        {
          operation: call.operation,
          kind: 'service',
          code: details.code,
          message: redactSecrets(details.message, credentials),
          requestId: details.requestId,
          ec: details.ec,
          httpStatus: details.httpStatus,
        },
        {
          retryAfterMs: details.retryAfterMs,
          serverTimeMs: failureClass === 'clock_skew' ? serverTimeOf(details, response) : null,
          credentials,
        },
      );
    } finally {
      permit.release(throttled ? 'throttled' : 'ok');
    }
  }

  /** The credentials to sign with, or the failure of their source (named by its own answer when it has one). */
  async #credentials(operation: string): Promise<SigningCredentials | AttemptFailure> {
    const base = { operation, httpStatus: null, requestId: null, ec: null };
    try {
      return await this.#config.credentials.getCredentials();
    } catch (cause) {
      // A refused AssumeRole says why in the STS answer's own code, status, host and request id.
      if (cause instanceof OssError) {
        const { attempts: _attempts, host, ...info } = cause.info;
        return this.#failure('terminal', {
          ...info,
          kind: 'credentials',
          message: `${info.message} (answered by ${host})`,
        });
      }
      return this.#failure('terminal', {
        ...base,
        kind: 'credentials',
        code: 'CredentialsUnavailable',
        message: describeCredentialFailure(cause),
      });
    }
  }

  #readSuccess<T>(call: OperationCall<T>, response: RawResponse): AttemptResult<T> {
    const requestId = headerValue(response, 'x-oss-request-id');
    try {
      return { type: 'done', value: call.parseSuccess(response), requestId };
    } catch (error) {
      if (!(error instanceof MalformedDocumentError)) throw error;
      // A cut or garbled answer is retried within the budget: a listing page given up on at once
      // would leave the scope unproved for a network hiccup. Hostile bodies stay bounded by it.
      return this.#failure(
        'transient',
        {
          operation: call.operation,
          kind: 'malformed_response',
          code: error.code,
          message: error.message,
          requestId,
          ec: null,
          httpStatus: response.status,
        },
        { cause: error },
      );
    }
  }

  #failure(
    failureClass: FailureClass,
    error: Omit<OssErrorInfo, 'attempts' | 'kind' | 'host'> & { kind: OssErrorKind },
    extra: Partial<Pick<AttemptFailure, 'cause' | 'retryAfterMs' | 'serverTimeMs' | 'credentials'>> = {},
  ): AttemptFailure {
    return {
      type: 'failed',
      failureClass,
      error,
      cause: extra.cause,
      retryAfterMs: extra.retryAfterMs ?? null,
      serverTimeMs: extra.serverTimeMs ?? null,
      credentials: extra.credentials ?? null,
    };
  }

  #transportLimits(call: OperationCall<unknown>): TransportLimits {
    const { attemptTimeoutMs, maxResponseBytes, maxListingResponseBytes } = this.#config.limits;
    return {
      attemptTimeoutMs,
      maxResponseBytes: call.listing === true ? maxListingResponseBytes : maxResponseBytes,
    };
  }

  /** The path and query to send: exactly the query string the signature covers. */
  #wirePath(call: OperationCall<unknown>): string {
    if (call.query.length === 0) return call.target.path;
    const query =
      call.signing.scheme === 'acs3' ? acs3CanonicalQueryString(call.query) : encodeQueryString(call.query);
    return `${call.target.path}?${query}`;
  }

  /** Signs this attempt's headers at the skew-corrected time (a fresh signature every attempt). */
  #signedHeaders(call: OperationCall<unknown>, credentials: SigningCredentials): Record<string, string> {
    const { clock, clockOffset } = this.#config;
    const headers: Record<string, string> = {
      host: call.target.host,
      'user-agent': USER_AGENT,
      ...call.headers,
    };
    const method = call.method ?? 'GET';
    const signingTime = new Date(clockOffset.serverTime(clock.now()));
    const { signing } = call;
    if (signing.scheme === 'acs3') {
      return signAcs3({
        request: { method, path: call.target.path, query: call.query, headers },
        credentials,
        action: signing.action,
        version: signing.version,
        signingTime,
        nonce: clock.nonce(),
      }).headers;
    }
    const request = { method, target: signing.target, query: call.query, headers };
    const signed =
      this.#config.signatureVersion === 'v1' && signing.product === 'oss'
        ? signV1({ request, credentials, signingTime })
        : signV4({ request, credentials, region: signing.region, product: signing.product, signingTime });
    return signed.headers;
  }
}

/** The server's clock from a RequestTimeTooSkewed answer: `<ServerTime>`, else the `Date` header. */
function serverTimeOf(details: ServiceErrorDetails, response: RawResponse): number | null {
  for (const candidate of [details.serverTime, headerValue(response, 'date')]) {
    if (candidate !== null) {
      const parsed = Date.parse(candidate);
      if (!Number.isNaN(parsed)) return parsed;
    }
  }
  return null;
}

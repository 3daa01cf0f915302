import { setTimeout as sleep } from 'node:timers/promises';

import type { AlertChannelConfig, AuditConfig } from '@app/config';
import type {
  AlertChannelType,
  AlertDeliveryRepository,
  DeliveryAttemptResult,
  DueAlertDelivery,
} from '@app/persistence';
import type { LoggerService } from '@nestjs/common';
import type { Dispatcher } from 'undici';

import { buildDigest, DEFAULT_DIGEST_SIZE } from './alert-digest';
import { toAlertEvent } from './alert-event';
import { routesTo } from './alert-routing';
import { AlertingError } from './alerting-error';
import type { AlertingMetrics } from './alerting-metrics';
import { channelRequest, channelUrlProblem, redactChannelSecrets } from './channel-message';
import {
  attemptResult,
  DEFAULT_MIN_SEND_INTERVAL_MS,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
} from './delivery-policy';
import { type AttemptVerdict, judgeAttempt } from './delivery-verdict';
import { postMessage } from './http-transport';

/** Tuning of the dispatcher; every field has a default. */
export interface AlertDispatcherOptions {
  /** Pause between two rounds of the polling loop (default 10 s). */
  readonly pollIntervalMs?: number;
  /** Alerts listed in one message (default 20); the rest are counted and linked. */
  readonly digestSize?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Deadline of one HTTP attempt (default 15 s). */
  readonly requestTimeoutMs?: number;
  /**
   * A channel seen for the first time is told about alerts created this long before (default
   * 24 h), not about the whole history.
   */
  readonly backfillMs?: number;
  /** Least time between two messages to one channel, per channel type (`DEFAULT_MIN_SEND_INTERVAL_MS`). */
  readonly minSendIntervalMs?: Partial<Record<AlertChannelType, number>>;
}

/** What the dispatcher needs; I/O is all injected. */
export interface AlertDispatcherDependencies {
  readonly repository: AlertDeliveryRepository;
  readonly config: Pick<AuditConfig, 'alerts' | 'api'>;
  /** Every HTTP call goes through it. */
  readonly http: Dispatcher;
  readonly metrics: AlertingMetrics;
  readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  readonly clock?: () => Date;
  /** In [0, 1): the backoff's jitter. */
  readonly random?: () => number;
  readonly options?: AlertDispatcherOptions;
}

/** What one round did, over every channel. */
export interface DispatchReport {
  /** Digest messages planned. */
  readonly planned: number;
  readonly delivered: number;
  /** Attempts that failed and will be tried again. */
  readonly retried: number;
  /** Deliveries given up in this round. */
  readonly failed: number;
  /** Channels whose round stopped on an error (logged, counted in metrics). */
  readonly errors: number;
}

interface MutableReport {
  planned: number;
  delivered: number;
  retried: number;
  failed: number;
  errors: number;
}

interface ResolvedOptions {
  readonly pollIntervalMs: number;
  readonly digestSize: number;
  readonly retry: RetryPolicy;
  readonly requestTimeoutMs: number;
  readonly backfillMs: number;
  readonly minSendIntervalMs: Readonly<Record<AlertChannelType, number>>;
}

/**
 * Delivers the alert outbox. A round (`runOnce`) plans, per configured channel, the new outbox
 * rows its routing accepts into one digest delivery per scan, then sends the channel's due
 * deliveries one at a time, at the channel's rate, until none is due. Retry state lives in
 * Postgres, so any number of dispatchers (replicas) can run rounds side by side and a restarted
 * one picks up where the last left off. `start` runs rounds in a loop; `stop` drains it.
 */
export class AlertDispatcher {
  private readonly repository: AlertDeliveryRepository;
  private readonly channels: readonly AlertChannelConfig[];
  private readonly publicBaseUrl: string | null;
  private readonly http: Dispatcher;
  private readonly metrics: AlertingMetrics;
  private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly options: ResolvedOptions;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private readonly wake = new AbortController();
  /** The earliest instant a rate-limited channel frees up in the current round; the loop wakes then. */
  private rateLimitedUntil: Date | null = null;

  constructor(dependencies: AlertDispatcherDependencies) {
    this.repository = dependencies.repository;
    this.channels = dependencies.config.alerts.channels;
    this.publicBaseUrl = dependencies.config.api.publicBaseUrl;
    this.http = dependencies.http;
    this.metrics = dependencies.metrics;
    this.logger = dependencies.logger;
    this.clock = dependencies.clock ?? (() => new Date());
    this.random = dependencies.random ?? Math.random;
    this.options = resolveOptions(dependencies.options ?? {});
  }

  /** One round over every channel: plan new digests, send what is due. */
  async runOnce(): Promise<DispatchReport> {
    const report: MutableReport = { planned: 0, delivered: 0, retried: 0, failed: 0, errors: 0 };
    await Promise.all(this.channels.map((channel) => this.runChannel(channel, report)));
    await this.refreshBacklog(report);
    return { ...report };
  }

  /** Starts the polling loop (no-op when running). */
  start(): void {
    if (this.loop !== null || this.stopping) {
      return;
    }
    this.logger.log(`Alert dispatcher started for ${this.channels.length.toString()} channel(s)`);
    this.loop = this.runLoop();
  }

  /**
   * Stops the loop and waits for it: an attempt in flight finishes and is recorded; no new one
   * starts. What is left stays due in the database for the next dispatcher.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    await this.loop;
  }

  private async runLoop(): Promise<void> {
    while (!this.stopping) {
      this.rateLimitedUntil = null;
      try {
        await this.runOnce();
      } catch (error) {
        this.logger.error(`Alert dispatch round failed: ${errorSummary(error)}`);
      }
      try {
        await sleep(this.pauseAfterRound(), undefined, { signal: this.wake.signal });
      } catch {
        // Aborted by stop(): the loop condition ends it.
      }
    }
  }

  /** The poll interval, or less when a channel's rate limit frees up sooner (a backlog drains at the channel's rate). */
  private pauseAfterRound(): number {
    if (this.rateLimitedUntil === null) {
      return this.options.pollIntervalMs;
    }
    const untilFree = this.rateLimitedUntil.getTime() - this.clock().getTime();
    return Math.min(this.options.pollIntervalMs, Math.max(MIN_PAUSE_MS, untilFree));
  }

  private async runChannel(channel: AlertChannelConfig, report: MutableReport): Promise<void> {
    try {
      await this.planChannel(channel, report);
      while (!this.stopping) {
        const result = await this.repository.deliverNext(
          channel.name,
          this.clock(),
          this.options.digestSize,
          (due) => this.attempt(channel, due),
        );
        if (
          result.kind === 'rate_limited' &&
          (this.rateLimitedUntil === null || result.until < this.rateLimitedUntil)
        ) {
          this.rateLimitedUntil = result.until;
        }
        if (result.kind !== 'attempted') {
          return;
        }
        this.tally(channel, result.delivery.status, report);
        // The receiver is failing: leave the channel until a later round rather than press on.
        if (result.delivery.status === 'pending') {
          return;
        }
      }
    } catch (error) {
      report.errors += 1;
      this.metrics.dispatchErrors.inc({ channel: channel.name });
      this.logger.error(
        `Alert dispatch for channel "${channel.name}" stopped: ${redactChannelSecrets(errorSummary(error), channel)}`,
      );
    }
  }

  private async planChannel(channel: AlertChannelConfig, report: MutableReport): Promise<void> {
    const now = this.clock();
    const plan = await this.repository.planDeliveries(
      {
        channel: channel.name,
        channelType: channel.type,
        plannedAt: now,
        backfillFrom: new Date(now.getTime() - this.options.backfillMs),
      },
      (alerts) => alerts.map((alert) => routesTo(toAlertEvent(alert), channel)),
    );
    if (plan.deliveries.length > 0) {
      report.planned += plan.deliveries.length;
      this.metrics.planned.inc({ channel: channel.name }, plan.deliveries.length);
      this.logger.log(
        `Planned ${plan.deliveries.length.toString()} alert message(s) for channel "${channel.name}"`,
      );
    }
  }

  private async attempt(channel: AlertChannelConfig, due: DueAlertDelivery): Promise<DeliveryAttemptResult> {
    const { delivery } = due;
    const digest = buildDigest({
      delivery,
      severityCounts: due.severityCounts,
      alerts: due.preview.map(toAlertEvent),
      size: this.options.digestSize,
      publicBaseUrl: this.publicBaseUrl,
    });
    const urlProblem = channelUrlProblem(channel);
    let verdict: AttemptVerdict;
    if (urlProblem === null) {
      const outcome = await postMessage(
        this.http,
        channelRequest(channel, digest, this.clock()),
        this.options.requestTimeoutMs,
      );
      verdict = judgeAttempt(channel.type, outcome, this.clock());
    } else {
      verdict = { kind: 'rejected', error: urlProblem };
    }
    if (verdict.kind !== 'delivered') {
      verdict = { ...verdict, error: redactChannelSecrets(verdict.error, channel) };
    }
    const result = attemptResult(verdict, {
      attemptsBefore: delivery.attempts,
      attemptedAt: this.clock(),
      minSendIntervalMs: this.options.minSendIntervalMs[channel.type],
      policy: this.options.retry,
      random: this.random,
    });
    this.logAttempt(channel, delivery.id, delivery.attempts + 1, result);
    return result;
  }

  private logAttempt(
    channel: AlertChannelConfig,
    deliveryId: number,
    attempt: number,
    result: DeliveryAttemptResult,
  ): void {
    const subject = `Alert delivery ${deliveryId.toString()} to channel "${channel.name}" (attempt ${attempt.toString()})`;
    switch (result.status) {
      case 'delivered':
        this.logger.log(`${subject} delivered`);
        return;
      case 'pending':
        this.logger.warn(
          `${subject} failed: ${result.error}; next attempt at ${result.nextAttemptAt.toISOString()}`,
        );
        return;
      case 'failed':
        this.logger.error(`${subject} failed for good: ${result.error}`);
        return;
    }
  }

  private tally(
    channel: AlertChannelConfig,
    status: DeliveryAttemptResult['status'],
    report: MutableReport,
  ): void {
    switch (status) {
      case 'delivered':
        report.delivered += 1;
        this.metrics.attempts.inc({ channel: channel.name, outcome: 'delivered' });
        return;
      case 'pending':
        report.retried += 1;
        this.metrics.attempts.inc({ channel: channel.name, outcome: 'retry' });
        return;
      case 'failed':
        report.failed += 1;
        this.metrics.attempts.inc({ channel: channel.name, outcome: 'failed' });
        return;
    }
  }

  private async refreshBacklog(report: MutableReport): Promise<void> {
    if (this.channels.length === 0) {
      return;
    }
    try {
      const rows = await this.repository.deliveryBacklog();
      this.metrics.setBacklog(
        this.channels.map((channel) => channel.name),
        rows,
        this.clock(),
      );
    } catch (error) {
      report.errors += 1;
      this.logger.error(`Alert backlog metrics not refreshed: ${errorSummary(error)}`);
    }
  }
}

/** Shortest pause between two rounds of the loop. */
const MIN_PAUSE_MS = 50;

/** Alerts listed in one message at most: a chat message beyond that is unreadable anyway. */
const MAX_DIGEST_SIZE = 200;

function resolveOptions(options: AlertDispatcherOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    pollIntervalMs: options.pollIntervalMs ?? 10_000,
    digestSize: options.digestSize ?? DEFAULT_DIGEST_SIZE,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    backfillMs: options.backfillMs ?? 24 * 60 * 60_000,
    minSendIntervalMs: { ...DEFAULT_MIN_SEND_INTERVAL_MS, ...options.minSendIntervalMs },
  };
  const numbers: Record<string, number> = {
    pollIntervalMs: resolved.pollIntervalMs,
    digestSize: resolved.digestSize,
    'retry.maxAttempts': resolved.retry.maxAttempts,
    'retry.baseDelayMs': resolved.retry.baseDelayMs,
    'retry.maxDelayMs': resolved.retry.maxDelayMs,
    requestTimeoutMs: resolved.requestTimeoutMs,
    backfillMs: resolved.backfillMs,
    ...Object.fromEntries(
      Object.entries(resolved.minSendIntervalMs).map(([type, value]) => [`minSendIntervalMs.${type}`, value]),
    ),
  };
  for (const [name, value] of Object.entries(numbers)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new AlertingError(
        'INVALID_OPTIONS',
        `Alert dispatcher option ${name} must be a non-negative integer`,
      );
    }
  }
  if (resolved.digestSize < 1 || resolved.digestSize > MAX_DIGEST_SIZE) {
    throw new AlertingError('INVALID_OPTIONS', `digestSize must be from 1 to ${MAX_DIGEST_SIZE.toString()}`);
  }
  if (resolved.retry.maxAttempts < 1 || resolved.requestTimeoutMs < 1) {
    throw new AlertingError('INVALID_OPTIONS', 'retry.maxAttempts and requestTimeoutMs must be at least 1');
  }
  return resolved;
}

/** An error's code and message, without its stack; callers redact channel secrets from it. */
function errorSummary(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

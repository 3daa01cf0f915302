/**
 * `@app/alerting`: the alert outbox delivered to people. New findings and weakenings, routed per
 * channel, one digest per scan and channel, to a generic webhook, a DingTalk robot or Slack, with
 * retries, rate limits and an at-least-once dedup key; failures visible in the API and metrics.
 */

/** Nest module of the worker: dispatcher, repository, metrics, polling loop. */
export { ALERT_HTTP_DISPATCHER, AlertingModule, type AlertingModuleOptions } from './alerting.module';
/** An outbox row read for people: what routing, digests, messages and the API's alert list show. */
export { toAlertEvent, type AlertEvent } from './alert-event';
/** The dispatcher: `runOnce()` for tests and the CLI, `start()` / `stop()` for the loop. */
export {
  AlertDispatcher,
  type AlertDispatcherDependencies,
  type AlertDispatcherOptions,
  type DispatchReport,
} from './alert-dispatcher';
/** Prometheus metrics of delivery. */
export { AlertingMetrics, type AttemptOutcome } from './alerting-metrics';
/** Errors with a code. */
export { AlertingError, type AlertingErrorCode } from './alerting-error';
/** The generic webhook's contract, for consumers: body, headers and signature scheme. */
export {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type WebhookAlert,
  type WebhookDigestBody,
  webhookAlert,
} from './webhook-message';
export { webhookSignature } from './message-signing';
/** Retry and rate defaults. */
export { DEFAULT_MIN_SEND_INTERVAL_MS, DEFAULT_RETRY_POLICY, type RetryPolicy } from './delivery-policy';
/** The undici Agent alerting creates unless one is injected. */
export { createAlertHttpDispatcher } from './http-transport';

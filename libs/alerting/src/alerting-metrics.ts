import type { AlertBacklogRow } from '@app/persistence';
import {
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  type Registry,
} from 'prom-client';

/** Outcome of one delivery attempt, as counted. */
export type AttemptOutcome = 'delivered' | 'retry' | 'failed';

/**
 * Alerting's Prometheus metrics, labelled by channel name (never by URL):
 * - `seed_alert_delivery_attempts_total{channel,outcome}`: attempts, by `delivered`, `retry`
 *   (will be tried again) and `failed` (given up);
 * - `seed_alert_deliveries_planned_total{channel}`: digest messages planned;
 * - `seed_alert_deliveries{channel,status}`: deliveries `pending` and `failed` now (from the
 *   database, so every replica reports the same totals);
 * - `seed_alert_oldest_pending_delivery_seconds{channel}`: age of the oldest pending delivery, 0 when none;
 * - `seed_alert_dispatch_errors_total{channel}`: dispatch rounds of a channel that failed (database down...).
 * Registering twice on one registry reuses the metrics already there.
 */
export class AlertingMetrics {
  readonly attempts: Counter<'channel' | 'outcome'>;
  readonly planned: Counter<'channel'>;
  readonly deliveries: Gauge<'channel' | 'status'>;
  readonly oldestPendingSeconds: Gauge<'channel'>;
  readonly dispatchErrors: Counter<'channel'>;

  constructor(registry: Registry) {
    this.attempts = counter(registry, {
      name: 'seed_alert_delivery_attempts_total',
      help: 'Alert delivery attempts by channel and outcome (delivered, retry, failed).',
      labelNames: ['channel', 'outcome'],
    });
    this.planned = counter(registry, {
      name: 'seed_alert_deliveries_planned_total',
      help: 'Alert digest messages planned, by channel.',
      labelNames: ['channel'],
    });
    this.deliveries = gauge(registry, {
      name: 'seed_alert_deliveries',
      help: 'Alert deliveries not delivered, by channel and status (pending, failed).',
      labelNames: ['channel', 'status'],
    });
    this.oldestPendingSeconds = gauge(registry, {
      name: 'seed_alert_oldest_pending_delivery_seconds',
      help: 'Age of the oldest pending alert delivery, by channel; 0 when none is pending.',
      labelNames: ['channel'],
    });
    this.dispatchErrors = counter(registry, {
      name: 'seed_alert_dispatch_errors_total',
      help: 'Alert dispatch rounds of a channel that failed before finishing (for example, database errors).',
      labelNames: ['channel'],
    });
  }

  /** Sets the backlog gauges of every channel named from `rows` (channels absent from it have none). */
  setBacklog(channels: readonly string[], rows: readonly AlertBacklogRow[], now: Date): void {
    for (const channel of channels) {
      const pending = rows.find((row) => row.channel === channel && row.status === 'pending');
      const failed = rows.find((row) => row.channel === channel && row.status === 'failed');
      this.deliveries.set({ channel, status: 'pending' }, pending?.count ?? 0);
      this.deliveries.set({ channel, status: 'failed' }, failed?.count ?? 0);
      this.oldestPendingSeconds.set(
        { channel },
        pending === undefined ? 0 : Math.max(0, (now.getTime() - pending.oldestCreatedAt.getTime()) / 1000),
      );
    }
  }
}

function counter<L extends string>(registry: Registry, configuration: CounterConfiguration<L>): Counter<L> {
  const found = registry.getSingleMetric(configuration.name);
  return found instanceof Counter ? found : new Counter({ ...configuration, registers: [registry] });
}

function gauge<L extends string>(registry: Registry, configuration: GaugeConfiguration<L>): Gauge<L> {
  const found = registry.getSingleMetric(configuration.name);
  return found instanceof Gauge ? found : new Gauge({ ...configuration, registers: [registry] });
}

import client from 'prom-client';
import { bucketLabel, latencyBucketsMs, type MetricsDocument } from '../../libs/analytics/index.js';
import type { ReadMetrics } from './metrics-cache.js';
import { unavailableCodes } from './to-http-error.js';

type Labels = Record<string, string>;
type Sample = [Labels, number];

/** Counts this receiver's 503 answers by reason (the error code); one increment per answer. */
export type UnavailableCounter = Pick<client.Counter<'reason'>, 'inc'>;

/**
 * The counter of this receiver's 503 answers, `day15_receiver_unavailable_total{reason}`, every reason
 * starting at 0 (so rate() sees the first one). Registered by createPrometheusRegistry's `own` metrics.
 */
export function unavailableCounter(): client.Counter<'reason'> {
  const counter = new client.Counter({
    name: 'day15_receiver_unavailable_total',
    help: `503 answers of this receiver, by reason (${unavailableCodes.join(', ')})`,
    labelNames: ['reason'],
    registers: [],
  });
  for (const reason of unavailableCodes) counter.inc({ reason }, 0);
  return counter;
}

/**
 * Prometheus exposition of the pipeline. Pipeline numbers come from Redis (the metrics document), so every
 * receiver reports the same totals for all processes; process metrics and `own` metrics (e.g. the
 * unavailableCounter) are this receiver's own.
 */
export function createPrometheusRegistry(read: ReadMetrics, own: readonly client.Metric[] = []): client.Registry {
  const registry = new client.Registry();
  for (const metric of own) registry.registerMetric(metric);
  client.collectDefaultMetrics({ register: registry, prefix: 'day15_receiver_' });
  // Every collector of one scrape gets the same cached document (one read per second, see metrics-cache).
  const metrics = () => read('1h');

  const fromDocument = (
    kind: 'counter' | 'gauge',
    name: string,
    help: string,
    labelNames: string[],
    samples: (m: MetricsDocument) => Sample[],
  ) => {
    const Metric = kind === 'counter' ? client.Counter : client.Gauge;
    new Metric({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const document = await metrics();
        this.reset();
        for (const [labels, value] of samples(document)) {
          if (this instanceof client.Counter) this.inc(labels, value);
          else (this as client.Gauge).set(labels, value);
        }
      },
    });
  };

  fromDocument(
    'counter',
    'day15_events_received_total',
    'Events received, by type and outcome (accepted, duplicate, rejected)',
    ['type', 'outcome'],
    (m) =>
      Object.entries(m.pipeline.intake).flatMap(([outcome, byType]) =>
        Object.entries(byType).map(([type, n]): Sample => [{ type, outcome }, n]),
      ),
  );
  fromDocument(
    'counter',
    'day15_events_processed_total',
    'Events processed (analytics applied), by type',
    ['type'],
    (m) => Object.entries(m.totals.by_type).map(([type, n]) => [{ type }, n]),
  );
  fromDocument('counter', 'day15_processing_failures_total', 'Failed processing attempts', [], (m) => [
    [{}, m.totals.failed],
  ]);
  fromDocument(
    'counter',
    'day15_events_redelivered_total',
    'Events taken back from crashed or stalled consumers',
    [],
    (m) => [[{}, m.totals.redelivered]],
  );
  fromDocument(
    'counter',
    'day15_process_restarts_total',
    'Restarts of pipeline processes by the orchestrator',
    ['process'],
    (m) => Object.entries(m.pipeline.restarts).map(([name, n]) => [{ process: name }, n]),
  );
  fromDocument('gauge', 'day15_queue_depth', 'Events in the queue, by state', ['state'], (m) => [
    [{ state: 'ready' }, m.queue.ready],
    [{ state: 'in_flight' }, m.queue.in_flight],
    [{ state: 'delayed' }, m.queue.delayed],
    [{ state: 'dead' }, m.queue.dead],
  ]);
  fromDocument(
    'gauge',
    'day15_queue_oldest_ready_age_seconds',
    'Seconds since the event at the head of the ready list (the next one claimed) was enqueued; 0 when none',
    [],
    (m) => [[{}, m.queue.oldest_ready_age_s]],
  );
  fromDocument('gauge', 'day15_dead_letters', 'Events in the dead-letter queue', [], (m) => [[{}, m.queue.dead]]);
  fromDocument(
    'gauge',
    'day15_consumer_heartbeat_age_seconds',
    'Seconds since each consumer was last seen',
    ['consumer'],
    (m) => m.pipeline.consumers.map((c): Sample => [{ consumer: c.id }, c.last_seen_s]),
  );
  fromDocument(
    'gauge',
    'day15_mrr',
    'Monthly recurring revenue in the base currency (label currency), converted at the configured rates',
    ['currency'],
    (m) => [[{ currency: m.subscriptions.currency }, m.subscriptions.mrr]],
  );
  fromDocument(
    'gauge',
    'day15_mrr_by_currency',
    'Monthly recurring revenue in each currency, unconverted',
    ['currency'],
    (m) => Object.entries(m.subscriptions.mrr_by_currency).map(([currency, mrr]): Sample => [{ currency }, mrr]),
  );
  fromDocument('gauge', 'day15_active_subscriptions', 'Active subscriptions', [], (m) => [
    [{}, m.subscriptions.active],
  ]);
  fromDocument(
    'gauge',
    'day15_active_users',
    'Distinct users with an event arrived in the last 1, 7 and 30 UTC days',
    ['window'],
    (m) => Object.entries(m.active_users).map(([window, users]): Sample => [{ window }, users]),
  );

  registry.registerMetric(latencyHistogram(metrics) as unknown as client.Metric);
  return registry;
}

// The end-to-end latency histogram kept in Redis (received -> processed), exposed as a Prometheus
// histogram; prom-client cannot load external bucket counts, so this metric builds its own values.
function latencyHistogram(metrics: () => Promise<MetricsDocument>) {
  const name = 'day15_processing_latency_seconds';
  const help = 'End-to-end latency from receipt to processed, in seconds';
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    reset: () => undefined,
    async get() {
      const { latency_ms: latency } = await metrics();
      let cumulative = 0;
      const values = latencyBucketsMs.map((upper) => {
        cumulative += latency.buckets[bucketLabel(upper)] ?? 0;
        return {
          metricName: `${name}_bucket`,
          labels: { le: upper === Infinity ? '+Inf' : upper / 1000 },
          value: cumulative,
        };
      });
      values.push({ metricName: `${name}_sum`, labels: {} as { le: number }, value: latency.sum / 1000 });
      values.push({ metricName: `${name}_count`, labels: {} as { le: number }, value: cumulative });
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
  };
}

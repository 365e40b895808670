import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { readQueueStats } from './queue-stats';

// Hookrelay's Prometheus metrics, one set per process (cached on globalThis: the server, the worker inside it and
// Next's bundles of the same modules all count into it). No endpoint or organization label, on purpose: a label per
// tenant would make one time series per customer (cardinality); per-endpoint figures are in the dashboard.
export type Metrics = ReturnType<typeof createMetrics>;

const ATTEMPT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const PUBLISH_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hookrelay_' });
  const queue = { depth: NaN, oldestAge: NaN };
  // both queue gauges come from one bounded, time-limited query per scrape
  let pendingRead: Promise<void> | null = null;
  const refreshQueue = () =>
    (pendingRead ??= readQueueStats()
      .then(
        (s) => void Object.assign(queue, s),
        (err: unknown) => {
          console.error('metrics: reading the queue failed', (err as Error)?.message ?? err);
          Object.assign(queue, { depth: NaN, oldestAge: NaN });
        },
      )
      .finally(() => (pendingRead = null)));
  const queueGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        await refreshQueue();
        this.set(read());
      },
    });
  return {
    registry,
    deliveries: new Counter({
      name: 'hookrelay_deliveries_total',
      help: 'Deliveries that reached a final status (succeeded, or failed after their last scheduled attempt).',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    attempts: new Counter({
      name: 'hookrelay_attempts_total',
      help: 'Attempts made, by outcome: success, or the failure cause (http_4xx, http_5xx, timeout, connect, tls, dns, redirect, blocked_address, error).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'hookrelay_attempt_duration_seconds',
      help: 'Duration of each attempt, from DNS lookup to the end of the response (successes and failures).',
      buckets: ATTEMPT_BUCKETS,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'hookrelay_attempts_in_flight',
      help: 'Attempts being sent right now by this process.',
      registers: [registry],
    }),
    queueDepth: queueGauge(
      'hookrelay_queue_depth',
      'Pending deliveries due now (counted up to 100000; NaN when the database did not answer in time).',
      () => queue.depth,
    ),
    oldestDueAge: queueGauge(
      'hookrelay_queue_oldest_due_age_seconds',
      'How long the oldest due pending delivery has been waiting past its due time (0 when none is due).',
      () => queue.oldestAge,
    ),
    publishRequests: new Counter({
      name: 'hookrelay_publish_requests_total',
      help: 'Publish API requests that reached the handler, by kind (single, batch) and result (accepted, refused, error).',
      labelNames: ['kind', 'result'] as const,
      registers: [registry],
    }),
    publishDuration: new Histogram({
      name: 'hookrelay_publish_duration_seconds',
      help: 'Time to handle a publish API request, single or batch (store the events and their deliveries).',
      buckets: PUBLISH_BUCKETS,
      registers: [registry],
    }),
    eventsPublished: new Counter({
      name: 'hookrelay_events_published_total',
      help: 'Events accepted through the publish API (a batch counts each of its events).',
      registers: [registry],
    }),
  };
}

const g = globalThis as unknown as { __hookrelayMetrics?: Metrics };

// This process's metrics.
export function metrics(): Metrics {
  return (g.__hookrelayMetrics ??= createMetrics());
}

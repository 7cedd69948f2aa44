import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { fanOutRepo, JOBS, readQueueBacklog, type Database } from '@hookline/db';

/** The gauges' queue label for messages waiting to be fanned out (the name of the fan-out queue they replaced). */
export const FAN_OUT_GAUGE_QUEUE = 'fanout.v1';

/**
 * Prometheus metrics of one process. Labels are bounded on purpose: never a tenant, application or
 * endpoint id (their number grows with customers), only fixed sets such as an outcome or a queue.
 */
export interface Metrics {
  registry: Registry;
  messagesPublished: Counter<never>;
  publishDuration: Histogram<never>;
  deliveries: Counter<'outcome'>;
  attemptDuration: Histogram<'outcome'>;
  endpointsDisabled: Counter<'reason'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hookline_' });
  return {
    registry,
    messagesPublished: new Counter({ name: 'hookline_messages_published_total', help: 'Messages accepted for delivery', registers: [registry] }),
    publishDuration: new Histogram({
      name: 'hookline_publish_duration_seconds',
      help: 'Time to accept a message (store it and its job)',
      registers: [registry],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    }),
    deliveries: new Counter({
      name: 'hookline_delivery_attempts_total',
      help: 'Delivery attempts by outcome (succeeded, retrying, exhausted; canceled: a transformation skipped the delivery)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'hookline_attempt_duration_seconds',
      help: 'Duration of delivery attempts (HTTP exchange)',
      labelNames: ['outcome'],
      registers: [registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    }),
    endpointsDisabled: new Counter({
      name: 'hookline_endpoints_disabled_total',
      help: 'Endpoints disabled by delivery (gone, failing)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

/**
 * Queue depth and the age of the oldest waiting job per queue (readQueueBacklog; for fan-out, the
 * pending fan-out table) when Prometheus scrapes (two small queries, so the figures
 * hold across every process).
 */
export function registerQueueGauges(metrics: Metrics, db: Database): void {
  const read = async () => {
    const [rows, pending] = await Promise.all([readQueueBacklog(db), fanOutRepo.pendingFanOutBacklog(db)]);
    return [...rows, { name: FAN_OUT_GAUGE_QUEUE, ...pending }];
  };
  let pending: ReturnType<typeof read> | undefined;
  // Both gauges are filled from one query per scrape.
  const once = () =>
    (pending ??= read().finally(() =>
      setTimeout(() => {
        pending = undefined;
      }, 1000).unref(),
    ));
  new Gauge({
    name: 'hookline_queue_ready_jobs',
    help: 'Jobs ready to run, per queue',
    labelNames: ['queue'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const queue of [...Object.values(JOBS), FAN_OUT_GAUGE_QUEUE]) this.set({ queue }, 0);
      for (const row of await once().catch(() => [])) this.set({ queue: row.name }, row.ready);
    },
  });
  new Gauge({
    name: 'hookline_queue_oldest_ready_seconds',
    help: 'Age of the oldest job ready to run, per queue',
    labelNames: ['queue'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const queue of [...Object.values(JOBS), FAN_OUT_GAUGE_QUEUE]) this.set({ queue }, 0);
      for (const row of await once().catch(() => [])) this.set({ queue: row.name }, row.oldest ?? 0);
    },
  });
}

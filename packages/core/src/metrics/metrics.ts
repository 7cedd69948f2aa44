import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sql } from 'kysely';
import type { Database } from '@hookline/db';
import { BOSS_SCHEMA, fanOutRepo } from '@hookline/db';
import { JOBS } from '../queue/jobs.ts';

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
      name: 'hookline_publish_duration_seconds', help: 'Time to accept a message (store it and its job)', registers: [registry],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    }),
    deliveries: new Counter({
      name: 'hookline_delivery_attempts_total', help: 'Delivery attempts by outcome (success, retrying, exhausted)', labelNames: ['outcome'], registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'hookline_attempt_duration_seconds', help: 'Duration of delivery attempts (HTTP exchange)', labelNames: ['outcome'], registers: [registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    }),
    endpointsDisabled: new Counter({
      name: 'hookline_endpoints_disabled_total', help: 'Endpoints disabled by delivery (gone, failing)', labelNames: ['reason'], registers: [registry],
    }),
  };
}

/**
 * Queue depth and the age of the oldest waiting job per queue, read from pg-boss's table (and, for
 * fan-out, the pending fan-out table) when Prometheus scrapes (two small queries, so the figures
 * hold across every process).
 */
export function registerQueueGauges(metrics: Metrics, db: Database): void {
  const read = async () => {
    const [{ rows }, pending] = await Promise.all([
      sql<{ name: string; ready: number; oldest: number | null }>`
        SELECT name, count(*)::int AS ready, extract(epoch FROM now() - min(created_on))::float8 AS oldest
        FROM ${sql.table(`${BOSS_SCHEMA}.job`)}
        WHERE state IN ('created', 'retry') AND start_after <= now()
        GROUP BY name`.execute(db),
      fanOutRepo.pendingFanOutBacklog(db),
    ]);
    // Messages waiting for fan-out are counted as the fan-out queue's (with any jobs of older versions).
    const fanOut = rows.find((r) => r.name === JOBS.fanOut);
    if (!fanOut) return [...rows, { name: JOBS.fanOut, ...pending }];
    return rows.map((r) => (r !== fanOut ? r : { name: r.name, ready: r.ready + pending.ready, oldest: Math.max(r.oldest ?? 0, pending.oldest ?? 0) }));
  };
  let pending: ReturnType<typeof read> | undefined;
  // Both gauges are filled from one query per scrape.
  const once = () => (pending ??= read().finally(() => setTimeout(() => { pending = undefined; }, 1000).unref()));
  new Gauge({
    name: 'hookline_queue_ready_jobs', help: 'Jobs ready to run, per queue', labelNames: ['queue'], registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const queue of Object.values(JOBS)) this.set({ queue }, 0);
      for (const row of await once().catch(() => [])) this.set({ queue: row.name }, row.ready);
    },
  });
  new Gauge({
    name: 'hookline_queue_oldest_ready_seconds', help: 'Age of the oldest job ready to run, per queue', labelNames: ['queue'], registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const queue of Object.values(JOBS)) this.set({ queue }, 0);
      for (const row of await once().catch(() => [])) this.set({ queue: row.name }, row.oldest ?? 0);
    },
  });
}

import { sql, type RawBuilder } from 'kysely';
import { fromKysely, type PgBoss, type Queue } from 'pg-boss';
import { BOSS_SCHEMA, type Database } from '@hookline/db';
import type { TraceCarrier } from '../telemetry/tracing.ts';

/** Job names carry a version so a payload change can run beside the old one during a deploy. */
export const JOBS = Object.freeze({
  fanOut: 'fanout.v1',
  deliver: 'deliver.v1',
  maintenance: 'maintenance.v1',
  recover: 'recover.v1',
});

/** Channel a worker LISTENs on; enqueueing deliveries NOTIFYs it in the same transaction. */
export const DELIVERY_WAKEUP_CHANNEL = 'hookline_deliver';

/** Channel a worker LISTENs on for new fan-out jobs (see fanOutJobOf). */
export const FANOUT_WAKEUP_CHANNEL = 'hookline_fanout';

/**
 * Attempts one endpoint may have in flight across all workers (jobs are grouped by endpoint). An
 * endpoint that is failing gets one, so a receiver that hangs holds at most one slot once known.
 */
export function endpointGroupConcurrency(perEndpoint: number): { default: number; tiers: { failing: number } } {
  return { default: perEndpoint, tiers: { failing: 1 } };
}

/** How often maintenance runs (cron, UTC); pg-boss creates one job per slot for the whole cluster. */
export const MAINTENANCE_CRON = '*/10 * * * *';

export interface FanOutJob {
  tenantId: string;
  msgId: string;
  /** Trace context of the publish, when tracing is on. */
  trace?: TraceCarrier;
}

export interface DeliverJob {
  tenantId: string;
  msgId: string;
  endpointId: string;
  /** 1-based number of the attempt this job makes; guards against recording one attempt twice. */
  attempt: number;
  /** 0 scheduled, 1 manual (a resend, outside the retry schedule). */
  trigger: 0 | 1;
  /** Set when a throttled attempt was parked until the send slot it holds (ISO time). */
  slotAt?: string;
  /** Trace context of the fan-out (so of the publish), when tracing is on; retries keep it. */
  trace?: TraceCarrier;
}

/** Resend an endpoint's failed deliveries (a `background_task` row tracks it). Dates are ISO strings. */
export interface RecoverJob {
  tenantId: string;
  taskId: string;
  endpointId: string;
  since: string;
  until: string | null;
}

/** How long a held job may go without a heartbeat before it is considered abandoned (pg-boss minimum: 10). */
export const HEARTBEAT_SECONDS = 10;

/**
 * Queue settings. A job is retried by pg-boss only for infrastructure failures (database down,
 * process killed mid-job): delivery outcomes are recorded and rescheduled by Hookline itself.
 */
export interface QueueSettings {
  deliveryTimeoutMs: number;
  /** How long finished jobs stay in pg-boss's table (delivery history lives in Hookline's tables). */
  queueRetentionSeconds: number;
}

export function queueDefinitions({ deliveryTimeoutMs, queueRetentionSeconds }: QueueSettings): Array<Omit<Queue, 'policy'> & { name: string }> {
  const expireInSeconds = Math.ceil(deliveryTimeoutMs / 1000) + 30;
  // Workers heartbeat the jobs they hold; a killed worker's jobs are handed out again once
  // HEARTBEAT_SECONDS pass without one, instead of waiting for the (longer) expiry.
  const common = {
    notify: true, retryLimit: 1000, retryDelay: 1, retryBackoff: true, retryDelayMax: 300,
    expireInSeconds, heartbeatSeconds: HEARTBEAT_SECONDS, deleteAfterSeconds: queueRetentionSeconds,
  };
  return [
    { name: JOBS.fanOut, ...common },
    { name: JOBS.deliver, ...common },
    { name: JOBS.maintenance, retryLimit: 2, expireInSeconds: 600, deleteAfterSeconds: 86400 },
    { name: JOBS.recover, ...common },
  ];
}

/** Creates or updates Hookline's queues; safe to run from every process at start. */
export async function ensureQueues(boss: PgBoss, settings: QueueSettings): Promise<void> {
  for (const { name, ...options } of queueDefinitions(settings)) {
    const existing = await boss.getQueue(name);
    if (existing) await boss.updateQueue(name, options);
    else await boss.createQueue(name, options);
  }
}

type Executor = Parameters<typeof fromKysely>[0];

/**
 * The table a queue's jobs live in (pg-boss's queue.table_name, a partition of its job table), as
 * pg-boss's own send writes there: inserting through the partitioned parent costs ~0.6 ms of tuple
 * routing per statement, ten times the insert itself. Looked up once per process, as pg-boss
 * caches it too: every database Hookline runs against has its queues made by ensureQueues.
 */
const jobTables = new Map<string, Promise<string>>();
export function jobTableOf(db: Database, queue: string): Promise<string> {
  let table = jobTables.get(queue);
  if (!table) {
    table = sql<{ tableName: string }>`SELECT table_name FROM ${sql.table(`${BOSS_SCHEMA}.queue`)} WHERE name = ${queue}`.execute(db)
      .then(({ rows }) => {
        if (!rows[0]) throw new Error(`queue ${queue} does not exist (it is made when the api or worker starts)`);
        return rows[0].tableName;
      });
    table.catch(() => jobTables.delete(queue)); // not cached: a later call looks again
    jobTables.set(queue, table);
  }
  return table;
}

/**
 * The fan-out job of the message a data-modifying CTE named `inserted` returns, as a CTE of the
 * same statement: publishing is then one statement (one round trip, atomic on its own) instead of
 * a transaction of four. It writes the row boss.send would write into the table it would write it
 * to (`table`, see jobTableOf: the queue's settings, no options; fanOutJob.test.ts compares the
 * two), and NOTIFYs the workers' fan-out listener, which commits with it. No message inserted (an
 * eventId taken): no job, no NOTIFY. A missing queue fails the statement (NOT NULL columns).
 */
export function fanOutJobOf(inserted: string, table: string, /** JSON of Pick<FanOutJob, 'trace'> */ trace: string): RawBuilder<{ id: string }> {
  const job = sql.table(`${BOSS_SCHEMA}.${table}`);
  const queue = sql.table(`${BOSS_SCHEMA}.queue`);
  const m = sql.table(inserted);
  return sql<{ id: string }>`
    INSERT INTO ${job} (
      id, name, data, start_after, created_on, expire_seconds, deletion_seconds, keep_until,
      retry_limit, retry_delay, retry_backoff, retry_delay_max, policy, dead_letter, heartbeat_seconds
    )
    SELECT
      gen_random_uuid(), ${JOBS.fanOut}, jsonb_build_object('tenantId', ${m}.tenant_id, 'msgId', ${m}.id) || ${trace}::jsonb,
      now(), now(), q.expire_seconds, q.deletion_seconds, now() + q.retention_seconds * interval '1 second',
      q.retry_limit, q.retry_delay, q.retry_backoff, q.retry_delay_max, q.policy, q.dead_letter, q.heartbeat_seconds
    FROM ${m} LEFT JOIN ${queue} q ON q.name = ${JOBS.fanOut}, LATERAL (SELECT pg_notify(${FANOUT_WAKEUP_CHANNEL}, '')) woken
    RETURNING id`;
}

/** Enqueues delivery attempts inside the caller's transaction. */
export async function enqueueDeliveries(
  boss: PgBoss,
  trx: Database,
  jobs: Array<{ data: DeliverJob; startAfter?: Date; /** the endpoint is failing: limit it to one attempt in flight */ failing?: boolean }>,
): Promise<void> {
  if (jobs.length === 0) return;
  await boss.insert(
    JOBS.deliver,
    jobs.map((j) => ({
      data: j.data,
      group: { id: j.data.endpointId, ...(j.failing ? { tier: 'failing' } : {}) },
      ...(j.startAfter ? { startAfter: j.startAfter } : {}),
    })),
    { db: fromKysely(trx as unknown as Executor) },
  );
  await sql`SELECT pg_notify(${DELIVERY_WAKEUP_CHANNEL}, '')`.execute(trx);
}

/** Enqueues a recover task inside the caller's transaction, with the row that reports its progress. */
export async function enqueueRecover(boss: PgBoss, trx: Database, job: RecoverJob): Promise<void> {
  await boss.send(JOBS.recover, job, { db: fromKysely(trx as unknown as Executor) });
}

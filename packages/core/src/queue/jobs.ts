import { fromKysely, type PgBoss, type Queue } from 'pg-boss';
import type { Database } from '@hookline/db';

/** Job names carry a version so a payload change can run beside the old one during a deploy. */
export const JOBS = Object.freeze({
  fanOut: 'fanout.v1',
  deliver: 'deliver.v1',
  maintenance: 'maintenance.v1',
});

/** How often maintenance runs (cron, UTC); pg-boss creates one job per slot for the whole cluster. */
export const MAINTENANCE_CRON = '*/10 * * * *';

export interface FanOutJob {
  tenantId: string;
  msgId: string;
}

export interface DeliverJob {
  tenantId: string;
  msgId: string;
  endpointId: string;
  /** 1-based number of the attempt this job makes; guards against recording one attempt twice. */
  attempt: number;
  /** 0 scheduled, 1 manual (a resend, outside the retry schedule). */
  trigger: 0 | 1;
}

/** How long a held job may go without a heartbeat before it is considered abandoned (pg-boss minimum: 10). */
export const HEARTBEAT_SECONDS = 10;

/**
 * Queue settings. A job is retried by pg-boss only for infrastructure failures (database down,
 * process killed mid-job): delivery outcomes are recorded and rescheduled by Hookline itself.
 */
export function queueDefinitions(deliveryTimeoutMs: number): Array<Omit<Queue, 'policy'> & { name: string }> {
  const expireInSeconds = Math.ceil(deliveryTimeoutMs / 1000) + 30;
  // Workers heartbeat the jobs they hold; a killed worker's jobs are handed out again once
  // HEARTBEAT_SECONDS pass without one, instead of waiting for the (longer) expiry.
  const common = {
    notify: true, retryLimit: 1000, retryDelay: 1, retryBackoff: true, retryDelayMax: 300,
    expireInSeconds, heartbeatSeconds: HEARTBEAT_SECONDS, deleteAfterSeconds: 3600,
  };
  return [
    { name: JOBS.fanOut, ...common },
    { name: JOBS.deliver, ...common },
    { name: JOBS.maintenance, retryLimit: 2, expireInSeconds: 600, deleteAfterSeconds: 86400 },
  ];
}

/** Creates or updates Hookline's queues; safe to run from every process at start. */
export async function ensureQueues(boss: PgBoss, deliveryTimeoutMs: number): Promise<void> {
  for (const { name, ...options } of queueDefinitions(deliveryTimeoutMs)) {
    const existing = await boss.getQueue(name);
    if (existing) await boss.updateQueue(name, options);
    else await boss.createQueue(name, options);
  }
}

type Executor = Parameters<typeof fromKysely>[0];

/** Enqueues fan-out of a message inside the caller's transaction, so the message and its job commit together. */
export async function enqueueFanOut(boss: PgBoss, trx: Database, job: FanOutJob): Promise<void> {
  await boss.send(JOBS.fanOut, job, { db: fromKysely(trx as unknown as Executor) });
}

/** Enqueues delivery attempts inside the caller's transaction. */
export async function enqueueDeliveries(
  boss: PgBoss,
  trx: Database,
  jobs: Array<{ data: DeliverJob; startAfter?: Date }>,
): Promise<void> {
  if (jobs.length === 0) return;
  await boss.insert(
    JOBS.deliver,
    jobs.map((j) => ({ data: j.data, ...(j.startAfter ? { startAfter: j.startAfter } : {}) })),
    { db: fromKysely(trx as unknown as Executor) },
  );
}

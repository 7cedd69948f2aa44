import type { PgBoss, Queue } from 'pg-boss';

/** W3C trace context carried in a job (core's TraceCarrier): the publish's trace, continued by its deliveries. */
export type JobTrace = Record<string, string>;

/** Job names carry a version so a payload change can run beside the old one during a deploy. */
export const JOBS = Object.freeze({
  deliver: 'deliver.v1',
  /** Attempts to endpoints that are failing, retries included (see DELIVERY_LANES). */
  deliverFailing: 'deliver.failing.v1',
  maintenance: 'maintenance.v1',
  recover: 'recover.v1',
  /** A recovery waiting for its resends to be made (a queue of its own: workers before it would resend again). */
  recoverAwait: 'recover.await.v1',
  /** One batch of a bulk replay or a replay of missing messages (POST …/bulk-replay, …/replay-missing). */
  replay: 'replay.v1',
  /** One batch of deleting an application's message payloads (POST …/msg/expunge-all-contents). */
  expungeContents: 'expunge-contents.v1',
  /** One failure notice to one target (emails or the chat webhook) of an application's settings. */
  notice: 'notice.v1',
});

/**
 * The queues delivery attempts wait in. An endpoint that is failing gets one attempt in flight at a
 * time, so its attempts pile up while it is down; a fetch walks past every job it may not take yet,
 * so in the queue of healthy endpoints those piles would make each fetch slower for everyone
 * (docs/performance.md). Attempts known to go to a
 * failing endpoint, and every retry, wait in a queue of their own instead, which workers look at
 * when one of its attempts finishes and once per poll interval.
 */
export const DELIVERY_LANES = Object.freeze([JOBS.deliver, JOBS.deliverFailing] as const);

/** Channel a worker LISTENs on; enqueueing deliveries NOTIFYs it (see enqueueDeliveries). */
export const DELIVERY_WAKEUP_CHANNEL = 'hookline_deliver';

/** Channel a worker LISTENs on for messages to fan out (see fanOutRepo.pendingFanOutOf and Wakeup). */
export const FANOUT_WAKEUP_CHANNEL = 'hookline_fanout';

/**
 * Attempts one endpoint may have in flight across all workers (jobs are grouped by endpoint). An
 * endpoint that is failing gets one, so a receiver that hangs holds at most one slot once known.
 */
export function endpointGroupConcurrency(perEndpoint: number): { default: number; tiers: { failing: number } } {
  return { default: perEndpoint, tiers: { failing: 1 } };
}

/**
 * The queue an attempt waits in and its group tier: an attempt to a failing endpoint in the failing
 * lane (see DELIVERY_LANES), with the tier that gives it one attempt in flight.
 */
export function deliveryLane(failing: boolean): { queue: (typeof DELIVERY_LANES)[number]; tier: 'failing' | undefined } {
  return failing ? { queue: JOBS.deliverFailing, tier: 'failing' } : { queue: JOBS.deliver, tier: undefined };
}

/** How often maintenance runs (cron, UTC; `minutes` divides 60); pg-boss creates one job per slot for the whole cluster. */
export const maintenanceCron = (minutes: number): string => (minutes >= 60 ? '0 * * * *' : `*/${minutes} * * * *`);

/** The default schedule (HOOKLINE_MAINTENANCE_INTERVAL_MINUTES=10). */
export const MAINTENANCE_CRON = maintenanceCron(10);

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
  trace?: JobTrace;
}

/** Resend an endpoint's failed deliveries (a `background_task` row tracks it). Dates are ISO strings. */
export interface RecoverJob {
  tenantId: string;
  taskId: string;
  endpointId: string;
  since: string;
  until: string | null;
  /** Set on the follow-up jobs that wait for the queued resends to be made (see runRecoverTask); counts them. */
  awaitPolls?: number;
}

/**
 * One batch of a replay of an endpoint's messages (a `background_task` row tracks it). Each batch
 * queues the next with `afterMsgId`, where it stopped, in the transaction that completes it.
 */
export interface ReplayJob {
  tenantId: string;
  taskId: string;
  appId: string;
  endpointId: string;
  /** `bulk`: messages delivered to the endpoint, resent whatever their outcome; `missing`: messages never routed to it. */
  kind: 'bulk' | 'missing';
  since: string;
  until: string;
  filter?: { eventTypes?: string[]; channel?: string; tag?: string; status?: number };
  afterMsgId?: string;
}

/**
 * One batch of an application's expunge-all-contents (a `background_task` row tracks it): deletes
 * the payloads of its messages up to `untilMsgId` (the last id when the task started), after
 * `afterMsgId`, where the previous batch stopped; the next batch is queued with the batch's commit.
 */
export interface ExpungeContentsJob {
  tenantId: string;
  taskId: string;
  appId: string;
  untilMsgId: string;
  afterMsgId?: string;
}

/**
 * A failure notice to send: what happened to which endpoint, and to which of the application's
 * targets. The targets themselves (addresses, the chat URL) are read when it is sent, so a job in
 * the queue holds no credential.
 */
export interface NoticeJob {
  tenantId: string;
  appId: string;
  endpointId: string;
  kind: 'failing' | 'disabled' | 'recovered';
  target: 'email' | 'chat';
  /** When it happened (ISO time). */
  at: string;
  /** The attempt that caused it: its status (0: no response) and the start of its response or error. */
  lastError?: { status: number; response: string };
  /** The failing spell's count when the notice was decided. */
  consecutiveFailures?: number;
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
    notify: true,
    retryLimit: 1000,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    deleteAfterSeconds: queueRetentionSeconds,
  };
  return [
    // Deliveries wake the workers on Hookline's own channel (DELIVERY_WAKEUP_CHANNEL), mostly after
    // the commit; the delivery loop fetches by itself, so pg-boss's NOTIFY in every insert would
    // wake no one and serialise the commits of fan-outs and retries.
    { name: JOBS.deliver, ...common, notify: false },
    { name: JOBS.deliverFailing, ...common, notify: false },
    { name: JOBS.maintenance, retryLimit: 2, expireInSeconds: 600, deleteAfterSeconds: 86400 },
    { name: JOBS.recover, ...common },
    { name: JOBS.recoverAwait, ...common },
    { name: JOBS.replay, ...common },
    { name: JOBS.expungeContents, ...common },
    // A notice is retried a few times, backing off, then given up: it must not outlive its news.
    { name: JOBS.notice, retryLimit: 4, retryDelay: 10, retryBackoff: true, retryDelayMax: 600, expireInSeconds, deleteAfterSeconds: queueRetentionSeconds },
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

import { enqueueDeliveries, throttleRepo, type Database, type DeliverJob, type PgBoss } from '@hookline/db';

/**
 * A wait up to this long is spent in the worker; a longer one parks the attempt as a scheduled job.
 * Waiting in the worker keeps sends on their slots (a parked job is only picked up at the next
 * poll); it is affordable because an endpoint holds at most HOOKLINE_ENDPOINT_CONCURRENCY jobs, and
 * stays well inside a job's expiry. Only rates below a few per second ever park.
 */
export const MAX_INLINE_WAIT_MS = 10_000;

export type SendPermit = { kind: 'now' } | { kind: 'wait'; ms: number } | { kind: 'later'; at: Date };

/**
 * Enforces an endpoint's `throttleRate` (messages per second) across every worker process: each
 * attempt takes the next slot of a shared schedule and is sent within it. Excess attempts wait for
 * their slot; nothing is dropped. A parked attempt uses the slot it holds, unless it was picked up
 * too late to send within it (it would then crowd the next slots): it takes a new one.
 */
export async function acquireSendSlot(db: Database, job: DeliverJob, endpointId: string, perSecond: number | null): Promise<SendPermit> {
  if (!perSecond) return { kind: 'now' };
  if (job.slotAt) {
    const ms = new Date(job.slotAt).getTime() - Date.now();
    if (ms > 0 && ms <= MAX_INLINE_WAIT_MS) return { kind: 'wait', ms };
    if (ms <= 0 && -ms < 1000 / perSecond) return { kind: 'now' };
  }
  const { slot, waitMs } = await throttleRepo.reserveSendSlot(db, endpointId, perSecond);
  if (waitMs <= 0) return { kind: 'now' };
  if (waitMs <= MAX_INLINE_WAIT_MS) return { kind: 'wait', ms: waitMs };
  return { kind: 'later', at: slot };
}

/** Parks an attempt until its slot: the same attempt, as a job that starts then, with its slot kept. */
export async function postponeAttempt(db: Database, boss: PgBoss, job: DeliverJob, at: Date, settle: (trx: Database) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await enqueueDeliveries(boss, trx, [{ data: { ...job, slotAt: at.toISOString() }, startAfter: at }]);
    await settle(trx);
  });
}

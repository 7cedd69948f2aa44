import type { PgBoss } from 'pg-boss';
import { throttleRepo, type Database } from '@hookline/db';
import { enqueueDeliveries, type DeliverJob } from '../queue/jobs.ts';

/** A wait up to this long is spent in the worker; a longer one parks the attempt as a scheduled job. */
export const MAX_INLINE_WAIT_MS = 1000;

export type SendPermit = { kind: 'now' } | { kind: 'wait'; ms: number } | { kind: 'later'; at: Date };

/**
 * Enforces an endpoint's `throttleRate` (messages per second) across every worker process: each
 * attempt takes the next slot of a shared schedule. Excess attempts wait for their slot; nothing
 * is dropped. An attempt already given a slot (parked earlier) does not take another.
 */
export async function acquireSendSlot(db: Database, job: DeliverJob, endpointId: string, perSecond: number | null): Promise<SendPermit> {
  if (!perSecond || job.slotReserved) return { kind: 'now' };
  const { slot, waitMs } = await throttleRepo.reserveSendSlot(db, endpointId, perSecond);
  if (waitMs <= 0) return { kind: 'now' };
  if (waitMs <= MAX_INLINE_WAIT_MS) return { kind: 'wait', ms: waitMs };
  return { kind: 'later', at: slot };
}

/** Parks an attempt until its slot: the same attempt, as a job that starts then, with its slot kept. */
export async function postponeAttempt(
  db: Database,
  boss: PgBoss,
  job: DeliverJob,
  at: Date,
  settle: (trx: Database) => Promise<void>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await enqueueDeliveries(boss, trx, [{ data: { ...job, slotReserved: true }, startAfter: at }]);
    await settle(trx);
  });
}

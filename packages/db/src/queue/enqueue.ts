import { sql } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { Database } from '../connect.ts';
import { deliveryLane, DELIVERY_WAKEUP_CHANNEL, JOBS, type DeliverJob, type ExpungeContentsJob, type NoticeJob, type RecoverJob, type ReplayJob } from './jobs.ts';

/**
 * Enqueues delivery attempts inside the caller's transaction. If one of them is due now it NOTIFYs
 * the workers in it, unless `notify` is false: the caller then wakes them after its commit (see
 * Wakeup), as the fan-out loop does. Attempts due later (retries, throttled ones) wake no one: a
 * worker finds them by its poll, and a NOTIFY in a transaction serialises commits.
 */
export async function enqueueDeliveries(
  boss: PgBoss,
  trx: Database,
  jobs: Array<{ data: DeliverJob; startAfter?: Date; /** the endpoint is failing: one attempt in flight, in the failing lane (DELIVERY_LANES) */ failing?: boolean }>,
  { notify = true }: { notify?: boolean } = {},
): Promise<void> {
  if (jobs.length === 0) return;
  for (const failing of [false, true]) {
    const lane = jobs.filter((j) => (j.failing === true) === failing);
    if (lane.length === 0) continue;
    const { queue, tier } = deliveryLane(failing);
    await boss.insert(
      queue,
      lane.map((j) => ({
        data: j.data,
        group: { id: j.data.endpointId, ...(tier ? { tier } : {}) },
        ...(j.startAfter ? { startAfter: j.startAfter } : {}),
      })),
      { db: fromKysely(trx) },
    );
  }
  const now = Date.now();
  if (notify && jobs.some((j) => !j.startAfter || j.startAfter.getTime() <= now)) {
    await sql`SELECT pg_notify(${DELIVERY_WAKEUP_CHANNEL}, '')`.execute(trx);
  }
}

/**
 * Enqueues a recover task inside the caller's transaction, with the row that reports its progress;
 * or, with `awaitPolls` set, its follow-up that waits for the resends, after `startAfterSeconds`.
 */
export async function enqueueRecover(boss: PgBoss, trx: Database, job: RecoverJob, startAfterSeconds?: number): Promise<void> {
  const queue = job.awaitPolls === undefined ? JOBS.recover : JOBS.recoverAwait;
  await boss.send(queue, job, { db: fromKysely(trx), ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}) });
}

/** Enqueues one batch of a replay inside the caller's transaction (with its task row, or with the batch before it). */
export async function enqueueReplay(boss: PgBoss, trx: Database, job: ReplayJob): Promise<void> {
  await boss.send(JOBS.replay, job, { db: fromKysely(trx) });
}

/** Enqueues one batch of an expunge-all-contents inside the caller's transaction (with its task row, or with the batch before it). */
export async function enqueueExpungeContents(boss: PgBoss, trx: Database, job: ExpungeContentsJob): Promise<void> {
  await boss.send(JOBS.expungeContents, job, { db: fromKysely(trx) });
}

/** Enqueues failure notices inside the transaction that records the attempt they report (one job per target). */
export async function enqueueNotices(boss: PgBoss, trx: Database, jobs: NoticeJob[]): Promise<void> {
  // Rare (a handful per failing spell): one send each takes the queue's retry policy as it is.
  for (const data of jobs) await boss.send(JOBS.notice, data, { db: fromKysely(trx) });
}

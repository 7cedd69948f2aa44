import { fromKysely, type Job, type PgBoss } from 'pg-boss';
import { deliveryAttemptRepo, type Database } from '@hookline/db';

/** The job's claim lapsed (it expired and was handed to another worker): its result must not be written. */
export class ClaimLapsedError extends Error {
  override name = 'ClaimLapsedError';
}

/**
 * Returns a function that completes `job` (a fan-out or recovery job) inside the caller's
 * transaction, fenced to the attempt that was fetched. If another worker now holds the job, it
 * throws so the transaction rolls back and nothing is recorded twice.
 */
export function settleInTransaction(boss: PgBoss, queue: string, job: Job<unknown>): (trx: Database) => Promise<void> {
  return async (trx) => {
    const res = await boss.complete(queue, [{ id: job.id, retryCount: job.retryCount }], null, {
      db: fromKysely(trx),
    }) as { affected?: number };
    if (res.affected !== 1) throw lapsed([job]);
  };
}

/**
 * settleInTransaction for delivery jobs, several in one statement: finishes them by deleting their
 * rows (the attempt's row is their history; see deliveryAttemptRepo.finishHeldJobs), fenced to
 * their claims alike; throws unless every one is still held.
 */
export function finishDeliveriesInTransaction(queue: string, jobs: ReadonlyArray<Job<unknown>>): (trx: Database) => Promise<void> {
  return async (trx) => {
    const held = await deliveryAttemptRepo.finishHeldJobs(trx, { queue, jobs: jobs.map((job) => ({ id: job.id, retryCount: job.retryCount })) });
    if (held !== jobs.length) throw lapsed(jobs);
  };
}

function lapsed(jobs: ReadonlyArray<Job<unknown>>): ClaimLapsedError {
  return new ClaimLapsedError(jobs.length === 1 ? `job ${jobs[0]!.id} is no longer held by this worker` : 'a job of the batch is no longer held by this worker');
}

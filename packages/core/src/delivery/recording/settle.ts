import { claimOf, completeHeldJob, finishHeldJobs, type Database, type Job, type PgBoss } from '@hookline/db';

/** The job's claim lapsed (it expired and was handed to another worker): its result must not be written. */
export class ClaimLapsedError extends Error {
  override name = 'ClaimLapsedError';
}

/**
 * Returns a function that completes `job` (a recovery job) inside the caller's transaction, fenced
 * to the attempt that was fetched. If another worker now holds the job, it throws so the
 * transaction rolls back and nothing is recorded twice.
 */
export function settleInTransaction(boss: PgBoss, queue: string, job: Job<unknown>): (trx: Database) => Promise<void> {
  return async (trx) => {
    if (!(await completeHeldJob(boss, trx, queue, job))) throw lapsed([job]);
  };
}

/**
 * settleInTransaction for delivery jobs, several in one statement: finishes them by deleting their
 * rows (the attempt's row is their history; see finishHeldJobs in the queue's door), fenced to
 * their claims alike; throws unless every one is still held.
 */
export function finishDeliveriesInTransaction(queue: string, jobs: ReadonlyArray<Job<unknown>>): (trx: Database) => Promise<void> {
  return async (trx) => {
    const held = await finishHeldJobs(trx, { queue, jobs: jobs.map(claimOf) });
    if (held !== jobs.length) throw lapsed(jobs);
  };
}

function lapsed(jobs: ReadonlyArray<Job<unknown>>): ClaimLapsedError {
  return new ClaimLapsedError(jobs.length === 1 ? `job ${jobs[0]!.id} is no longer held by this worker` : 'a job of the batch is no longer held by this worker');
}

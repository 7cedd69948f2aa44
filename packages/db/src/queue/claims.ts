import { sql } from 'kysely';
import { fromKysely, type Job, type PgBoss } from 'pg-boss';
import type { Database } from '../connect.ts';
import { BOSS_SCHEMA } from './boss.ts';
import type { endpointGroupConcurrency } from './jobs.ts';

// The claim fence: a job is fetched with a claim (its id and retry count), and whatever finishes
// it, hands it back or heartbeats it names that claim, so a job that expired and went to another
// worker is never finished twice.

/** The queue jobs, as fetched (id and retry count: the claim), whose completion commits with the attempts. */
export interface AttemptClaims {
  queue: string;
  jobs: ReadonlyArray<{ id: string; retryCount: number }>;
}

/** A fetched job's claim: what finish, hand back and heartbeat name. */
export const claimOf = (job: Job<unknown>): { id: string; retryCount: number } => ({ id: job.id, retryCount: job.retryCount });

/** Takes up to `batchSize` jobs of a lane, at most `groups` per endpoint across all workers. */
export function fetchJobs<T>(boss: PgBoss, lane: string, batchSize: number, groups: ReturnType<typeof endpointGroupConcurrency>): Promise<Array<Job<T>>> {
  return boss.fetch<T>(lane, { batchSize, groupConcurrency: groups });
}

/** Hands held jobs back to be retried (an infrastructure failure, or abandoned at shutdown). */
export async function handBackJobs(boss: PgBoss, lane: string, jobs: Array<{ id: string; retryCount: number }>, message: string): Promise<void> {
  await boss.fail(lane, jobs, { message });
}

/** Heartbeats held jobs, so they are not handed out again while this worker runs them. */
export async function heartbeatJobs(boss: PgBoss, lane: string, jobs: Array<{ id: string; retryCount: number }>): Promise<void> {
  await boss.touch(lane, jobs);
}

/**
 * Completes `job` (a recovery job) inside the caller's transaction, fenced to the claim it was
 * fetched with; returns whether it was still held (false: nothing was completed).
 */
export async function completeHeldJob(boss: PgBoss, trx: Database, queue: string, job: Job<unknown>): Promise<boolean> {
  const res = (await boss.complete(queue, [claimOf(job)], null, {
    db: fromKysely(trx),
  })) as { affected?: number };
  return res.affected === 1;
}

/**
 * Finishes fetched delivery jobs by deleting them, as a data-modifying CTE: only while each is
 * still active at the retry count it was fetched with (pg-boss's fence in completeJobs). Returns
 * the ids finished.
 *
 * Deleted, not marked completed as boss.complete would: the attempt's row is the delivery's
 * history, and pg-boss's completion is an UPDATE of an indexed column, a new row version and an
 * entry in three indexes per job, which pg-boss's maintenance deletes again later
 * (docs/performance.md).
 */
export function finishFetchedJobs(claims: AttemptClaims) {
  return finishClaimedJobs(claimedJobs(claims));
}

/** Claims as the statement's values: the queue, the job ids, and each id with the retry count it was fetched at. */
export type ClaimedJobs = {
  queue: string;
  jobIds: string[];
  jobClaims: string[];
};

export function claimedJobs({ queue, jobs }: AttemptClaims): ClaimedJobs {
  return { queue, jobIds: jobs.map((j) => j.id), jobClaims: jobs.map((j) => `${j.id}:${j.retryCount}`) };
}

/** finishFetchedJobs of values (each one parameter, so a statement template can hold it). */
export function finishClaimedJobs({ queue, jobIds, jobClaims }: ClaimedJobs) {
  return sql<{ id: string }>`(DELETE FROM ${sql.table(`${BOSS_SCHEMA}.job`)}
    WHERE name = ${queue} AND id = ANY(${jobIds}::uuid[]) AND state = 'active'
      AND (id::text || ':' || retry_count::text) = ANY(${jobClaims}::text[])
    RETURNING id)`;
}

/** Finishes fetched delivery jobs (see finishFetchedJobs) in the caller's transaction; returns how many were still held. */
export async function finishHeldJobs(trx: Database, claims: AttemptClaims): Promise<number> {
  const { rows } = await sql<{ n: number }>`WITH finished AS ${finishFetchedJobs(claims)} SELECT count(*)::int AS n FROM finished`.execute(trx);
  return rows[0]?.n ?? 0;
}

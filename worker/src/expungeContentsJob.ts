import type { Logger } from 'pino';
import { runExpungeAllStep, settleInTransaction } from '@hookline/core';
import { JOBS, type Database, type ExpungeContentsJob, type Job, type PgBoss } from '@hookline/db';

/**
 * Runs one batch of an application's expunge-all-contents (POST …/msg/expunge-all-contents):
 * deletes its payloads and queues the next batch, or finishes the task, in the transaction that
 * completes the job.
 */
export async function expungeContents(deps: { db: Database; boss: PgBoss; logger: Logger }, job: Job<ExpungeContentsJob>): Promise<void> {
  const purged = await runExpungeAllStep(deps.db, deps.boss, job.data, settleInTransaction(deps.boss, JOBS.expungeContents, job));
  deps.logger.info({ tenantId: job.data.tenantId, taskId: job.data.taskId, appId: job.data.appId, messagesPurged: purged }, 'expunge-all-contents batch done');
}

import type { Logger } from 'pino';
import { runRecoverTask, settleInTransaction } from '@hookline/core';
import { JOBS, type Database, type Job, type PgBoss, type RecoverJob } from '@hookline/db';

/**
 * Runs one step of an endpoint recovery (POST …/recover): queues a manual attempt per failed
 * delivery, or sees whether they were made and marks its background task finished, each in the
 * transaction that completes the job.
 */
export async function recover(deps: { db: Database; boss: PgBoss; logger: Logger; maxDeliveries: number }, job: Job<RecoverJob>): Promise<void> {
  const sent = await runRecoverTask(
    deps.db,
    deps.boss,
    job.data,
    settleInTransaction(deps.boss, job.data.awaitPolls === undefined ? JOBS.recover : JOBS.recoverAwait, job),
    deps.maxDeliveries,
  );
  // Its follow-ups only wait for the resends (see runRecoverTask).
  if (job.data.awaitPolls === undefined) {
    deps.logger.info({ tenantId: job.data.tenantId, taskId: job.data.taskId, endpointId: job.data.endpointId, messagesSent: sent }, 'endpoint recovery queued');
  }
}

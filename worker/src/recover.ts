import type { Logger } from 'pino';
import { runRecoverTask, settleInTransaction } from '@hookline/core';
import { JOBS, type Database, type Job, type PgBoss, type RecoverJob } from '@hookline/db';

/**
 * Runs one endpoint recovery (POST …/recover): queues a manual attempt per failed delivery and
 * marks its background task finished, all in the transaction that completes the job.
 */
export async function recover(deps: { db: Database; boss: PgBoss; logger: Logger }, job: Job<RecoverJob>): Promise<void> {
  const sent = await runRecoverTask(deps.db, deps.boss, job.data, settleInTransaction(deps.boss, JOBS.recover, job));
  deps.logger.info({ tenantId: job.data.tenantId, taskId: job.data.taskId, endpointId: job.data.endpointId, messagesSent: sent }, 'endpoint recovery queued');
}

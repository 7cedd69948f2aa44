import type { Logger } from 'pino';
import { runReplayStep, settleInTransaction } from '@hookline/core';
import { JOBS, type Database, type Job, type PgBoss, type ReplayJob } from '@hookline/db';

/**
 * Runs one batch of an endpoint replay (POST …/bulk-replay, …/replay-missing): queues its resends
 * and the next batch, or finishes the task, in the transaction that completes the job.
 */
export async function replay(deps: { db: Database; boss: PgBoss; logger: Logger }, job: Job<ReplayJob>): Promise<void> {
  const sent = await runReplayStep(deps.db, deps.boss, job.data, settleInTransaction(deps.boss, JOBS.replay, job));
  deps.logger.info(
    { tenantId: job.data.tenantId, taskId: job.data.taskId, endpointId: job.data.endpointId, kind: job.data.kind, messagesSent: sent },
    'endpoint replay batch queued',
  );
}

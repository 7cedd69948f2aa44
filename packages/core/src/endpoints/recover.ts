import { backgroundTaskRepo, endpointRepo, enqueueDeliveries, enqueueRecover, type Database, type PgBoss, type RecoverJob } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { ValidationError } from '../errors.ts';
import { idBoundary, newId } from '../ids.ts';
import type { RecoverIn, RecoverOut } from './endpointActionSchemas.ts';
import { getEndpoint } from './endpoints.ts';

export const RECOVER_TASK = 'endpoint.recover';

/** As in Svix: at most 14 days of messages, plus 5 minutes so `now - 14 days` works despite clock skew. */
const MAX_RECOVER_WINDOW_MS = (14 * 86_400 + 300) * 1000;

/** Deliver jobs are inserted in batches of this size (one statement each). */
const ENQUEUE_BATCH = 500;

/**
 * Starts resending the endpoint's failed deliveries of messages sent between `since` and `until`
 * (default: now). The task row and its job commit in one transaction, so an accepted recovery happens
 * even if every process stops the next instant; the worker runs it (see runRecoverTask).
 */
export async function recoverEndpoint(
  db: Database, boss: PgBoss, tenantId: string, appId: string, idOrUid: string, input: RecoverIn,
): Promise<RecoverOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const now = new Date();
  const until = input.until ?? now;
  if (input.since.getTime() < until.getTime() - MAX_RECOVER_WINDOW_MS) {
    throw new ValidationError(['body', 'since'], 'Cannot recover more than 14 days of messages');
  }
  if (input.until && input.until < input.since) throw new ValidationError(['body', 'until'], 'must not be before since');
  const task = await db.transaction().execute(async (trx) => {
    const row = await backgroundTaskRepo.insertBackgroundTask(trx, {
      id: newId('qtask', now), tenantId, task: RECOVER_TASK, status: 'running', data: {}, createdAt: now,
    });
    await enqueueRecover(boss, trx, {
      tenantId, taskId: row.id, endpointId: ep.id, since: input.since.toISOString(), until: until.toISOString(),
    });
    return row;
  });
  return { id: task.id, status: 'running', task: RECOVER_TASK, updatedAt: task.updatedAt };
}

/**
 * The worker's half of a recovery: one manual attempt for each of the endpoint's deliveries that
 * failed for good and never succeeded (a later success, e.g. a resend, takes a delivery out of
 * `fail`), as Svix's recover does. The attempts, the task's result and `settle` (completion of
 * the caller's job) commit together, so a retried job neither sends twice nor loses the task.
 * Returns how many messages were sent again.
 */
export async function runRecoverTask(db: Database, boss: PgBoss, job: RecoverJob, settle: (trx: Database) => Promise<void>): Promise<number> {
  const range = {
    fromMsgId: idBoundary('msg', new Date(job.since), 'start'),
    toMsgId: job.until === null ? undefined : idBoundary('msg', new Date(job.until), 'end'),
  };
  return db.transaction().execute(async (trx) => {
    const task = await backgroundTaskRepo.findBackgroundTask(trx, job.tenantId, job.taskId);
    let sent = 0;
    if (task?.status === 'running') {
      const failed = await endpointRepo.listDeliveriesInStatus(trx, job.tenantId, job.endpointId, MESSAGE_STATUS.fail, range);
      for (let i = 0; i < failed.length; i += ENQUEUE_BATCH) {
        await enqueueDeliveries(boss, trx, failed.slice(i, i + ENQUEUE_BATCH).map((d) => ({
          data: { tenantId: job.tenantId, msgId: d.msgId, endpointId: job.endpointId, attempt: d.attemptCount + 1, trigger: 1 as const },
        })));
      }
      sent = failed.length;
      await backgroundTaskRepo.finishBackgroundTask(trx, job.tenantId, job.taskId, 'finished', { messagesSent: sent });
    }
    await settle(trx);
    return sent;
  });
}

import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { endpointTarget } from './endpointAudit.ts';
import {
  attemptRepo,
  backgroundTaskRepo,
  endpointRepo,
  enqueueRecover,
  type BackgroundTaskRow,
  type Database,
  type PgBoss,
  type RecoverJob,
  type Transaction,
} from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { idBoundary, idTime, newId } from '../ids.ts';
import type { RecoverIn, RecoverOut } from './endpointActionSchemas.ts';
import { getEndpoint } from './endpoints.ts';
import { queueManualResends } from './manualResends.ts';

export const RECOVER_TASK = 'endpoint.recover';

/** As in Svix: at most 14 days of messages, plus 5 minutes so `now - 14 days` works despite clock skew. */
const MAX_RECOVER_WINDOW_MS = (14 * 86_400 + 300) * 1000;

/** A recovery waits this long at most for its resends to be made, then counts as finished anyway. */
const RESENDS_WAIT_MS = 3_600_000;
/** Seconds between the looks of a recovery waiting for its resends: doubling, then every minute. */
const awaitDelaySeconds = (polls: number): number => Math.min(60, 2 ** polls);

/**
 * Starts resending the endpoint's failed deliveries of messages sent between `since` and `until`
 * (default: now). The task row and its job commit in one transaction, so an accepted recovery happens
 * even if every process stops the next instant; the worker runs it (see runRecoverTask). One
 * recovery per endpoint runs at a time, until its resends have been made: another meanwhile is a
 * 409 `recover_in_progress`, so repeated calls cannot multiply the endpoint's resends.
 */
export async function recoverEndpoint(
  db: Database,
  boss: PgBoss,
  tenantId: string,
  appId: string,
  idOrUid: string,
  input: RecoverIn,
  audit: AuditContext,
): Promise<RecoverOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const now = new Date();
  const until = input.until ?? now;
  if (input.since.getTime() < until.getTime() - MAX_RECOVER_WINDOW_MS) {
    throw new ValidationError(['body', 'since'], 'Cannot recover more than 14 days of messages');
  }
  if (input.until && input.until < input.since) throw new ValidationError(['body', 'until'], 'must not be before since');
  const task = await db.transaction().execute(async (trx) => {
    const row = await backgroundTaskRepo.insertEndpointTaskUnlessRunning(trx, {
      id: newId('qtask', now),
      tenantId,
      task: RECOVER_TASK,
      endpointId: ep.id,
      data: {},
      createdAt: now,
    });
    if (!row) throw new ConflictError('A recovery of this endpoint is already running; try again once its task has finished', 'recover_in_progress');
    await enqueueRecover(boss, trx, {
      tenantId,
      taskId: row.id,
      endpointId: ep.id,
      since: input.since.toISOString(),
      until: until.toISOString(),
    });
    await recordAudit(trx, audit, {
      action: 'endpoint.recovered',
      target: endpointTarget(ep),
      changes: { since: { to: input.since.toISOString() }, until: { to: until.toISOString() }, task: { to: row.id } },
    });
    return row;
  });
  return { id: task.id, status: 'running', task: RECOVER_TASK, updatedAt: task.updatedAt };
}

/** A recovery's progress as its task row keeps it. */
interface RecoverProgress {
  messagesSent: number;
  limitReached?: true;
  /** Where the messages a capped recovery left out begin: recover from there next. */
  remainingSince?: string;
  /** When the resends were queued: while set, the recovery waits for them to be made. */
  queuedAt?: string;
}

/**
 * The worker's half of a recovery, in two steps, each in the transaction that completes its job
 * (`settle`), so a retried job neither sends twice nor loses the task:
 * 1. one manual attempt for each of the endpoint's deliveries that failed for good and never
 *    succeeded (a later success, e.g. a resend, takes a delivery out of `fail`), as Svix's recover
 *    does; at most `maxDeliveries`, oldest message first, beyond which the task's data says
 *    `limitReached` and `remainingSince`, the time to recover from next;
 * 2. follow-up jobs that finish the task once those resends were made (or the endpoint is gone or
 *    disabled, or an hour passed), so that until then no other recovery of the endpoint starts.
 * Returns how many resends step 1 queued.
 */
export async function runRecoverTask(db: Database, boss: PgBoss, job: RecoverJob, settle: (trx: Transaction) => Promise<void>, maxDeliveries: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const task = await backgroundTaskRepo.findBackgroundTask(trx, job.tenantId, job.taskId);
    let sent = 0;
    if (task?.status === 'running') {
      const progress = task.data as unknown as Partial<RecoverProgress>;
      if (progress.queuedAt === undefined) sent = await queueResends(trx, boss, job, maxDeliveries);
      else await awaitResends(trx, boss, job, task, progress as RecoverProgress & { queuedAt: string });
    }
    await settle(trx);
    return sent;
  });
}

async function queueResends(trx: Transaction, boss: PgBoss, job: RecoverJob, maxDeliveries: number): Promise<number> {
  const range = {
    fromMsgId: idBoundary('msg', new Date(job.since), 'start'),
    toMsgId: job.until === null ? undefined : idBoundary('msg', new Date(job.until), 'end'),
  };
  const found = await endpointRepo.listDeliveriesInStatus(trx, job.tenantId, job.endpointId, MESSAGE_STATUS.fail, range, maxDeliveries + 1);
  const failed = found.slice(0, maxDeliveries);
  const beyond = found[maxDeliveries];
  await queueManualResends(trx, boss, job, failed);
  const progress: RecoverProgress = {
    messagesSent: failed.length,
    ...(beyond ? { limitReached: true, remainingSince: idTime(beyond.msgId).toISOString() } : {}),
  };
  if (failed.length === 0) {
    await backgroundTaskRepo.finishBackgroundTask(trx, job.tenantId, job.taskId, 'finished', { ...progress });
  } else {
    await backgroundTaskRepo.updateRunningTaskData(trx, job.tenantId, job.taskId, { ...progress, queuedAt: new Date().toISOString() });
    await enqueueRecover(boss, trx, { ...job, awaitPolls: 0 }, awaitDelaySeconds(0));
  }
  return failed.length;
}

async function awaitResends(trx: Transaction, boss: PgBoss, job: RecoverJob, task: BackgroundTaskRow, progress: RecoverProgress & { queuedAt: string }): Promise<void> {
  const queuedAt = new Date(progress.queuedAt);
  const made = await attemptRepo.countManualAttemptsFrom(trx, job.tenantId, job.endpointId, idBoundary('atmpt', queuedAt, 'start'), progress.messagesSent);
  const endpoint = await endpointRepo.findEndpointById(trx, job.tenantId, job.endpointId);
  // A disabled or deleted endpoint's resends are dropped, not made: nothing left to wait for.
  const done = made >= progress.messagesSent || !endpoint || endpoint.disabled || Date.now() - queuedAt.getTime() > RESENDS_WAIT_MS;
  if (done) {
    const { queuedAt: _queuedAt, ...result } = progress;
    await backgroundTaskRepo.finishBackgroundTask(trx, job.tenantId, task.id, 'finished', { ...result });
    return;
  }
  const polls = (job.awaitPolls ?? 0) + 1;
  await enqueueRecover(boss, trx, { ...job, awaitPolls: polls }, awaitDelaySeconds(polls));
}

import { attemptRepo, backgroundTaskRepo, endpointRepo, enqueueReplay, replayRepo, type Database, type PgBoss, type ReplayJob, type Transaction } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import type { TaskStartedOut } from '../backgroundTasks/backgroundTaskSchemas.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { idBoundary, newId } from '../ids.ts';
import { endpointTarget } from './endpointAudit.ts';
import { getEndpoint } from './endpoints.ts';
import { queueManualResends } from './manualResends.ts';
import type { BulkReplayIn, ReplayIn } from './replaySchemas.ts';

/** Svix's task names: replay-missing runs as `endpoint.replay`. */
export const REPLAY_TASKS = { bulk: 'endpoint.bulk-replay', missing: 'endpoint.replay' } as const;

/** Messages one step of a replay resends: each step is one transaction, so a crash redoes at most one. */
export const REPLAY_BATCH = 500;

interface ReplayProgress {
  messagesSent: number;
}

/**
 * Starts replaying messages to an endpoint as a background task: `bulk` resends every message
 * delivered to it in the range whatever the outcome (narrowed by the filters), `missing` sends the
 * application's messages in the range that never had a delivery to it. The task row and its first
 * job commit together; one replay of each kind runs per endpoint at a time (409 otherwise).
 */
export async function startReplay(
  db: Database,
  boss: PgBoss,
  tenantId: string,
  appId: string,
  endpointIdOrUid: string,
  kind: 'bulk' | 'missing',
  input: ReplayIn | BulkReplayIn,
  audit: AuditContext,
): Promise<TaskStartedOut> {
  const ep = await getEndpoint(db, tenantId, appId, endpointIdOrUid);
  const now = new Date();
  const until = input.until ?? now;
  if (until < input.since) throw new ValidationError(['body', 'until'], 'must not be before since');
  const filter = kind === 'bulk' ? filterOf(input) : undefined;
  const task = REPLAY_TASKS[kind];
  const row = await db.transaction().execute(async (trx) => {
    const created = await backgroundTaskRepo.insertEndpointTaskUnlessRunning(trx, {
      id: newId('qtask', now),
      tenantId,
      task,
      endpointId: ep.id,
      data: { messagesSent: 0 },
      createdAt: now,
    });
    if (!created) throw new ConflictError('A replay of this kind is already running for this endpoint; try again once its task has finished', 'replay_in_progress');
    await enqueueReplay(boss, trx, {
      tenantId,
      taskId: created.id,
      appId,
      endpointId: ep.id,
      kind,
      since: input.since.toISOString(),
      until: until.toISOString(),
      ...(filter ? { filter } : {}),
    });
    await recordAudit(trx, audit, {
      action: 'endpoint.replayed',
      target: endpointTarget(ep),
      changes: {
        task: { to: created.id },
        kind: { to: task },
        since: { to: input.since.toISOString() },
        until: { to: until.toISOString() },
        ...(filter ? { filter: { to: JSON.stringify(filter) } } : {}),
      },
    });
    return created;
  });
  return { id: row.id, status: 'running', task, updatedAt: row.updatedAt };
}

function filterOf(input: BulkReplayIn): NonNullable<ReplayJob['filter']> {
  return {
    ...(input.eventTypes ? { eventTypes: input.eventTypes } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.tag ? { tag: input.tag } : {}),
    ...(input.status !== null && input.status !== undefined ? { status: input.status } : {}),
  };
}

/**
 * The worker's step of a replay: queues one manual attempt for each message of the next batch,
 * adds them to the task's `messagesSent`, and queues the next step (or finishes the task), all in
 * the transaction that completes the job (`settle`), so a retried job never sends twice. The
 * endpoint gone or disabled finishes the task. Returns how many attempts this step queued.
 */
export async function runReplayStep(db: Database, boss: PgBoss, job: ReplayJob, settle: (trx: Transaction) => Promise<void>, batch = REPLAY_BATCH): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const sent = await replayBatch(trx, boss, job, batch);
    await settle(trx);
    return sent;
  });
}

async function replayBatch(trx: Transaction, boss: PgBoss, job: ReplayJob, batch: number): Promise<number> {
  const task = await backgroundTaskRepo.findBackgroundTask(trx, job.tenantId, job.taskId);
  if (task?.status !== 'running') return 0;
  const progress = task.data as unknown as ReplayProgress;
  const endpoint = await endpointRepo.findEndpointById(trx, job.tenantId, job.endpointId);
  if (!endpoint || endpoint.disabled) {
    await backgroundTaskRepo.finishBackgroundTask(trx, job.tenantId, job.taskId, 'finished', { ...progress });
    return 0;
  }
  const range = {
    tenantId: job.tenantId,
    appId: job.appId,
    endpointId: job.endpointId,
    fromMsgId: idBoundary('msg', new Date(job.since), 'start'),
    toMsgId: idBoundary('msg', new Date(job.until), 'end'),
    afterMsgId: job.afterMsgId,
  };
  const found =
    job.kind === 'bulk' ? await replayRepo.listDeliveredForReplay(trx, range, job.filter ?? {}, batch) : await replayRepo.listMissingForReplay(trx, range, batch);
  if (found.length > 0) {
    const key = { tenantId: job.tenantId, appId: job.appId, endpointId: job.endpointId };
    // A missing delivery gets its row (as a resend makes it); a canceled one turns fail until the attempt succeeds.
    await attemptRepo.insertDeliveries(
      trx,
      found.map((f) => ({ ...key, msgId: f.msgId, status: MESSAGE_STATUS.fail, nextAttemptAt: null })),
    );
    await replayRepo.reviveCanceledDeliveries(
      trx,
      job.tenantId,
      job.endpointId,
      found.map((f) => f.msgId),
    );
    await queueManualResends(trx, boss, job, found);
  }
  const next: ReplayProgress = { messagesSent: (progress.messagesSent ?? 0) + found.length };
  if (found.length < batch) {
    await backgroundTaskRepo.finishBackgroundTask(trx, job.tenantId, job.taskId, 'finished', { ...next });
  } else {
    await backgroundTaskRepo.updateRunningTaskData(trx, job.tenantId, job.taskId, { ...next });
    await enqueueReplay(boss, trx, { ...job, afterMsgId: found[found.length - 1]!.msgId });
  }
  return found.length;
}

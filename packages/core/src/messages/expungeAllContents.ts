import { backgroundTaskRepo, enqueueExpungeContents, messageRepo, type Database, type ExpungeContentsJob, type PgBoss, type Transaction } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { taskStartedOutSchema, type TaskStartedOut } from '../backgroundTasks/backgroundTaskSchemas.ts';
import { idBoundary, newId } from '../ids.ts';

/** Svix's task name for expunge-all-contents. */
export const EXPUNGE_ALL_TASK = 'application.purge_content';

/** Messages one step deletes the payloads of: each step is one transaction, so a crash redoes at most one. */
export const EXPUNGE_ALL_BATCH = 1000;

/** Svix's ExpungeAllContentsOut: the task, without its data. */
export const expungeAllContentsOutSchema = taskStartedOutSchema.meta({ id: 'ExpungeAllContentsOut' });

/** The task's data, as Svix documents it. */
interface ExpungeAllProgress {
  messagesPurged: number;
}

/**
 * Starts deleting the payloads of every message of the application sent until now, for good, as a
 * background task (Svix's expunge-all-contents). The task row, its first batch's job and the audit
 * record commit together. Messages sent after this call keep theirs.
 */
export async function startExpungeAllContents(db: Database, boss: PgBoss, tenantId: string, appIdOrUid: string, audit: AuditContext): Promise<TaskStartedOut> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const now = new Date();
  const row = await db.transaction().execute(async (trx) => {
    const progress: ExpungeAllProgress = { messagesPurged: 0 };
    const created = await backgroundTaskRepo.insertBackgroundTask(trx, {
      id: newId('qtask', now),
      tenantId,
      task: EXPUNGE_ALL_TASK,
      status: 'running',
      data: { ...progress },
      createdAt: now,
    });
    await enqueueExpungeContents(boss, trx, { tenantId, taskId: created.id, appId: app.id, untilMsgId: idBoundary('msg', now, 'end') });
    await recordAudit(trx, audit, {
      action: 'application.content.purged',
      target: { kind: 'application', id: app.id, appId: app.id },
      changes: { task: { to: created.id }, payloads: { changed: true } },
    });
    return created;
  });
  return { id: row.id, status: 'running', task: EXPUNGE_ALL_TASK, updatedAt: row.updatedAt };
}

/**
 * The worker's step: deletes the next batch of payloads, adds them to the task's `messagesPurged`,
 * and queues the next step or finishes the task, all in the transaction that completes the job
 * (`settle`), so a retried job neither skips nor counts a batch twice. Returns the payloads deleted.
 */
export async function runExpungeAllStep(
  db: Database,
  boss: PgBoss,
  job: ExpungeContentsJob,
  settle: (trx: Transaction) => Promise<void>,
  batch = EXPUNGE_ALL_BATCH,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const purged = await expungeBatch(trx, boss, job, batch);
    await settle(trx);
    return purged;
  });
}

async function expungeBatch(trx: Transaction, boss: PgBoss, job: ExpungeContentsJob, batch: number): Promise<number> {
  const task = await backgroundTaskRepo.findBackgroundTask(trx, job.tenantId, job.taskId);
  if (task?.status !== 'running') return 0;
  const progress = task.data as unknown as ExpungeAllProgress;
  const ids = await messageRepo.expungePayloadsOfApp(trx, { tenantId: job.tenantId, appId: job.appId, afterMsgId: job.afterMsgId, untilMsgId: job.untilMsgId }, batch);
  const next: ExpungeAllProgress = { messagesPurged: (progress.messagesPurged ?? 0) + ids.length };
  if (ids.length < batch) {
    await backgroundTaskRepo.finishBackgroundTask(trx, job.tenantId, job.taskId, 'finished', { ...next });
  } else {
    await backgroundTaskRepo.updateRunningTaskData(trx, job.tenantId, job.taskId, { ...next });
    await enqueueExpungeContents(boss, trx, { ...job, afterMsgId: ids[ids.length - 1]! });
  }
  return ids.length;
}

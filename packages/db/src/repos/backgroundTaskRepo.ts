import type { Database } from '../connect.ts';
import type { BackgroundTaskRow } from '../schema.ts';

export async function insertBackgroundTask(
  db: Database,
  row: { id: string; tenantId: string; task: string; status: string; data: Record<string, unknown>; createdAt: Date },
): Promise<BackgroundTaskRow> {
  return db.insertInto('backgroundTask')
    .values({ ...row, data: JSON.stringify(row.data), updatedAt: row.createdAt })
    .returningAll().executeTakeFirstOrThrow();
}

export async function findBackgroundTask(db: Database, tenantId: string, id: string): Promise<BackgroundTaskRow | undefined> {
  return db.selectFrom('backgroundTask').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** Records a task's outcome; only a running task changes, so a finished one is never reopened. */
export async function finishBackgroundTask(
  db: Database, tenantId: string, id: string, status: 'finished' | 'failed', data: Record<string, unknown>,
): Promise<boolean> {
  const res = await db.updateTable('backgroundTask')
    .set({ status, data: JSON.stringify(data), updatedAt: new Date() })
    .where('tenantId', '=', tenantId).where('id', '=', id).where('status', '=', 'running')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import type { BackgroundTaskRow } from '../schema.ts';
import { pageQuery, type Page } from './page.ts';

export async function insertBackgroundTask(
  db: Database,
  row: { id: string; tenantId: string; task: string; status: string; data: Record<string, unknown>; createdAt: Date },
): Promise<BackgroundTaskRow> {
  return db
    .insertInto('backgroundTask')
    .values({ ...row, data: JSON.stringify(row.data), updatedAt: row.createdAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Inserts a running task that works on one endpoint, unless one of the same kind already runs
 * for it (a partial unique index, so concurrent inserts cannot both win): undefined then.
 */
export async function insertEndpointTaskUnlessRunning(
  db: Database,
  row: { id: string; tenantId: string; task: string; endpointId: string; data: Record<string, unknown>; createdAt: Date },
): Promise<BackgroundTaskRow | undefined> {
  return (
    db
      .insertInto('backgroundTask')
      .values({ ...row, status: 'running', data: JSON.stringify(row.data), updatedAt: row.createdAt })
      // The index predicate as literals: a parameter would not prove it under a generic plan (prepared statements).
      .onConflict((oc) =>
        oc
          .columns(['tenantId', 'endpointId', 'task'])
          .where(sql<boolean>`status = 'running' AND endpoint_id IS NOT NULL`)
          .doNothing(),
      )
      .returningAll()
      .executeTakeFirst()
  );
}

export async function findBackgroundTask(db: Database, tenantId: string, id: string): Promise<BackgroundTaskRow | undefined> {
  return db.selectFrom('backgroundTask').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** Replaces a running task's progress data; it stays running. */
export async function updateRunningTaskData(db: Database, tenantId: string, id: string, data: Record<string, unknown>): Promise<boolean> {
  const res = await db
    .updateTable('backgroundTask')
    .set({ data: JSON.stringify(data), updatedAt: new Date() })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Records a task's outcome; only a running task changes, so a finished one is never reopened. */
export async function finishBackgroundTask(db: Database, tenantId: string, id: string, status: 'finished' | 'failed', data: Record<string, unknown>): Promise<boolean> {
  const res = await db
    .updateTable('backgroundTask')
    .set({ status, data: JSON.stringify(data), updatedAt: new Date() })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** A tenant's tasks, newest or oldest first by id (ids sort by creation time), optionally of one status and kind. */
export async function listBackgroundTasks(
  db: Database,
  tenantId: string,
  page: Page,
  filter: { status?: string | undefined; task?: string | undefined },
): Promise<BackgroundTaskRow[]> {
  let q = db.selectFrom('backgroundTask').selectAll().where('tenantId', '=', tenantId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.task !== undefined) q = q.where('task', '=', filter.task);
  return pageQuery(q, page).execute();
}
